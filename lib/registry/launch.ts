/**
 * Starting the local registry: built (or found cached), its JVM spawned with
 * the pid written to `<dataDir>/registry.pid` and its output to
 * `<dataDir>/registry.log`, and a wait until it answers.
 *
 * @module
 */
import { FatalError } from "../errors.ts";
import { findJava } from "../broker/java.ts";
import { killJvm, spawnJvm, stopJvm } from "../broker/jvm.ts";
import { logExcerpt } from "../broker/logs.ts";
import { display, sleepUnless } from "../broker/_util.ts";
import { buildRegistry } from "./build.ts";
import {
  DEFAULT_REGISTRY_PORT,
  DEFAULT_REGISTRY_TIMEOUT_MS,
  REGISTRY_POLL_MS,
  REGISTRY_STOP_TIMEOUT_MS,
  registryDataDir,
  registryUrl,
} from "./options.ts";
import { registryAnswers } from "./probe.ts";
import { registryArgs, registryFiles } from "./process.ts";

/** Options of {@linkcode startRegistry}. */
export interface StartRegistryOptions {
  /** HTTP port on 127.0.0.1. @default {8081} */
  port?: number;
  /** Where the pid file and log go. @default {".registry-data/<port>"} */
  dataDir?: string;
  /** How long to wait for it to answer, in milliseconds. @default {60000} */
  timeoutMs?: number;
  /** Let the JVM outlive the caller (stop it with `stopRegistry`). @default {false} */
  detach?: boolean;
  /** Receives progress lines (the build's). @default {no output} */
  log?: (line: string) => void;
}

/** A registry that answers. */
export interface RunningRegistry {
  /** The URL clients use, e.g. `http://127.0.0.1:8081/apis/ccompat/v7`. */
  url: string;
  /** The JVM's process id. */
  pid: number;
  /** Its data directory. */
  dataDir: string;
  /** Milliseconds from spawning the JVM until it answered (the build excluded). */
  startedMs: number;
  /** Settles when the JVM exits. */
  exited: Promise<Deno.CommandStatus>;
  /** Stops it (SIGTERM, then SIGKILL) and removes its pid file; runs once. */
  stop(): Promise<void>;
}

/**
 * Builds the registry if needed, starts it and resolves once it answers.
 * Throws a {@linkcode FatalError} when something already answers at the port,
 * when Java or Maven is missing, or when the JVM exits or does not answer in
 * time (with the end of its log).
 *
 * @example
 * ```ts ignore
 * import { startRegistry } from "./launch.ts";
 * const registry = await startRegistry({ port: 18081 });
 * try {
 *   // point clients at registry.url
 * } finally {
 *   await registry.stop();
 * }
 * ```
 */
export async function startRegistry(opts: StartRegistryOptions = {}): Promise<RunningRegistry> {
  const {
    port = DEFAULT_REGISTRY_PORT,
    timeoutMs = DEFAULT_REGISTRY_TIMEOUT_MS,
    detach = false,
    log = () => {},
  } = opts;
  const dataDir = opts.dataDir ?? registryDataDir(port);
  const url = registryUrl(port);
  if (await registryAnswers(url)) {
    throw new FatalError(
      `a registry already answers at ${url}: stop it (deno task registry --stop --port ${port}) ` +
        "or choose another --port",
    );
  }
  const java = await findJava();
  const { runnerJar } = await buildRegistry({ log });
  const files = registryFiles(dataDir);
  await Deno.mkdir(dataDir, { recursive: true });
  const begin = Date.now();
  const jvm = await spawnJvm({
    java,
    args: registryArgs(runnerJar, port),
    cwd: dataDir,
    outFile: files.log,
    pidFile: files.pid,
    detach,
  });
  const deadline = Date.now() + timeoutMs;
  while (!(await registryAnswers(url))) {
    const failure = jvm.status !== undefined
      ? `exited with code ${jvm.status.code} before it answered`
      : Date.now() >= deadline
      ? `did not answer within ${timeoutMs / 1000} s`
      : undefined;
    if (failure !== undefined) {
      await killJvm(jvm, files.pid);
      throw new FatalError(`the registry at ${url} ${failure}${await logTail(files.log)}`);
    }
    await sleepUnless(REGISTRY_POLL_MS, jvm.exited);
  }
  let stopping: Promise<void> | undefined;
  return {
    url,
    pid: jvm.child.pid,
    dataDir,
    startedMs: Date.now() - begin,
    exited: jvm.exited,
    stop() {
      stopping ??= stopJvm(jvm, files.pid, REGISTRY_STOP_TIMEOUT_MS);
      return stopping;
    },
  };
}

/** The end of the registry's log, as the tail of an error message. */
async function logTail(path: string): Promise<string> {
  const text = (await Deno.readTextFile(path).catch(() => "")).trim();
  return text ? `; from ${display(path)}:\n${logExcerpt(text)}` : `; nothing in ${display(path)}`;
}
