/**
 * A JVM we spawn ourselves, for the broker and the registry launchers alike:
 * started with its output going to a file and its pid written to a pid
 * file, killed when its start fails, and stopped (SIGTERM, then SIGKILL)
 * through the handle we hold.
 *
 * @module
 */
import { redirectedArgs } from "./command.ts";
import { writePid } from "./pid_file.ts";
import { ignoreNotFound, settlesWithin } from "./_util.ts";

/** A JVM we spawned. */
export interface Jvm {
  child: Deno.ChildProcess;
  /** Settles when the JVM exits. */
  exited: Promise<Deno.CommandStatus>;
  /** How it exited, once it has. */
  status?: Deno.CommandStatus;
}

/** Options of {@linkcode spawnJvm}. */
export interface SpawnJvmOptions {
  /** The `java` to run. */
  java: string;
  /** Its arguments. */
  args: readonly string[];
  /** Its working directory. */
  cwd: string;
  /** Where everything it prints goes. */
  outFile: string;
  /** Where its pid goes. */
  pidFile: string;
  /** Start it in its own session and let it outlive us. */
  detach: boolean;
}

/**
 * Spawns `java` with `args`, its output going to `outFile`, and writes its
 * pid to `pidFile`; does not wait for it.
 */
export async function spawnJvm(opts: SpawnJvmOptions): Promise<Jvm> {
  const { java, args, cwd, outFile, pidFile, detach } = opts;
  const child = new Deno.Command("sh", {
    args: redirectedArgs(outFile, java, args),
    cwd,
    stdin: "null",
    stdout: "null",
    stderr: "null",
    // Its own session: a detached JVM survives our exit and our terminal.
    detached: detach,
  }).spawn();
  if (detach) child.unref();
  const jvm: Jvm = { child, exited: child.status.then((status) => (jvm.status = status)) };
  await writePid(pidFile, child.pid);
  return jvm;
}

/** SIGKILLs `jvm`, whose start failed, and removes its pid file once it is gone. */
export async function killJvm(jvm: Jvm, pidFile: string): Promise<void> {
  killQuietly(jvm.child, "SIGKILL");
  await jvm.exited;
  await Deno.remove(pidFile).catch(ignoreNotFound);
}

/**
 * Stops `jvm` unless it has exited: SIGTERM, then SIGKILL after
 * `timeoutMs`. Then its pid file goes.
 */
export async function stopJvm(jvm: Jvm, pidFile: string, timeoutMs: number): Promise<void> {
  if (jvm.status === undefined) {
    killQuietly(jvm.child, "SIGTERM");
    if (!(await settlesWithin(jvm.exited, timeoutMs))) {
      killQuietly(jvm.child, "SIGKILL");
      await jvm.exited;
    }
  }
  await Deno.remove(pidFile).catch(ignoreNotFound);
}

/** Signals `child`, which may have exited since we last looked. */
export function killQuietly(child: Deno.ChildProcess, signal: Deno.Signal): void {
  try {
    child.kill(signal);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
  }
}
