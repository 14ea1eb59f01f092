/**
 * Starts a real Apache Kafka broker in KRaft mode without Docker. Maven
 * resolves the broker's jars from Maven Central once into
 * `.cache/kafka/<version>/`, and the broker runs as one local JVM that is both
 * broker and controller, keeping its data and logs in
 * `.kafka-data/<version>-<port>/`.
 *
 * As a script:
 *
 * ```sh
 * deno run --allow-net --allow-env --allow-read --allow-write --allow-run --allow-sys \
 *   lib/broker.ts --detach
 * ```
 *
 * @module
 */
import { Kafka, logLevel } from "kafkajs";
import process from "node:process";
import { isAbsolute, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { FatalError, UsageError } from "../errors.ts";
import { parseCli, parseNumber } from "../cli/args.ts";
import { runMain } from "../cli/main.ts";
import { quietTimeoutWarnings } from "../kafka/client.ts";

/**
 * The Kafka version started when none is given: the newest 4.x on Maven
 * Central, with which the whole test suite passes under kafkajs 2.2.4. Its
 * `kafka-tools` is not on Maven Central, so the bench's Java perf tools fall
 * back to the newest 4.x tools release (see {@linkcode resolveKafkaTools}).
 */
export const DEFAULT_KAFKA_VERSION = "4.4.0";

/** The oldest release we start: 3.9 is the first with every tool and setting used here. */
const OLDEST_KAFKA_VERSION = [3, 9, 0] as const;
const DEFAULT_PORT = 9092;
const DEFAULT_TIMEOUT_MS = 90_000;
/** Kafka needs a few seconds for a controlled shutdown; past this it gets SIGKILL. */
const STOP_TIMEOUT_MS = 30_000;
/** How long one readiness probe may take while the broker starts. */
const PROBE_TIMEOUT_MS = 2_000;
const POLL_INTERVAL_MS = 200;
const LOG_TAIL_LINES = 20;

/** The directory holding `lib/`. */
const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Logging backends for the broker. Kafka's POMs depend on slf4j-api 1.7 only
 * (its binary distribution adds the backend), so we add one: reload4j for 3.x
 * and Log4j 2 for 4.x, matching what each distribution ships. Kafka 4.x is
 * still on slf4j 1.7, hence `log4j-slf4j-impl` rather than `log4j-slf4j2-impl`.
 */
const LOGGING_DEPENDENCIES = {
  3: [
    "org.slf4j:slf4j-reload4j:1.7.36",
    "ch.qos.reload4j:reload4j:1.2.25",
  ],
  4: [
    "org.apache.logging.log4j:log4j-slf4j-impl:2.25.5",
    "org.apache.logging.log4j:log4j-core:2.25.5",
    "org.apache.logging.log4j:log4j-api:2.25.5",
  ],
} as const;

/**
 * Pinned so that resolution does not depend on whichever dependency plugin
 * Maven would pick by prefix.
 */
const DEPENDENCY_PLUGIN_VERSION = "3.8.1";

const BROKER_JVM_OPTIONS = [
  "-Xms256m",
  "-Xmx1g",
  "-XX:+UseG1GC",
  "-XX:MaxGCPauseMillis=20",
  "-XX:InitiatingHeapOccupancyPercent=35",
  "-Djava.awt.headless=true",
];

/** The storage tool runs for a second; a small heap and the C1 compiler start it faster. */
const TOOL_JVM_OPTIONS = [
  "-Xmx256m",
  "-XX:+UseSerialGC",
  "-XX:TieredStopAtLevel=1",
  "-Djava.awt.headless=true",
];

const INSTALL_JAVA =
  "install a JDK 17 (e.g. apt-get install openjdk-17-jre-headless) or set JAVA_HOME";

/** Where and how to start a broker. */
export interface BrokerOptions {
  /** PLAINTEXT port on 127.0.0.1 that clients bootstrap from. @default {9092} */
  port?: number;
  /** Port of the KRaft controller listener on 127.0.0.1. @default {port + 1} */
  controllerPort?: number;
  /**
   * Directory for the broker's configuration, data, pid file and logs.
   * Keyed by version because a data directory formatted by one Kafka version
   * is not started by another.
   *
   * @default {"<repo root>/.kafka-data/<kafkaVersion>-<port>"}
   */
  dataDir?: string;
  /** Apache Kafka release to resolve from Maven Central. @default {DEFAULT_KAFKA_VERSION} */
  kafkaVersion?: string;
  /** How long to wait for the broker to answer a metadata request. @default {90000} */
  timeoutMs?: number;
  /** Receives progress lines such as the resolved version. @default {no output} */
  log?: (line: string) => void;
}

/** Options of {@linkcode startBroker}. */
export interface StartBrokerOptions extends BrokerOptions {
  /**
   * Start the JVM in its own session and let it outlive the caller; stop it
   * later with {@linkcode stopBroker}. Otherwise the broker is a child of the
   * caller, which should call {@linkcode RunningBroker.stop}.
   *
   * @default {false}
   */
  detach?: boolean;
}

/** A broker that answers metadata requests. */
export interface RunningBroker {
  /** The address clients bootstrap from, e.g. `127.0.0.1:9092`. */
  bootstrap: string;
  /** The Kafka version running. */
  version: string;
  /** The JVM's process id, also written to `<dataDir>/broker.pid`. */
  pid: number;
  /** The broker's data directory; its log is `<dataDir>/logs/server.log`. */
  dataDir: string;
  /** How long the start took, in milliseconds, including resolution and formatting. */
  startedMs: number;
  /** Stops the broker (SIGTERM, then SIGKILL after 30 s) and removes its pid file. */
  stop(): Promise<void>;
}

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

/** What {@linkcode stopBroker} stopped. */
export interface StoppedBroker {
  /** The process id that was stopped. */
  pid: number;
  /** The data directory whose pid file named it. */
  dataDir: string;
  /** The Kafka version recorded in the data directory, if any. */
  version?: string;
  /** The broker's PLAINTEXT port recorded in the data directory, if any. */
  port?: number;
  /** How long the broker took to exit, in milliseconds. */
  stoppedMs: number;
  /** Whether it ignored SIGTERM and needed SIGKILL. */
  killed: boolean;
}

/** What the launcher records in `<dataDir>/launcher.json`. */
interface DataDirRecord {
  kafkaVersion: string;
  clusterId: string;
  port: number;
  controllerPort: number;
}

/**
 * The major version of a Kafka release.
 *
 * @example
 * ```ts
 * import { majorVersion } from "./launcher.ts";
 * majorVersion("3.9.1"); // 3
 * ```
 */
export function majorVersion(version: string): number {
  return parseVersion(version)[0];
}

/**
 * Throws a {@linkcode RangeError} unless `version` is a release we can start:
 * `major.minor.patch`, 3.9.0 or newer.
 */
export function checkKafkaVersion(version: string): void {
  const parts = parseVersion(version);
  for (let i = 0; i < parts.length; i++) {
    if (parts[i] > OLDEST_KAFKA_VERSION[i]) return;
    if (parts[i] < OLDEST_KAFKA_VERSION[i]) {
      throw new RangeError(
        `Kafka version must be ${
          OLDEST_KAFKA_VERSION.join(".")
        } or newer: current value is ${version}`,
      );
    }
  }
}

function parseVersion(version: string): [number, number, number] {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!match) {
    throw new RangeError(
      `Kafka version must look like ${DEFAULT_KAFKA_VERSION}: current value is '${version}'`,
    );
  }
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/**
 * Encodes 16 bytes the way Kafka prints a `Uuid`: unpadded base64url, 22
 * characters.
 *
 * @example
 * ```ts
 * import { encodeClusterId } from "./launcher.ts";
 * encodeClusterId(new Uint8Array(16).fill(255)); // "_____________________w"
 * ```
 */
export function encodeClusterId(bytes: Uint8Array): string {
  if (bytes.length !== 16) {
    throw new RangeError(`a cluster id needs 16 bytes: current length is ${bytes.length}`);
  }
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

/**
 * A random KRaft cluster id, as `kafka-storage random-uuid` would print it
 * but without starting a JVM.
 */
export function newClusterId(): string {
  for (;;) {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    // Version 4 and variant bits, as in Java's UUID.randomUUID() that Kafka uses.
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const id = encodeClusterId(bytes);
    // Kafka's Uuid.randomUuid() skips these too: a leading dash reads as a flag.
    if (!id.startsWith("-")) return id;
  }
}

/**
 * The POM whose runtime dependencies are what the broker runs on: the broker
 * (`kafka_2.13`) and a logging backend. The command-line tools are resolved
 * apart, by {@linkcode toolsPomXml}, because a release can reach Maven Central
 * without its `kafka-tools` (4.4.0 did).
 */
export function pomXml(version: string): string {
  return pomOf(`kafka-${version}`, `Apache Kafka ${version}`, [
    `org.apache.kafka:kafka_2.13:${version}`,
    ...LOGGING_DEPENDENCIES[majorVersion(version) >= 4 ? 4 : 3],
  ]);
}

/**
 * The POM that resolves Kafka's command-line tools (`kafka-tools`, for
 * `ProducerPerformance` and `ConsumerPerformance`) and a logging backend.
 * `kafka-tools` is asked for as a version range up to `version` within its
 * major version, so Maven picks `version` when Maven Central has it and the
 * newest older release of that major version when it does not.
 *
 * @example
 * ```ts
 * import { toolsPomXml } from "./launcher.ts";
 * toolsPomXml("4.4.0").includes("<version>[4.0.0,4.4.0]</version>"); // true
 * ```
 */
export function toolsPomXml(version: string): string {
  const major = majorVersion(version);
  return pomOf(`kafka-tools-${version}`, `kafka-tools ${version}`, [
    `org.apache.kafka:kafka-tools:[${major}.0.0,${version}]`,
    ...LOGGING_DEPENDENCIES[major >= 4 ? 4 : 3],
  ]);
}

/** A POM with `group:artifact:version` dependencies and the pinned dependency plugin. */
function pomOf(artifactId: string, what: string, coordinates: string[]): string {
  const dependencies = coordinates.map((coordinate) => {
    const [groupId, artifactId, v] = coordinate.split(":");
    return [
      "    <dependency>",
      `      <groupId>${groupId}</groupId>`,
      `      <artifactId>${artifactId}</artifactId>`,
      `      <version>${v}</version>`,
      "    </dependency>",
    ].join("\n");
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated by lib/broker.ts to resolve ${what} from Maven Central. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.broker</groupId>
  <artifactId>${artifactId}</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
${dependencies.join("\n")}
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-dependency-plugin</artifactId>
        <version>${DEPENDENCY_PLUGIN_VERSION}</version>
      </plugin>
    </plugins>
  </build>
</project>
`;
}

/** Options of {@linkcode serverProperties}; see {@linkcode BrokerOptions}. */
export interface ServerPropertiesOptions {
  /** PLAINTEXT port on 127.0.0.1. */
  port: number;
  /** KRaft controller port on 127.0.0.1. */
  controllerPort: number;
  /** The broker's data directory; topic data goes to `<dataDir>/data`. */
  dataDir: string;
  /** The Kafka version, which decides the settings that exist. */
  kafkaVersion: string;
}

/**
 * The `server.properties` of a single-node KRaft cluster: one process that is
 * both broker and controller, listening on 127.0.0.1 only.
 */
export function serverProperties(opts: ServerPropertiesOptions): string {
  const { port, controllerPort, dataDir, kafkaVersion } = opts;
  const lines = [
    `# Generated by lib/broker.ts for Kafka ${kafkaVersion}; rewritten on every start.`,
    "process.roles=broker,controller",
    "node.id=1",
    // A static voter set formats and starts the same way on 3.9 and 4.x;
    // controller.quorum.bootstrap.servers would need `format --standalone`.
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
    "controller.listener.names=CONTROLLER",
    "inter.broker.listener.name=PLAINTEXT",
    `log.dirs=${escapeProperty(join(dataDir, "data"))}`,
    "num.partitions=3",
    // Producing to a misspelt topic must fail rather than create it.
    "auto.create.topics.enable=false",
    // One broker: internal topics cannot have more replicas than that.
    "offsets.topic.replication.factor=1",
    "transaction.state.log.replication.factor=1",
    "transaction.state.log.min.isr=1",
    // The first group or transactional producer creates these topics; with
    // the default 50 partitions that takes seconds and 50 directories, where
    // one partition serves every group of a single local broker.
    "offsets.topic.num.partitions=1",
    "transaction.state.log.num.partitions=1",
    ...(majorVersion(kafkaVersion) >= 4
      ? [
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "share.coordinator.state.topic.num.partitions=1",
      ]
      : []),
    // Tests and the demo start consumers one at a time; waiting 3 s for more
    // members before the first rebalance only slows them down.
    "group.initial.rebalance.delay.ms=0",
  ];
  return lines.join("\n") + "\n";
}

/** Escapes the characters a Java properties value cannot hold literally. */
function escapeProperty(value: string): string {
  return value.replaceAll("\\", "\\\\");
}

/**
 * The logging configuration that sends everything the broker logs to
 * `${kafka.logs.dir}/server.log`, for reload4j (3.x) or Log4j 2 (4.x), and
 * the JVM flag that selects it.
 */
function loggingConfig(version: string, dataDir: string): {
  path: string;
  text: string;
  flag: string;
} {
  if (majorVersion(version) >= 4) {
    const path = join(dataDir, "log4j2.properties");
    const text = [
      "status = warn",
      "appender.file.type = RollingFile",
      "appender.file.name = file",
      "appender.file.fileName = ${sys:kafka.logs.dir}/server.log",
      "appender.file.filePattern = ${sys:kafka.logs.dir}/server.log.%i",
      "appender.file.layout.type = PatternLayout",
      "appender.file.layout.pattern = [%d] %p %m (%c)%n",
      "appender.file.policies.type = Policies",
      "appender.file.policies.size.type = SizeBasedTriggeringPolicy",
      "appender.file.policies.size.size = 20MB",
      "appender.file.strategy.type = DefaultRolloverStrategy",
      "appender.file.strategy.max = 2",
      "rootLogger.level = info",
      "rootLogger.appenderRef.file.ref = file",
    ].join("\n") + "\n";
    return { path, text, flag: `-Dlog4j2.configurationFile=${path}` };
  }
  const path = join(dataDir, "log4j.properties");
  const text = [
    "log4j.rootLogger=INFO, file",
    "log4j.appender.file=org.apache.log4j.RollingFileAppender",
    "log4j.appender.file.File=${kafka.logs.dir}/server.log",
    "log4j.appender.file.MaxFileSize=20MB",
    "log4j.appender.file.MaxBackupIndex=2",
    "log4j.appender.file.layout=org.apache.log4j.PatternLayout",
    "log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n",
  ].join("\n") + "\n";
  return { path, text, flag: `-Dlog4j.configuration=file:${path}` };
}

/**
 * The major version in the output of `java -version`, or `undefined` when it
 * names none.
 *
 * @example
 * ```ts
 * import { javaMajorVersion } from "./launcher.ts";
 * javaMajorVersion('openjdk version "17.0.15" 2025-04-15'); // 17
 * javaMajorVersion('java version "1.8.0_402"'); // 8
 * ```
 */
export function javaMajorVersion(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}

/**
 * The one line worth showing from a failed Maven run: the reason of its first
 * `[ERROR]` line, without the goal and project it failed in.
 *
 * @example
 * ```ts
 * import { mavenError } from "./launcher.ts";
 * mavenError("[ERROR] Failed to execute goal on project x: Could not find artifact a:b:jar:1 -> [Help 1]");
 * // "Could not find artifact a:b:jar:1"
 * ```
 */
export function mavenError(output: string): string {
  // deno-lint-ignore no-control-regex
  const lines = output.replace(/\x1b\[[0-9;]*m/g, "").split("\n").map((line) => line.trim());
  const error = lines.find((line) => /^\[ERROR\]\s*\S/.test(line));
  if (error === undefined) {
    return lines.filter((line) => line !== "").at(-1) ?? "mvn failed without output";
  }
  return error
    .replace(/^\[ERROR\]\s*/, "")
    .replace(/^Failed to execute goal (?:.*? )?on project [^:]+: /, "")
    .replace(/^Could not resolve dependencies for project \S+: /, "")
    .replace(/^Failed to collect dependencies at \S+: /, "")
    .replace(/^Failed to read artifact descriptor for \S+: /, "")
    .replace(/\s*-> \[Help \d+\]$/, "");
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
 * import { resolveKafka } from "./launcher.ts";
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
 * import { resolveKafkaTools } from "./launcher.ts";
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
  const describe = (resolved: string, where: string) =>
    resolved === version
      ? `kafka-tools ${version} (${where} ${display(dir)})`
      : `kafka-tools ${version} is not on Maven Central: using ${resolved}, the newest ` +
        `${majorVersion(version)}.x release before it (${where} ${display(dir)})`;
  const distribution = (resolved: string): KafkaToolsDistribution => ({
    requestedVersion: version,
    version: resolved,
    fallback: resolved !== version,
    libDir,
    classpath: join(libDir, "*"),
  });

  const cached = await isResolved(dir, pom) ? await toolsVersionIn(libDir) : undefined;
  if (cached !== undefined) {
    log(describe(cached, "cached in"));
    return distribution(cached);
  }
  log(`Resolving kafka-tools ${version} from Maven Central into ${display(dir)} ...`);
  await copyDependencies(dir, pom, `kafka-tools ${version}`);
  const resolved = await toolsVersionIn(libDir);
  if (resolved === undefined) {
    throw new FatalError(`Maven resolved no kafka-tools jar into ${display(libDir)}`);
  }
  log(describe(resolved, "resolved from Maven Central into"));
  return distribution(resolved);
}

/**
 * The version of the `kafka-tools-<version>.jar` among `names`, or
 * `undefined` when there is none (`kafka-tools-api-*.jar` does not count).
 *
 * @example
 * ```ts
 * import { kafkaToolsVersion } from "./launcher.ts";
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

/**
 * Whether `dir` holds a completed copy of `pom`'s dependencies. The marker is
 * the POM that was resolved: a changed POM (say, a new logging backend)
 * resolves again instead of mixing old and new jars.
 */
async function isResolved(dir: string, pom: string): Promise<boolean> {
  return await readTextOrUndefined(join(dir, "resolved.pom.xml")) === pom;
}

/**
 * Runs Maven to copy the runtime dependencies of `pom` from Maven Central
 * into `<dir>/libs` and marks the copy complete. `what` names them in errors.
 */
async function copyDependencies(dir: string, pom: string, what: string): Promise<void> {
  const libDir = join(dir, "libs");
  const marker = join(dir, "resolved.pom.xml");
  await Deno.mkdir(dir, { recursive: true });
  // Each run copies into its own staging directory and swaps it in at the
  // end, so two processes resolving at once never mix or delete each other's jars.
  const staging = `${libDir}.${crypto.randomUUID().slice(0, 8)}`;
  const pomPath = `${staging}.pom.xml`;
  await Deno.writeTextFile(pomPath, pom);
  let result: Deno.CommandOutput;
  try {
    result = await new Deno.Command("mvn", {
      args: [
        "-q",
        "-B",
        // Re-check artifacts an earlier run found missing (Maven otherwise
        // remembers a 404 for a day), e.g. a release still syncing to Central.
        "-U",
        "-Dstyle.color=never",
        "-f",
        pomPath,
        "dependency:copy-dependencies",
        "-DincludeScope=runtime",
        `-DoutputDirectory=${staging}`,
      ],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch (error) {
    await Deno.remove(pomPath);
    if (error instanceof Deno.errors.NotFound) {
      throw new FatalError(
        "Maven (mvn) not found on PATH: install Maven 3.6+ (e.g. apt-get install maven) " +
          "to resolve Kafka from Maven Central",
      );
    }
    throw error;
  }
  await Deno.remove(pomPath);
  if (!result.success) {
    await Deno.remove(staging, { recursive: true }).catch(ignoreNotFound);
    const decoder = new TextDecoder();
    const output = decoder.decode(result.stdout) + "\n" + decoder.decode(result.stderr);
    throw new FatalError(
      `could not resolve ${what} from Maven Central: ${mavenError(output)}; ` +
        "check network/proxy or settings.xml",
    );
  }
  if (await readTextOrUndefined(marker) === pom) {
    // Another process finished first and its jars are the same.
    await Deno.remove(staging, { recursive: true });
  } else {
    await Deno.remove(marker).catch(ignoreNotFound);
    await Deno.remove(libDir, { recursive: true }).catch(ignoreNotFound);
    await Deno.rename(staging, libDir);
    await Deno.writeTextFile(marker, pom);
  }
}

/**
 * The `java` to run: `$JAVA_HOME/bin/java` when `JAVA_HOME` is set, else the
 * one on `PATH`. Throws a {@linkcode FatalError} saying what to install unless
 * it is Java 17 or newer.
 */
async function findJava(): Promise<string> {
  const home = Deno.env.get("JAVA_HOME");
  const java = home ? join(home, "bin", "java") : "java";
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command(java, {
      args: ["-version"],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new FatalError(
        home
          ? `Java 17+ not found: JAVA_HOME is ${home} but it has no bin/java; ${INSTALL_JAVA}`
          : `Java 17+ not found on PATH: ${INSTALL_JAVA}`,
      );
    }
    throw error;
  }
  const decoder = new TextDecoder();
  const text = decoder.decode(output.stderr) + decoder.decode(output.stdout);
  const major = javaMajorVersion(text);
  if (major === undefined || major < 17) {
    const found = major === undefined ? "an unknown version" : `Java ${major}`;
    throw new FatalError(`Java 17+ required but ${java} is ${found}: ${INSTALL_JAVA}`);
  }
  return java;
}

/** {@linkcode BrokerOptions} with every default applied and checked. */
function brokerSettings(opts: StartBrokerOptions) {
  const {
    port = DEFAULT_PORT,
    kafkaVersion = DEFAULT_KAFKA_VERSION,
    timeoutMs = DEFAULT_TIMEOUT_MS,
    log = () => {},
    detach = false,
  } = opts;
  const controllerPort = opts.controllerPort ?? port + 1;
  checkKafkaVersion(kafkaVersion);
  for (const [name, value] of [["port", port], ["controllerPort", controllerPort]] as const) {
    if (!Number.isInteger(value) || value < 1 || value > 65535) {
      throw new RangeError(
        `Cannot start broker as ${name} must be in [1, 65535]: current value is ${value}`,
      );
    }
  }
  if (controllerPort === port) {
    throw new RangeError(
      `Cannot start broker as controllerPort must differ from port: both are ${port}`,
    );
  }
  const dataDir = opts.dataDir ?? defaultDataDir(kafkaVersion, port);
  return { port, controllerPort, dataDir, kafkaVersion, timeoutMs, log, detach };
}

function defaultDataDir(version: string, port: number): string {
  return join(REPO_ROOT, ".kafka-data", `${version}-${port}`);
}

/** The files a broker keeps in its data directory. */
function dataDirFiles(dataDir: string) {
  const logs = join(dataDir, "logs");
  return {
    record: join(dataDir, "launcher.json"),
    properties: join(dataDir, "server.properties"),
    pid: join(dataDir, "broker.pid"),
    logs,
    serverLog: join(logs, "server.log"),
    // What the JVM itself prints, such as a missing class, before logging starts.
    jvmOut: join(logs, "kafkaServer.out"),
    formatted: join(dataDir, "data", "meta.properties"),
  };
}

/**
 * Starts a single-node Kafka (broker and controller in one JVM) and resolves
 * once it answers a metadata request at `127.0.0.1:<port>`. Resolves Kafka
 * from Maven Central first if it is not cached, and formats the data
 * directory on first use. Writes the JVM's pid to `<dataDir>/broker.pid`.
 *
 * Throws a {@linkcode FatalError} when Java 17+ or Maven is missing, when a
 * broker already answers at the port, or when the broker exits or does not
 * answer in time (with the last lines of its log).
 *
 * @example
 * ```ts ignore
 * import { startBroker } from "./launcher.ts";
 * const broker = await startBroker({ port: 19092 });
 * try {
 *   // use broker.bootstrap
 * } finally {
 *   await broker.stop();
 * }
 * ```
 */
export async function startBroker(opts: StartBrokerOptions = {}): Promise<RunningBroker> {
  return (await launch(opts)).broker;
}

/** {@linkcode startBroker}, also handing back the JVM's exit for the foreground script. */
async function launch(opts: StartBrokerOptions): Promise<{
  broker: RunningBroker;
  exited: Promise<Deno.CommandStatus>;
  /** Where this run's part of `server.log` begins. */
  logStart: number;
}> {
  const started = Date.now();
  const settings = brokerSettings(opts);
  const { port, controllerPort, dataDir, kafkaVersion, timeoutMs, log, detach } = settings;
  const bootstrap = `127.0.0.1:${port}`;
  const files = dataDirFiles(dataDir);
  if (await brokerAnswers(bootstrap)) {
    throw new FatalError(
      `a broker already answers at ${bootstrap}: stop it (lib/broker.ts --stop --port ${port}) ` +
        "or choose another --port",
    );
  }
  const java = await findJava();
  const kafka = await resolveKafka(kafkaVersion, { log });

  await Deno.mkdir(files.logs, { recursive: true });
  const record = await readRecord(dataDir);
  if (record !== undefined && record.kafkaVersion !== kafkaVersion) {
    throw new FatalError(
      `${display(dataDir)} holds data of Kafka ${record.kafkaVersion}, not ${kafkaVersion}: ` +
        "choose another --data-dir or delete it",
    );
  }
  const clusterId = record?.clusterId ?? newClusterId();
  await Deno.writeTextFile(
    files.record,
    JSON.stringify({ kafkaVersion, clusterId, port, controllerPort } satisfies DataDirRecord) +
      "\n",
  );
  await Deno.writeTextFile(
    files.properties,
    serverProperties({ port, controllerPort, dataDir, kafkaVersion }),
  );
  const logging = loggingConfig(kafkaVersion, dataDir);
  await Deno.writeTextFile(logging.path, logging.text);
  const systemProperties = [`-Dkafka.logs.dir=${files.logs}`, logging.flag];

  // Formatting starts a JVM, so skip it once storage is formatted;
  // --ignore-formatted keeps it harmless if the check ever misses.
  if (!(await exists(files.formatted))) {
    log(`Formatting KRaft storage in ${display(dataDir)} (cluster id ${clusterId})`);
    const format = await new Deno.Command(java, {
      args: [
        ...TOOL_JVM_OPTIONS,
        ...systemProperties,
        "-cp",
        kafka.classpath,
        "kafka.tools.StorageTool",
        "format",
        "-t",
        clusterId,
        "-c",
        files.properties,
        "--ignore-formatted",
      ],
      cwd: dataDir,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!format.success) {
      const decoder = new TextDecoder();
      const output = (decoder.decode(format.stdout) + decoder.decode(format.stderr)).trim();
      throw new FatalError(
        `could not format KRaft storage in ${display(dataDir)}:\n${logExcerpt(output)}`,
      );
    }
  }

  const logStart = await Deno.stat(files.serverLog).then((info) => info.size, () => 0);
  // `sh` sends the JVM's own output to a file and then becomes the JVM, so
  // the pid is the broker's and nothing reaches our terminal.
  const child = new Deno.Command("sh", {
    args: [
      "-c",
      'exec "$@" >"$0" 2>&1',
      files.jvmOut,
      java,
      ...BROKER_JVM_OPTIONS,
      ...systemProperties,
      "-cp",
      kafka.classpath,
      "kafka.Kafka",
      files.properties,
    ],
    cwd: dataDir,
    stdin: "null",
    stdout: "null",
    stderr: "null",
    // Its own session: a detached broker survives our exit and our terminal.
    detached: detach,
  }).spawn();
  if (detach) child.unref();
  let exit: Deno.CommandStatus | undefined;
  const exited = child.status.then((status) => (exit = status));
  await Deno.writeTextFile(files.pid, `${child.pid}\n`);

  // The deadline starts now: a slow first download must not eat the broker's time.
  const deadline = Date.now() + timeoutMs;
  while (!(await brokerAnswers(bootstrap, PROBE_TIMEOUT_MS))) {
    if (exit !== undefined) {
      await Deno.remove(files.pid).catch(ignoreNotFound);
      throw new FatalError(
        `Kafka ${kafkaVersion} exited with code ${exit.code} before it answered at ${bootstrap}` +
          (await logTail(files, logStart)),
      );
    }
    if (Date.now() >= deadline) {
      killQuietly(child, "SIGKILL");
      await exited;
      await Deno.remove(files.pid).catch(ignoreNotFound);
      throw new FatalError(
        `Kafka ${kafkaVersion} did not answer at ${bootstrap} within ${timeoutMs / 1000} s` +
          (await logTail(files, logStart)),
      );
    }
    await sleepUnless(POLL_INTERVAL_MS, exited);
  }

  let stopping: Promise<void> | undefined;
  const broker: RunningBroker = {
    bootstrap,
    version: kafkaVersion,
    pid: child.pid,
    dataDir,
    startedMs: Date.now() - started,
    stop() {
      stopping ??= (async () => {
        if (exit === undefined) {
          killQuietly(child, "SIGTERM");
          if (!(await settlesWithin(exited, STOP_TIMEOUT_MS))) {
            killQuietly(child, "SIGKILL");
            await exited;
          }
        }
        await Deno.remove(files.pid).catch(ignoreNotFound);
      })();
      return stopping;
    },
  };
  return { broker, exited, logStart };
}

/**
 * Whether a Kafka broker answers a metadata request at `bootstrap`
 * (`host:port`) within `timeoutMs`. Never retries, and closes its connection
 * and timers before it resolves.
 *
 * @example
 * ```ts ignore
 * import { brokerAnswers, startBroker } from "./launcher.ts";
 * if (!(await brokerAnswers("127.0.0.1:9092"))) await startBroker();
 * ```
 */
export async function brokerAnswers(bootstrap: string, timeoutMs = 3000): Promise<boolean> {
  quietTimeoutWarnings();
  const kafka = new Kafka({
    clientId: "broker-probe",
    brokers: [bootstrap],
    logLevel: logLevel.NOTHING,
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  });
  const admin = kafka.admin({ retry: { retries: 0 } });
  const probe = admin.connect()
    .then(() => admin.describeCluster())
    .then((cluster) => cluster.brokers.length > 0)
    .catch(() => false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
    await admin.disconnect().catch(() => {});
    await probe;
  }
}

/** Options of {@linkcode stopBroker}. */
export interface StopBrokerOptions {
  /** The data directory whose `broker.pid` names the broker. */
  dataDir?: string;
  /**
   * Without `dataDir`: stop the brokers whose pid files are in
   * `<repo root>/.kafka-data/<any version>-<port>`.
   *
   * @default {9092}
   */
  port?: number;
  /** How long to wait after SIGTERM before SIGKILL. @default {30000} */
  timeoutMs?: number;
}

/**
 * Stops brokers started with `detach` (or from another process) through
 * their pid file: SIGTERM, then SIGKILL if the JVM has not exited within the
 * timeout. Removes the pid file. A pid file whose process is gone, or is no
 * longer Kafka, is removed without signalling anything.
 *
 * @returns the brokers stopped, empty when none ran.
 */
export async function stopBroker(opts: StopBrokerOptions = {}): Promise<StoppedBroker[]> {
  const { timeoutMs = STOP_TIMEOUT_MS } = opts;
  const dataDirs = opts.dataDir !== undefined
    ? [opts.dataDir]
    : await dataDirsForPort(opts.port ?? DEFAULT_PORT);
  const stopped: StoppedBroker[] = [];
  for (const dataDir of dataDirs) {
    const pidFile = dataDirFiles(dataDir).pid;
    const pid = await readPid(pidFile);
    if (pid === undefined) continue;
    if (!(await isKafkaProcess(pid))) {
      await Deno.remove(pidFile).catch(ignoreNotFound);
      continue;
    }
    const begin = Date.now();
    process.kill(pid, "SIGTERM");
    let killed = false;
    if (!(await waitForExit(pid, timeoutMs))) {
      process.kill(pid, "SIGKILL");
      killed = true;
      await waitForExit(pid, 5_000);
    }
    await Deno.remove(pidFile).catch(ignoreNotFound);
    const record = await readRecord(dataDir);
    stopped.push({
      pid,
      dataDir,
      version: record?.kafkaVersion,
      port: record?.port,
      stoppedMs: Date.now() - begin,
      killed,
    });
  }
  return stopped;
}

/** Data directories under `<repo root>/.kafka-data` for brokers on `port`, any version. */
async function dataDirsForPort(port: number): Promise<string[]> {
  const root = join(REPO_ROOT, ".kafka-data");
  const dirs: string[] = [];
  try {
    for await (const entry of Deno.readDir(root)) {
      if (entry.isDirectory && entry.name.endsWith(`-${port}`)) dirs.push(join(root, entry.name));
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return dirs.sort();
}

/** A broker's state as `--status` reports it. */
interface BrokerStatus {
  bootstrap: string;
  answers: boolean;
  pid?: number;
  dataDir?: string;
  version?: string;
}

async function brokerStatus(
  port: number,
  dataDir: string | undefined,
): Promise<BrokerStatus> {
  const bootstrap = `127.0.0.1:${port}`;
  const answers = await brokerAnswers(bootstrap);
  const dirs = dataDir !== undefined ? [dataDir] : await dataDirsForPort(port);
  for (const dir of dirs) {
    const pid = await readPid(dataDirFiles(dir).pid);
    if (pid !== undefined && (await isKafkaProcess(pid))) {
      const record = await readRecord(dir);
      return { bootstrap, answers, pid, dataDir: dir, version: record?.kafkaVersion };
    }
  }
  return { bootstrap, answers };
}

/**
 * Whether `pid` is a live Kafka JVM. Checks its command line with `ps` (Deno
 * reads `/proc` only with --allow-all), so a stale pid file never gets an
 * unrelated process signalled; without `ps`, any live process counts.
 */
async function isKafkaProcess(pid: number): Promise<boolean> {
  try {
    const ps = await new Deno.Command("ps", {
      args: ["-p", String(pid), "-o", "args="],
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).output();
    return ps.success && new TextDecoder().decode(ps.stdout).includes("kafka.Kafka");
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

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (await isKafkaProcess(pid)) {
    if (Date.now() >= deadline) return false;
    await sleepUnless(100);
  }
  return true;
}

async function readPid(path: string): Promise<number | undefined> {
  const text = await readTextOrUndefined(path);
  const pid = Number(text?.trim());
  return text !== undefined && Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

async function readRecord(dataDir: string): Promise<DataDirRecord | undefined> {
  const text = await readTextOrUndefined(dataDirFiles(dataDir).record);
  return text === undefined ? undefined : JSON.parse(text) as DataDirRecord;
}

/**
 * What the broker logged since `since` (a byte offset into `server.log`, so
 * errors of earlier runs stay out), or the JVM's own output when it logged
 * nothing, as the tail of an error message.
 */
async function logTail(files: ReturnType<typeof dataDirFiles>, since = 0): Promise<string> {
  const log = await Deno.readFile(files.serverLog).catch((error) => {
    ignoreNotFound(error);
    return new Uint8Array();
  });
  // A log smaller than `since` has rolled over: all of it is new.
  const fresh = new TextDecoder().decode(log.subarray(log.length < since ? 0 : since)).trim();
  if (fresh) return `; from ${display(files.serverLog)}:\n${logExcerpt(fresh)}`;
  const out = (await readTextOrUndefined(files.jvmOut))?.trim();
  if (out) return `; from ${display(files.jvmOut)}:\n${logExcerpt(out)}`;
  return `; nothing in ${display(files.logs)}`;
}

/**
 * The part of a Kafka log worth showing when the broker failed: the last
 * `ERROR` or `FATAL` record with the `Caused by:` lines of its stack trace,
 * which name the root cause that the tail often scrolls past, then the last
 * `lines` lines.
 *
 * @example
 * ```ts
 * import { logExcerpt } from "./launcher.ts";
 * logExcerpt("[t] INFO a (x)\n[t] ERROR b (y)\n\tat z\nCaused by: c\n[t] INFO d (x)", 1);
 * // "[t] ERROR b (y)\nCaused by: c\n...\n[t] INFO d (x)"
 * ```
 */
export function logExcerpt(log: string, lines = LOG_TAIL_LINES): string {
  const all = log.split("\n");
  const tail = all.slice(-lines);
  const record = /^\[[^\]]+\] /;
  const last = all.findLastIndex((line) => /^\[[^\]]+\] (ERROR|FATAL) /.test(line));
  if (last < 0 || last >= all.length - lines) return tail.join("\n");
  const summary = [all[last]];
  for (const line of all.slice(last + 1)) {
    if (record.test(line)) break;
    if (line.startsWith("Caused by: ")) summary.push(line);
  }
  return [...summary, "...", ...tail].join("\n");
}

/** Signals `child`, which may have exited since we last looked. */
function killQuietly(child: Deno.ChildProcess, signal: Deno.Signal): void {
  try {
    child.kill(signal);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
  }
}

/** Sleeps `ms`, or less if `interrupt` settles first; leaves no timer behind. */
async function sleepUnless(ms: number, interrupt?: Promise<unknown>): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const sleep = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race(interrupt ? [sleep, interrupt] : [sleep]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether `promise` settles within `ms`. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let settled = false;
  await sleepUnless(ms, promise.then(() => (settled = true)));
  return settled;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

async function readTextOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

function ignoreNotFound(error: unknown): void {
  if (!(error instanceof Deno.errors.NotFound)) throw error;
}

/** `path` relative to the working directory when it lies below it, for messages. */
function display(path: string): string {
  const rel = relative(Deno.cwd(), path);
  return rel === "" ? "." : rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}

const OLDEST = OLDEST_KAFKA_VERSION.join(".");
const TIMEOUT_S = DEFAULT_TIMEOUT_MS / 1000;

/** The script's usage text. */
export const USAGE = `Usage: deno task broker [options]

Starts a local Apache Kafka broker (KRaft, broker and controller in one JVM)
resolved from Maven Central with Maven; needs Java 17+ and, on first use of a
version, Maven and network access.

Options:
  --port <n>             PLAINTEXT port on 127.0.0.1 (default ${DEFAULT_PORT})
  --controller-port <n>  KRaft controller port on 127.0.0.1 (default: port + 1)
  --data-dir <dir>       data, config and logs (default .kafka-data/<version>-<port>)
  --kafka-version <v>    Kafka release, ${OLDEST} or newer (default ${DEFAULT_KAFKA_VERSION})
  --timeout <s>          seconds to wait for the broker to answer (default ${TIMEOUT_S})
  --detach               start in the background, write <data-dir>/broker.pid, return once ready
  --stop                 stop the broker named by <data-dir>/broker.pid (SIGTERM, then SIGKILL)
  --status               report the broker at --port; exit 0 if it answers, 1 if not
  --help                 show this text

Without --detach, --stop or --status the broker runs in the foreground until
Ctrl-C or SIGTERM.`;

/** Runs the script with `args`; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const { values } = parseCli(args, {
    options: {
      port: { type: "string" },
      "controller-port": { type: "string" },
      "data-dir": { type: "string" },
      "kafka-version": { type: "string" },
      timeout: { type: "string" },
      detach: { type: "boolean" },
      stop: { type: "boolean" },
      status: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const modes = (["detach", "stop", "status"] as const).filter((mode) => values[mode]);
  if (modes.length > 1) {
    throw new UsageError(`--${modes.join(" and --")} cannot be combined`);
  }
  const port = parseNumber("port", values.port, DEFAULT_PORT, {
    min: 1,
    max: 65534,
    integer: true,
  });
  const controllerPort = parseNumber("controller-port", values["controller-port"], port + 1, {
    min: 1,
    max: 65535,
    integer: true,
  });
  if (controllerPort === port) {
    throw new UsageError(`--controller-port must differ from --port: both are ${port}`);
  }
  const timeoutMs = 1000 *
    parseNumber("timeout", values.timeout, DEFAULT_TIMEOUT_MS / 1000, { min: 1 });
  const kafkaVersion = values["kafka-version"];
  if (kafkaVersion !== undefined) {
    try {
      checkKafkaVersion(kafkaVersion);
    } catch (error) {
      throw new UsageError(`--kafka-version: ${(error as Error).message}`);
    }
  }
  const dataDir = values["data-dir"] ??
    (kafkaVersion !== undefined ? defaultDataDir(kafkaVersion, port) : undefined);

  if (values.stop) {
    const stopped = await stopBroker({ dataDir, port });
    if (stopped.length === 0) {
      const where = dataDir ?? `.kafka-data/*-${port}`;
      const running = await brokerAnswers(`127.0.0.1:${port}`);
      console.log(
        running
          ? `a broker answers at 127.0.0.1:${port} but no pid file in ${where} names it: not stopped`
          : `no broker running from ${where}`,
      );
      return running ? 1 : 0;
    }
    for (const broker of stopped) {
      const what = broker.version !== undefined ? `Kafka ${broker.version} broker` : "broker";
      const how = broker.killed ? " with SIGKILL" : "";
      console.log(
        `Stopped ${what} (pid ${broker.pid}) in ${seconds(broker.stoppedMs)}${how}`,
      );
    }
    return 0;
  }

  if (values.status) {
    const status = await brokerStatus(port, dataDir);
    const owner = status.pid !== undefined
      ? `pid ${status.pid}, data ${display(status.dataDir!)}`
      : "no pid file of ours";
    if (status.answers) {
      const version = status.version !== undefined ? `Kafka ${status.version} ` : "";
      console.log(`${version}broker running at ${status.bootstrap} (${owner})`);
      return 0;
    }
    console.log(
      status.pid !== undefined
        ? `broker not answering at ${status.bootstrap} (${owner}: starting, or stuck?)`
        : `no broker running at ${status.bootstrap}`,
    );
    return 1;
  }

  const options: StartBrokerOptions = {
    port,
    controllerPort,
    dataDir,
    kafkaVersion,
    timeoutMs,
    log: console.log,
    detach: values.detach ?? false,
  };
  const bootstrap = `127.0.0.1:${port}`;
  if (values.detach && (await brokerAnswers(bootstrap))) {
    const status = await brokerStatus(port, dataDir);
    const owner = status.pid !== undefined ? ` (pid ${status.pid})` : "";
    console.log(`Kafka broker already running at ${bootstrap}${owner}`);
    return 0;
  }
  const { broker, exited, logStart } = await launch(options);
  const logFile = display(dataDirFiles(broker.dataDir).serverLog);
  console.log(
    `Kafka ${broker.version} broker ready at ${broker.bootstrap} ` +
      `(started in ${seconds(broker.startedMs)}, logs: ${logFile})`,
  );
  if (values.detach) {
    console.log(`Running in the background as pid ${broker.pid}; stop it with --stop`);
    return 0;
  }

  console.log("Press Ctrl-C to stop it.");
  const signals = ["SIGINT", "SIGTERM"] as const;
  let onSignal = () => {};
  const signalled = new Promise<void>((resolve) => (onSignal = resolve));
  for (const signal of signals) Deno.addSignalListener(signal, onSignal);
  try {
    const status = await Promise.race([signalled.then(() => undefined), exited]);
    if (status !== undefined) {
      await broker.stop();
      // Java exits with 128 + signal number after its shutdown hooks ran, as
      // when `--stop` or a terminal's Ctrl-C reached it directly.
      if (status.code === 143 || status.code === 130) {
        console.log(`Kafka ${broker.version} broker stopped by a signal to its JVM`);
        return 0;
      }
      throw new FatalError(
        `Kafka ${broker.version} exited with code ${status.code}` +
          (await logTail(dataDirFiles(broker.dataDir), logStart)),
      );
    }
    console.log("Stopping the broker ...");
    const begin = Date.now();
    await broker.stop();
    console.log(`Stopped Kafka ${broker.version} broker in ${seconds(Date.now() - begin)}`);
    return 0;
  } finally {
    for (const signal of signals) Deno.removeSignalListener(signal, onSignal);
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

if (import.meta.main) {
  await runMain(main, USAGE);
}
