/**
 * Kafka's jars from Maven Central, cached per version: the broker
 * (`kafka_2.13`) for the launcher, and the command-line tools (`kafka-tools`)
 * for the bench's Java perf tools. Maven runs only the first time; later
 * calls find the completed copy and touch neither Maven nor the network.
 *
 * @module
 */
import { join } from "node:path";
import { FatalError } from "../errors.ts";
import { display, exists, ignoreNotFound, REPO_ROOT } from "./_util.ts";
import { copyDependencies, isResolved } from "./maven.ts";
import { pomXml, toolsPomXml } from "./pom.ts";
import { checkKafkaVersion, majorVersion } from "./version.ts";

/** Apache Kafka's jars in the local cache. */
export interface KafkaDistribution {
  /** The Kafka version. */
  version: string;
  /** The directory holding every runtime jar of `kafka_2.13`. */
  libDir: string;
  /**
   * A `java -cp` value covering {@linkcode KafkaDistribution.libDir}, for
   * running Kafka classes such as `kafka.tools.StorageTool`.
   */
  classpath: string;
}

/** Apache Kafka's command-line tools (`kafka-tools`) in the local cache. */
export interface KafkaToolsDistribution {
  /** The version asked for. */
  requestedVersion: string;
  /**
   * The version resolved: {@linkcode KafkaToolsDistribution.requestedVersion},
   * or the newest older release of the same major version when Maven Central
   * does not have it.
   */
  version: string;
  /** Whether {@linkcode KafkaToolsDistribution.version} is a fallback. */
  fallback: boolean;
  /** The directory holding every runtime jar of `kafka-tools` and a logging backend. */
  libDir: string;
  /**
   * A `java -cp` value covering {@linkcode KafkaToolsDistribution.libDir},
   * for running `org.apache.kafka.tools.ProducerPerformance` and
   * `ConsumerPerformance`.
   */
  classpath: string;
}

/** Options of {@linkcode resolveKafka}. */
export interface ResolveKafkaOptions {
  /**
   * The directory that holds one subdirectory per version.
   *
   * @default {the `KAFKA_CACHE_DIR` environment variable, else "<repo root>/.cache/kafka"}
   */
  cacheDir?: string;
  /** Receives one line naming the version and where its jars are. @default {no output} */
  log?: (line: string) => void;
}

/** Options of {@linkcode resolveKafkaTools}. */
export interface ResolveKafkaToolsOptions {
  /**
   * The directory that holds one subdirectory per requested version.
   *
   * @default {"<repo root>/.cache/kafka-tools"}
   */
  cacheDir?: string;
  /**
   * Receives one line naming the version resolved, whether it is a fallback,
   * and where its jars are.
   *
   * @default {no output}
   */
  log?: (line: string) => void;
}

/** The directory holding one subdirectory of jars per Kafka version. */
function defaultCacheDir(): string {
  return Deno.env.get("KAFKA_CACHE_DIR") ?? join(REPO_ROOT, ".cache", "kafka");
}

/**
 * Makes Apache Kafka `version` available locally: the first call runs Maven
 * to copy `kafka_2.13` and a logging backend with all their runtime
 * dependencies from Maven Central into `<cacheDir>/<version>/libs`; later
 * calls find the completed copy and neither run Maven nor touch the network.
 *
 * Throws a {@linkcode FatalError} naming what to install when Maven is
 * missing, or the reason when Maven Central cannot provide the jars.
 *
 * @example
 * ```ts ignore
 * import { resolveKafka } from "./resolve.ts";
 * const kafka = await resolveKafka("4.3.1");
 * // java -cp kafka.classpath kafka.Kafka server.properties
 * ```
 */
export async function resolveKafka(
  version: string,
  opts: ResolveKafkaOptions = {},
): Promise<KafkaDistribution> {
  checkKafkaVersion(version);
  const { cacheDir = defaultCacheDir(), log = () => {} } = opts;
  const dir = join(cacheDir, version);
  const libDir = join(dir, "libs");
  const pom = pomXml(version);
  const distribution = { version, libDir, classpath: join(libDir, "*") };
  const complete = await isResolved(dir, pom) &&
    await exists(join(libDir, `kafka_2.13-${version}.jar`));
  if (complete) {
    log(`Kafka ${version} (cached in ${display(dir)})`);
    return distribution;
  }

  log(`Resolving Kafka ${version} from Maven Central into ${display(dir)} ...`);
  await copyDependencies(dir, pom, `Kafka ${version}`);
  log(`Kafka ${version} (resolved from Maven Central into ${display(dir)})`);
  return distribution;
}

