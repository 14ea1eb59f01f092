/**
 * Control of local registries by their data directory, like the broker's:
 * the files kept there, the command line of the JVM, whether a pid file
 * names a live registry, stopping it (SIGTERM, then SIGKILL), and what
 * `--status` reports.
 *
 * @module
 */
import { join } from "node:path";
import { isProcessOf, readPid, stopByPidFile, type StoppedProcess } from "../broker/pid_file.ts";
import {
  REGISTRY_HOST,
  REGISTRY_JVM_OPTIONS,
  REGISTRY_STOP_TIMEOUT_MS,
  registryDataDir,
  registryUrl,
} from "./options.ts";
import { registryAnswers } from "./probe.ts";

/** The part of the runner jar's name that identifies our registry's JVM in `ps`. */
const PROCESS_MARK = "apicurio-registry-local";

/** The files a registry keeps in its data directory. */
export interface RegistryFiles {
  /** `registry.pid`, the JVM's process id while it runs. */
  pid: string;
  /** `registry.log`, everything the JVM prints. */
  log: string;
}

/**
 * The files of the registry whose data directory is `dataDir`.
 *
 * @example
 * ```ts
 * import { registryFiles } from "./process.ts";
 * registryFiles("/d").log; // "/d/registry.log"
 * ```
 */
export function registryFiles(dataDir: string): RegistryFiles {
  return { pid: join(dataDir, "registry.pid"), log: join(dataDir, "registry.log") };
}

/**
 * The `java` arguments that run the registry built at `runnerJar` on `port`:
 * in-memory storage, listening on 127.0.0.1 only, and BACKWARD as the global
 * compatibility rule, Confluent's default (Apicurio's is none).
 *
 * @example
 * ```ts
 * import { registryArgs } from "./process.ts";
 * registryArgs("/c/r-runner.jar", 18081).slice(-2); // ["-jar", "/c/r-runner.jar"]
 * ```
 */
export function registryArgs(runnerJar: string, port: number): string[] {
  return [
    ...REGISTRY_JVM_OPTIONS,
    `-Dquarkus.http.host=${REGISTRY_HOST}`,
    `-Dquarkus.http.port=${port}`,
    "-Dapicurio.rules.global.compatibility=BACKWARD",
    // One line per request would bury the start-up and error lines we show.
    "-Dquarkus.http.access-log.enabled=false",
    "-Dquarkus.log.console.color=false",
    "-jar",
    runnerJar,
  ];
}

/**
 * Whether `pid` is a live registry JVM of ours. Checks its command line with
 * `ps`, so a stale pid file never gets an unrelated process signalled.
 */
export function isRegistryProcess(pid: number): Promise<boolean> {
  return isProcessOf(pid, PROCESS_MARK);
}

/**
 * Stops the registry that the pid file of `dataDir` names: SIGTERM, then
 * SIGKILL after `timeoutMs`. Removes the pid file; a pid file whose process
 * is gone or is not our registry is removed without signalling anything.
 *
 * @returns what was stopped, or `undefined` when nothing ran.
 */
export function stopRegistry(
  dataDir: string,
  timeoutMs: number = REGISTRY_STOP_TIMEOUT_MS,
): Promise<StoppedProcess | undefined> {
  return stopByPidFile(registryFiles(dataDir).pid, { mark: PROCESS_MARK, timeoutMs });
}

/** A registry's state as `--status` reports it. */
export interface RegistryStatus {
  /** The URL probed. */
  url: string;
  /** Whether a registry answered there. */
  answers: boolean;
  /** The pid of our registry on that port, when a pid file names a live one. */
  pid?: number;
}

/** Whether a registry answers on `port`, and whether it is ours. */
export async function registryStatus(
  port: number,
  dataDir: string = registryDataDir(port),
): Promise<RegistryStatus> {
  const url = registryUrl(port);
  const answers = await registryAnswers(url);
  const pid = await readPid(registryFiles(dataDir).pid);
  return pid !== undefined && (await isRegistryProcess(pid))
    ? { url, answers, pid }
    : { url, answers };
}

/**
 * The line `--status` prints for `status`.
 *
 * @example
 * ```ts
 * import { statusLine } from "./process.ts";
 * statusLine({ url: "http://127.0.0.1:8081/apis/ccompat/v7", answers: false });
 * // "no registry running at http://127.0.0.1:8081/apis/ccompat/v7"
 * ```
 */
export function statusLine(status: RegistryStatus): string {
  const owner = status.pid !== undefined ? `pid ${status.pid}` : "no pid file of ours";
  if (status.answers) return `registry running at ${status.url} (${owner})`;
  return status.pid !== undefined
    ? `registry not answering at ${status.url} (${owner}: starting, or stuck?)`
    : `no registry running at ${status.url}`;
}
