/**
 * A JVM of ours found again through its pid file, for the broker and the
 * registry launchers alike: reading and writing the file, whether the pid
 * in it is still our JVM, and stopping it (SIGTERM, then SIGKILL). Works for
 * a JVM started by another process, such as a detached one.
 *
 * @module
 */
import process from "node:process";
import { ignoreNotFound, readTextOrUndefined, sleepUnless } from "./_util.ts";

/** How long to wait for a JVM to go away after SIGKILL. */
const KILL_TIMEOUT_MS = 5_000;

/** The process id in the pid file at `path`, or `undefined` when there is none or it is garbled. */
export async function readPid(path: string): Promise<number | undefined> {
  const text = await readTextOrUndefined(path);
  const pid = Number(text?.trim());
  return text !== undefined && Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Writes `pid` to the pid file at `path`. */
export async function writePid(path: string, pid: number): Promise<void> {
  await Deno.writeTextFile(path, `${pid}\n`);
}

/**
 * Whether `pid` is a live process whose command line holds `mark` (such as
 * `kafka.Kafka`). Checks the command line with `ps` (Deno reads `/proc`
 * only with --allow-all), so a stale pid file never gets an unrelated
 * process signalled; without `ps`, any live process counts.
 */
export async function isProcessOf(pid: number, mark: string): Promise<boolean> {
  try {
    const ps = await new Deno.Command("ps", {
      args: ["-p", String(pid), "-o", "args="],
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).output();
    return ps.success && new TextDecoder().decode(ps.stdout).includes(mark);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Options of {@linkcode stopByPidFile}. */
export interface StopByPidFileOptions {
  /** What the process's command line holds when it is ours; see {@linkcode isProcessOf}. */
  mark: string;
  /** How long to wait after SIGTERM before SIGKILL, in milliseconds. */
  timeoutMs: number;
  /** SIGKILL at once: no controlled shutdown, as when a machine dies. @default {false} */
  kill?: boolean;
}

/** What {@linkcode stopByPidFile} stopped. */
export interface StoppedProcess {
  /** The process id that was stopped. */
  pid: number;
  /** How long it took to exit, in milliseconds. */
  stoppedMs: number;
  /** Whether it needed SIGKILL (asked for, or SIGTERM ignored). */
  killed: boolean;
}

/**
 * Stops the process the pid file at `pidFile` names: SIGTERM, then SIGKILL
 * if it has not exited within `opts.timeoutMs`. Removes the pid file; one
 * whose process is gone, or is not ours, is removed without signalling
 * anything.
 *
 * @returns what was stopped, or `undefined` when nothing of ours ran.
 */
export async function stopByPidFile(
  pidFile: string,
  opts: StopByPidFileOptions,
): Promise<StoppedProcess | undefined> {
  const { mark, timeoutMs, kill = false } = opts;
  const pid = await readPid(pidFile);
  if (pid === undefined) return undefined;
  if (!(await isProcessOf(pid, mark))) {
    await Deno.remove(pidFile).catch(ignoreNotFound);
    return undefined;
  }
  const begin = Date.now();
  process.kill(pid, kill ? "SIGKILL" : "SIGTERM");
  let killed = kill;
  if (kill) await waitForExit(pid, mark, KILL_TIMEOUT_MS);
  else if (!(await waitForExit(pid, mark, timeoutMs))) {
    process.kill(pid, "SIGKILL");
    killed = true;
    await waitForExit(pid, mark, KILL_TIMEOUT_MS);
  }
  await Deno.remove(pidFile).catch(ignoreNotFound);
  return { pid, stoppedMs: Date.now() - begin, killed };
}

/** Whether our process `pid` is gone within `timeoutMs`. */
async function waitForExit(pid: number, mark: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (await isProcessOf(pid, mark)) {
    if (Date.now() >= deadline) return false;
    await sleepUnless(100);
  }
  return true;
}
