/**
 * Where and how a broker starts, with every default in one place and the
 * checks that run once, before anything is resolved or spawned.
 *
 * @module
 */
import { defaultDataDir } from "./data_dir.ts";
import { checkKafkaVersion, DEFAULT_KAFKA_VERSION } from "./version.ts";

/** The only address brokers listen on: they are for this machine's tests and demos. */
export const BROKER_HOST = "127.0.0.1";
/** The PLAINTEXT port when none is given. */
export const DEFAULT_PORT = 9092;
/** How long to wait for a started broker to answer, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 90_000;
/** Kafka needs a few seconds for a controlled shutdown; past this it gets SIGKILL. */
export const STOP_TIMEOUT_MS = 30_000;
/** How long one readiness probe may take while the broker starts. */
export const PROBE_TIMEOUT_MS = 2_000;
/** The pause between readiness probes. */
export const POLL_INTERVAL_MS = 200;

/** The broker's JVM: enough heap for the bench, and short GC pauses for latency figures. */
export const BROKER_JVM_OPTIONS: readonly string[] = [
  "-Xms256m",
  "-Xmx1g",
  "-XX:+UseG1GC",
  "-XX:MaxGCPauseMillis=20",
  "-XX:InitiatingHeapOccupancyPercent=35",
  "-Djava.awt.headless=true",
];

/** The storage tool runs for a second; a small heap and the C1 compiler start it faster. */
export const TOOL_JVM_OPTIONS: readonly string[] = [
  "-Xmx256m",
  "-XX:+UseSerialGC",
  "-XX:TieredStopAtLevel=1",
  "-Djava.awt.headless=true",
];

/**
 * The address clients bootstrap from for a broker on `port`.
 *
 * @example
 * ```ts
 * import { bootstrapAddress } from "./options.ts";
 * bootstrapAddress(9092); // "127.0.0.1:9092"
 * ```
 */
export function bootstrapAddress(port: number): string {
  return `${BROKER_HOST}:${port}`;
}

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
  /**
   * Beside PLAINTEXT, serve SASL_SSL (SCRAM), SSL (client certificates
   * required) and SASL_PLAINTEXT (PLAIN) on `port + 2`, `+ 3` and `+ 4`, with
   * ACLs; see `secure.ts`. A data directory is secured or not from its first
   * start on.
   *
   * @default {false}
   */
  secure?: boolean;
}

/** Options of `startBroker` (in `launch.ts`). */
export interface StartBrokerOptions extends BrokerOptions {
  /**
   * Start the JVM in its own session and let it outlive the caller; stop it
   * later with `stopBroker` (in `process.ts`). Otherwise the broker is a
   * child of the caller, which should call `RunningBroker.stop`.
   *
   * @default {false}
   */
  detach?: boolean;
}

/** {@linkcode StartBrokerOptions} with every default applied. */
export type BrokerSettings = Required<StartBrokerOptions>;

/**
 * `opts` with every default applied and checked. Throws a
 * {@linkcode RangeError} naming the option and its value when a port is not
 * in [1, 65535], the two ports are the same, or the Kafka version is not one
 * we start.
 *
 * @example
 * ```ts
 * import { brokerSettings } from "./options.ts";
 * brokerSettings({ port: 19092 }).controllerPort; // 19093
 * ```
 */
export function brokerSettings(opts: StartBrokerOptions = {}): BrokerSettings {
  const {
    port = DEFAULT_PORT,
    kafkaVersion = DEFAULT_KAFKA_VERSION,
    timeoutMs = DEFAULT_TIMEOUT_MS,
    log = () => {},
    detach = false,
    secure = false,
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
  // The secured listeners take port + 2 to + 4 (see secure.ts).
  if (secure && (controllerPort >= port + 2 && controllerPort <= port + 4 || port + 4 > 65535)) {
    throw new RangeError(
      `Cannot start broker as a secured broker needs ports ${port + 2} to ${port + 4} for its ` +
        `secured listeners: current controllerPort is ${controllerPort}`,
    );
  }
  const dataDir = opts.dataDir ?? defaultDataDir(kafkaVersion, port);
  return { port, controllerPort, dataDir, kafkaVersion, timeoutMs, log, detach, secure };
}
