/**
 * A whole process, measured from outside while it runs: wall time, CPU time
 * (user + system, from `/proc/<pid>/stat`) and peak RSS (`VmHWM` of
 * `/proc/<pid>/status`). The bench compares programs of different runtimes
 * (Deno, the JVM, CPython) this way, whatever each reports of itself.
 *
 * @module
 */
import { parseVmHwm } from "./memory.ts";

/** What one process took. */
export interface ProcessFigures {
  /** From spawn to exit. */
  wallMs: number;
  /** User plus system CPU time, as last read before the exit. */
  cpuMs: number;
  /** Peak resident memory (VmHWM), as last read before the exit. */
  peakRssMb: number;
}

/** A finished, measured process. */
export interface MeasuredOutput extends ProcessFigures {
  code: number;
  stdout: string;
  stderr: string;
}

const MIB = 1024 * 1024;

/**
 * The CPU time in ms of a `/proc/<pid>/stat` line: its `utime` and `stime`
 * fields (14th and 15th), in clock ticks of `ticksPerSecond`. The command
 * name (2nd field) may hold spaces and parentheses, so fields are counted
 * from its closing parenthesis.
 *
 * @example
 * ```ts
 * import { parseCpuMs } from "./process.ts";
 * parseCpuMs("42 (deno (x)) S 1 42 42 0 -1 4194560 1 0 0 0 150 25 0 0 20 0", 100); // 1750
 * ```
 */
export function parseCpuMs(stat: string, ticksPerSecond: number): number | undefined {
  const close = stat.lastIndexOf(")");
  if (close < 0) return undefined;
  // After ")": state is field 3, so utime (14) and stime (15) are at 11 and 12.
  const fields = stat.slice(close + 1).trim().split(/\s+/);
  const user = Number(fields[11]);
  const system = Number(fields[12]);
  if (!Number.isFinite(user) || !Number.isFinite(system)) return undefined;
  return ((user + system) * 1000) / ticksPerSecond;
}

let ticks: number | undefined;

/** Clock ticks per second (`getconf CLK_TCK`), 100 when getconf cannot say. */
async function ticksPerSecond(): Promise<number> {
  if (ticks !== undefined) return ticks;
  try {
    const { stdout } = await new Deno.Command("getconf", { args: ["CLK_TCK"], stderr: "null" })
      .output();
    const n = Number(new TextDecoder().decode(stdout).trim());
    ticks = Number.isFinite(n) && n > 0 ? n : 100;
  } catch {
    ticks = 100;
  }
  return ticks;
}

/** One read of `pid`'s peak RSS and CPU time; `undefined` once it is gone. */
async function sample(pid: number): Promise<{ rss?: number; cpuMs?: number } | undefined> {
  // Deno reads /proc only with --allow-all: `cat` runs under --allow-run.
  const { success, stdout } = await new Deno.Command("cat", {
    args: [`/proc/${pid}/status`, `/proc/${pid}/stat`],
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).output();
  if (!success) return undefined;
  const text = new TextDecoder().decode(stdout);
  const statLine = text.slice(text.lastIndexOf(`\n${pid} (`) + 1);
  return { rss: parseVmHwm(text), cpuMs: parseCpuMs(statLine, await ticksPerSecond()) };
}

/**
 * Spawns `command` (its stdout and stderr piped), reads its peak RSS and CPU
 * time every `intervalMs` until it exits, and returns its output with the
 * figures. What happens in the final interval is missed, so an interval
 * well under the run's length keeps that small.
 */
export async function runMeasured(
  command: Deno.Command,
  intervalMs = 50,
): Promise<MeasuredOutput> {
  const start = performance.now();
  const child = command.spawn();
  const output = child.output();
  let done = false;
  const finished = output.then(() => (done = true), () => (done = true));
  let rss = 0;
  let cpuMs = 0;
  while (!done) {
    const now = await sample(child.pid);
    if (now?.rss !== undefined) rss = Math.max(rss, now.rss);
    if (now?.cpuMs !== undefined) cpuMs = Math.max(cpuMs, now.cpuMs);
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([finished, new Promise((r) => (timer = setTimeout(r, intervalMs)))]);
    clearTimeout(timer);
  }
  const { code, stdout, stderr } = await output;
  const decoder = new TextDecoder();
  return {
    code,
    stdout: decoder.decode(stdout),
    stderr: decoder.decode(stderr),
    wallMs: performance.now() - start,
    cpuMs,
    peakRssMb: rss / MIB,
  };
}
