/**
 * Where and how a broker starts, with every default in one place and the
 * checks that run once, before anything is resolved or spawned.
 *
 * @module
 */
import type { Voter } from "./config.ts";
import { defaultClusterDir, defaultDataDir, nodeDataDir } from "./data_dir.ts";
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

/**
 * Each node's JVM in a cluster: three share the machine, so half the heap of
 * a single broker (a local cluster holds little data; 512 MB leaves the page
 * cache, which Kafka reads from, the rest).
 */
export const CLUSTER_NODE_JVM_OPTIONS: readonly string[] = [
  "-Xms128m",
  "-Xmx512m",
  ...BROKER_JVM_OPTIONS.slice(2),
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

/** What starting a broker and starting a cluster both take. */
export interface LaunchOptions {
  /** Apache Kafka release to resolve from Maven Central. @default {DEFAULT_KAFKA_VERSION} */
  kafkaVersion?: string;
  /**
   * How long to wait for the broker (every node of a cluster) to answer a
   * metadata request, in milliseconds.
   *
   * @default {90000}
   */
  timeoutMs?: number;
  /** Receives progress lines such as the resolved version. @default {no output} */
  log?: (line: string) => void;
}

/** Where and how to start a broker. */
export interface BrokerOptions extends LaunchOptions {
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
  /**
   * Beside PLAINTEXT, serve SASL_SSL (SCRAM), SSL (client certificates
   * required) and SASL_PLAINTEXT (PLAIN) on `port + 2`, `+ 3` and `+ 4`, with
   * ACLs; see `secure.ts`. A data directory is secured or not from its first
   * start on.
   *
   * @default {false}
   */
  secure?: boolean;
  /** The node's `node.id`, also its voter id. @default {1} */
  nodeId?: number;
  /** The controller quorum, this node included (see `cluster.ts`). @default {this node alone} */
  voters?: readonly Voter[];
  /**
   * The KRaft cluster id to format with: a cluster's nodes share one.
   *
   * @default {the data directory's, else a new one}
   */
  clusterId?: string;
  /** The broker JVM's options. @default {BROKER_JVM_OPTIONS} */
  jvmOptions?: readonly string[];
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
export type BrokerSettings = Required<Omit<StartBrokerOptions, "clusterId">> & {
  clusterId?: string;
};

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
  const nodeId = opts.nodeId ?? 1;
  return {
    port,
    controllerPort,
    dataDir,
    kafkaVersion,
    timeoutMs,
    log,
    detach,
    secure,
    nodeId,
    voters: opts.voters ?? [{ id: nodeId, port: controllerPort }],
    jvmOptions: opts.jvmOptions ?? BROKER_JVM_OPTIONS,
    ...(opts.clusterId === undefined ? {} : { clusterId: opts.clusterId }),
  };
}

/** The largest cluster the launcher starts: each node is a JVM on this machine. */
export const MAX_NODES = 9;

/** Where and how to start a cluster of several nodes. */
export interface ClusterOptions extends LaunchOptions {
  /** How many nodes, each a broker and a controller voter. @default {3} */
  nodes?: number;
  /** Node 1's PLAINTEXT port; node N listens on `port + N - 1`. @default {9092} */
  port?: number;
  /** Node 1's controller port; node N's is `controllerPort + N - 1`. @default {port + nodes} */
  controllerPort?: number;
  /**
   * The cluster directory, holding `cluster.json` and `node-N/`.
   *
   * @default {"<repo root>/.kafka-data/<kafkaVersion>-<port>-cluster"}
   */
  dataDir?: string;
  /** Start the JVMs in their own sessions, to outlive the caller. @default {false} */
  detach?: boolean;
}

/** {@linkcode ClusterOptions} with every default applied. */
export type ClusterSettings = Required<ClusterOptions>;

/** One node of a cluster: where it listens and keeps its data. */
export interface NodeLayout {
  /** 1-based; also its `node.id` and voter id. */
  node: number;
  port: number;
  controllerPort: number;
  dataDir: string;
}

/**
 * `opts` with every default applied and checked. Throws a
 * {@linkcode RangeError} naming the option and its value when `nodes` is not
 * in [2, 9], a port range leaves [1, 65535], or the brokers' and the
 * controllers' ranges overlap.
 *
 * @example
 * ```ts
 * import { clusterSettings } from "./options.ts";
 * clusterSettings({ port: 39200 }).controllerPort; // 39203
 * ```
 */
export function clusterSettings(opts: ClusterOptions = {}): ClusterSettings {
  const {
    nodes = 3,
    port = DEFAULT_PORT,
    kafkaVersion = DEFAULT_KAFKA_VERSION,
    timeoutMs = DEFAULT_TIMEOUT_MS,
    log = () => {},
    detach = false,
  } = opts;
  const controllerPort = opts.controllerPort ?? port + nodes;
  checkKafkaVersion(kafkaVersion);
  if (!Number.isInteger(nodes) || nodes < 2 || nodes > MAX_NODES) {
    throw new RangeError(
      `Cannot start cluster as nodes must be in [2, ${MAX_NODES}]: current value is ${nodes}`,
    );
  }
  for (const [name, first] of [["port", port], ["controllerPort", controllerPort]] as const) {
    if (!Number.isInteger(first) || first < 1 || first + nodes - 1 > 65535) {
      throw new RangeError(
        `Cannot start cluster as ${name} must be in [1, ${65536 - nodes}] for ${nodes} nodes: ` +
          `current value is ${first}`,
      );
    }
  }
  if (controllerPort < port + nodes && port < controllerPort + nodes) {
    throw new RangeError(
      `Cannot start cluster as the controller ports ${controllerPort}-${
        controllerPort + nodes - 1
      } overlap the broker ports ${port}-${port + nodes - 1}`,
    );
  }
  const dataDir = opts.dataDir ?? defaultClusterDir(kafkaVersion, port);
  return { nodes, port, controllerPort, dataDir, kafkaVersion, timeoutMs, log, detach };
}

/**
 * Each node of the cluster `settings` describes: ports next to each other,
 * data in `node-N/` of the cluster directory.
 *
 * @example
 * ```ts
 * import { clusterLayout } from "./options.ts";
 * clusterLayout({ nodes: 3, port: 39200, controllerPort: 39203, dataDir: "/c" })[1];
 * // { node: 2, port: 39201, controllerPort: 39204, dataDir: "/c/node-2" }
 * ```
 */
export function clusterLayout(
  settings: Pick<ClusterSettings, "nodes" | "port" | "controllerPort" | "dataDir">,
): NodeLayout[] {
  return Array.from({ length: settings.nodes }, (_, i) => ({
    node: i + 1,
    port: settings.port + i,
    controllerPort: settings.controllerPort + i,
    dataDir: nodeDataDir(settings.dataDir, i + 1),
  }));
}

/**
 * The bootstrap list of a cluster's nodes, as clients take it.
 *
 * @example
 * ```ts
 * import { bootstrapList } from "./options.ts";
 * bootstrapList([{ port: 39200 }, { port: 39201 }]); // "127.0.0.1:39200,127.0.0.1:39201"
 * ```
 */
export function bootstrapList(nodes: readonly Pick<NodeLayout, "port">[]): string {
  return nodes.map((node) => bootstrapAddress(node.port)).join(",");
}
