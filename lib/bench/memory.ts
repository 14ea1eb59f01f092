/**
 * Peak resident memory of another process, as Linux keeps it: the `VmHWM`
 * ("high water mark") line of `/proc/<pid>/status`. Deno lets a script read
 * `/proc` only with `--allow-all`, so the file is read with `cat`
 * (`--allow-run`).
 *
 * @module
 */

/**
 * The `VmHWM` of a `/proc/<pid>/status` text, in bytes, or `undefined` when
 * the text has none (a kernel thread, or not Linux).
 *
 * @example
 * ```ts
 * import { parseVmHwm } from "./memory.ts";
 * parseVmHwm("Name:\tdeno\nVmHWM:\t  123456 kB\nVmRSS:\t  100000 kB\n"); // 126418944
 * ```
 */
export function parseVmHwm(status: string): number | undefined {
  const match = /^VmHWM:\s*(\d+)\s*kB\s*$/m.exec(status);
  return match ? Number(match[1]) * 1024 : undefined;
}

/** Reads the current `VmHWM` of `pid` in bytes; `undefined` once the process is gone. */
export async function readPeakRss(pid: number): Promise<number | undefined> {
  const { success, stdout } = await new Deno.Command("cat", {
    args: [`/proc/${pid}/status`],
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).output();
  return success ? parseVmHwm(new TextDecoder().decode(stdout)) : undefined;
}

/** Options of {@linkcode watchPeakRss}. */
export interface WatchPeakRssOptions {
  /** How often to read it. @default {100} */
  intervalMs?: number;
}

/**
 * Polls the peak RSS of `pid` until `exited` settles, and returns the last
 * value read. `VmHWM` only grows, so the last read before the exit is the
 * peak up to that moment; only growth in the final interval can be missed.
 */
export async function watchPeakRss(
  pid: number,
  exited: Promise<unknown>,
  options: WatchPeakRssOptions = {},
): Promise<number | undefined> {
  const { intervalMs = 100 } = options;
  let done = false;
  const finished = exited.then(() => (done = true), () => (done = true));
  let peak: number | undefined;
  while (!done) {
    const now = await readPeakRss(pid);
    if (now !== undefined) peak = Math.max(peak ?? 0, now);
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      finished,
      new Promise((resolve) => (timer = setTimeout(resolve, intervalMs))),
    ]);
    clearTimeout(timer);
  }
  return peak;
}