/**
 * Makes Apache Kafka's command-line tools (`kafka-tools`, which hold
 * `ProducerPerformance` and `ConsumerPerformance`) available locally, with a
 * logging backend, in `<cacheDir>/<version>/libs`. Resolved apart from the
 * broker because a release can reach Maven Central without its `kafka-tools`
 * (4.4.0 did): then the newest older release of the same major version is
 * used instead (4.3.1 for 4.4.0), and the log line says so. Their clients
 * talk to a broker of the next minor version like any other client.
 *
 * Like {@linkcode resolveKafka}, runs Maven only the first time; a fallback
 * stays cached too, until the cache directory is deleted.
 *
 * @example
 * ```ts ignore
 * import { resolveKafkaTools } from "./resolve.ts";
 * const tools = await resolveKafkaTools("4.4.0", { log: console.log });
 * // java -cp tools.classpath org.apache.kafka.tools.ProducerPerformance ...
 * ```
 */
export async function resolveKafkaTools(
  version: string,
  opts: ResolveKafkaToolsOptions = {},
): Promise<KafkaToolsDistribution> {
  checkKafkaVersion(version);
  const { cacheDir = join(REPO_ROOT, ".cache", "kafka-tools"), log = () => {} } = opts;
  const dir = join(cacheDir, version);
  const libDir = join(dir, "libs");
  const pom = toolsPomXml(version);
  const distribution = (resolved: string): KafkaToolsDistribution => ({
    requestedVersion: version,
    version: resolved,
    fallback: resolved !== version,
    libDir,
    classpath: join(libDir, "*"),
  });

  const cached = await isResolved(dir, pom) ? await toolsVersionIn(libDir) : undefined;
  if (cached !== undefined) {
    log(toolsLine(version, cached, `cached in ${display(dir)}`));
    return distribution(cached);
  }
  log(`Resolving kafka-tools ${version} from Maven Central into ${display(dir)} ...`);
  await copyDependencies(dir, pom, `kafka-tools ${version}`);
  const resolved = await toolsVersionIn(libDir);
  if (resolved === undefined) {
    throw new FatalError(`Maven resolved no kafka-tools jar into ${display(libDir)}`);
  }
  log(toolsLine(version, resolved, `resolved from Maven Central into ${display(dir)}`));
  return distribution(resolved);
}

/**
 * The line {@linkcode resolveKafkaTools} logs once it has `resolved` for
 * `requested`; `where` says where the jars are.
 *
 * @example
 * ```ts
 * import { toolsLine } from "./resolve.ts";
 * toolsLine("4.4.0", "4.4.0", "cached in .cache/kafka-tools/4.4.0");
 * // "kafka-tools 4.4.0 (cached in .cache/kafka-tools/4.4.0)"
 * ```
 */
export function toolsLine(requested: string, resolved: string, where: string): string {
  return resolved === requested
    ? `kafka-tools ${requested} (${where})`
    : `kafka-tools ${requested} is not on Maven Central: using ${resolved}, the newest ` +
      `${majorVersion(requested)}.x release before it (${where})`;
}

/**
 * The version of the `kafka-tools-<version>.jar` among `names`, or
 * `undefined` when there is none (`kafka-tools-api-*.jar` does not count).
 *
 * @example
 * ```ts
 * import { kafkaToolsVersion } from "./resolve.ts";
 * kafkaToolsVersion(["kafka-tools-api-4.3.1.jar", "kafka-tools-4.3.1.jar"]); // "4.3.1"
 * ```
 */
export function kafkaToolsVersion(names: Iterable<string>): string | undefined {
  for (const name of names) {
    const match = /^kafka-tools-(\d+\.\d+\.\d+)\.jar$/.exec(name);
    if (match) return match[1];
  }
  return undefined;
}

async function toolsVersionIn(libDir: string): Promise<string | undefined> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(libDir)) names.push(entry.name);
  } catch (error) {
    ignoreNotFound(error);
  }
  return kafkaToolsVersion(names);
}
