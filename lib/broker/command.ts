/**
 * The Java command lines the launcher runs on Kafka's jars: the storage tool
 * that formats a data directory, and the broker itself. Pure, so that other
 * ways of running the same jars build the same command.
 *
 * @module
 */
import type { DataDirFiles } from "./data_dir.ts";
import { BROKER_JVM_OPTIONS, TOOL_JVM_OPTIONS } from "./options.ts";

/** What every Kafka command line needs. */
export interface KafkaCommandOptions {
  /** The `java -cp` value of Kafka's jars (`KafkaDistribution.classpath`). */
  classpath: string;
  /** The data directory's `logs` (Kafka's `kafka.logs.dir`) and `properties` files. */
  files: Pick<DataDirFiles, "logs" | "properties">;
  /** The JVM flag that selects the logging configuration (`LoggingConfig.flag`). */
  loggingFlag: string;
}

/**
 * The `java` arguments that format KRaft storage for `clusterId`. With
 * `--ignore-formatted`, formatting storage that is formatted already does
 * nothing. `extraArgs` follow, e.g. `--secure`'s `--add-scram` users.
 *
 * @example
 * ```ts
 * import { formatStorageArgs } from "./command.ts";
 * const files = { logs: "/d/logs", properties: "/d/server.properties" };
 * formatStorageArgs({ classpath: "/k/*", files, loggingFlag: "-Dx", clusterId: "id" }).at(-1);
 * // "--ignore-formatted"
 * ```
 */
export function formatStorageArgs(
  opts: KafkaCommandOptions & { clusterId: string; extraArgs?: string[] },
): string[] {
  return [
    ...TOOL_JVM_OPTIONS,
    ...systemProperties(opts),
    "-cp",
    opts.classpath,
    "kafka.tools.StorageTool",
    "format",
    "-t",
    opts.clusterId,
    "-c",
    opts.files.properties,
    "--ignore-formatted",
    ...(opts.extraArgs ?? []),
  ];
}

/**
 * The `java` arguments that run the broker on `server.properties`, with
 * `jvmOptions` (default {@linkcode BROKER_JVM_OPTIONS}) first.
 *
 * @example
 * ```ts
 * import { brokerArgs } from "./command.ts";
 * const files = { logs: "/d/logs", properties: "/d/server.properties" };
 * brokerArgs({ classpath: "/k/*", files, loggingFlag: "-Dx" }).slice(-2);
 * // ["kafka.Kafka", "/d/server.properties"]
 * ```
 */
export function brokerArgs(
  opts: KafkaCommandOptions & { jvmOptions?: readonly string[] },
): string[] {
  return [
    ...(opts.jvmOptions ?? BROKER_JVM_OPTIONS),
    ...systemProperties(opts),
    "-cp",
    opts.classpath,
    "kafka.Kafka",
    opts.files.properties,
  ];
}

/**
 * The `sh` arguments that run `java` with `args`, its output going to
 * `outFile`: `sh` redirects and then becomes the JVM, so the pid is the
 * broker's and nothing reaches our terminal.
 *
 * @example
 * ```ts
 * import { redirectedArgs } from "./command.ts";
 * redirectedArgs("/d/out", "java", ["-version"]);
 * // ["-c", 'exec "$@" >"$0" 2>&1', "/d/out", "java", "-version"]
 * ```
 */
export function redirectedArgs(outFile: string, java: string, args: readonly string[]): string[] {
  return ["-c", 'exec "$@" >"$0" 2>&1', outFile, java, ...args];
}

function systemProperties(opts: KafkaCommandOptions): string[] {
  return [`-Dkafka.logs.dir=${opts.files.logs}`, opts.loggingFlag];
}
