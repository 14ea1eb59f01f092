/**
 * A broker's data directory, the key of everything the launcher does to a
 * broker: where its files are, which directories belong to a port, and the
 * two files that outlive the launcher, `launcher.json` (what the directory
 * was made for) and `broker.pid` (which process runs from it). A cluster
 * keeps one such directory per node, `node-N/`, under a cluster directory
 * whose `cluster.json` says what the cluster is.
 *
 * @module
 */
import { join } from "node:path";
import { readTextOrUndefined, REPO_ROOT } from "./_util.ts";

/** Where brokers keep their data unless told otherwise: `<repo root>/.kafka-data`. */
export const DATA_ROOT: string = join(REPO_ROOT, ".kafka-data");

/** What the launcher records in `<dataDir>/launcher.json`. */
export interface DataDirRecord {
  /** The Kafka version that formatted the directory; no other version starts from it. */
  kafkaVersion: string;
  /** The KRaft cluster id the storage was formatted with. */
  clusterId: string;
  /** The PLAINTEXT port of the last start. */
  port: number;
  /** The controller port of the last start. */
  controllerPort: number;
  /** Whether the directory belongs to a `--secure` broker (its storage holds SCRAM users). */
  secure?: boolean;
  /** The node's id when it is one node of a cluster; absent for a single broker. */
  node?: number;
}

/** The files a broker keeps in its data directory; see {@linkcode dataDirFiles}. */
export interface DataDirFiles {
  /** `launcher.json`, a {@linkcode DataDirRecord}. */
  record: string;
  /** `server.properties`, rewritten on every start. */
  properties: string;
  /** `broker.pid`, the JVM's process id while it runs. */
  pid: string;
  /** `logs/`, Kafka's `kafka.logs.dir`. */
  logs: string;
  /** `logs/server.log`, everything the broker logs. */
  serverLog: string;
  /**
   * `logs/kafkaServer.out`: what the JVM itself prints, such as a missing
   * class, before logging starts.
   */
  jvmOut: string;
  /** `data/meta.properties`, present once the storage is formatted. */
  formatted: string;
}

/**
 * The data directory of Kafka `version` on `port`. Keyed by version because
 * a data directory formatted by one Kafka version is not started by another.
 *
 * @example
 * ```ts
 * import { defaultDataDir } from "./data_dir.ts";
 * defaultDataDir("4.4.0", 9092, "/repo/.kafka-data"); // "/repo/.kafka-data/4.4.0-9092"
 * ```
 */
export function defaultDataDir(version: string, port: number, root: string = DATA_ROOT): string {
  return join(root, `${version}-${port}`);
}

/**
 * The files a broker keeps in `dataDir`.
 *
 * @example
 * ```ts
 * import { dataDirFiles } from "./data_dir.ts";
 * dataDirFiles("/d").serverLog; // "/d/logs/server.log"
 * ```
 */
export function dataDirFiles(dataDir: string): DataDirFiles {
  const logs = join(dataDir, "logs");
  return {
    record: join(dataDir, "launcher.json"),
    properties: join(dataDir, "server.properties"),
    pid: join(dataDir, "broker.pid"),
    logs,
    serverLog: join(logs, "server.log"),
    jvmOut: join(logs, "kafkaServer.out"),
    formatted: join(dataDir, "data", "meta.properties"),
  };
}

/**
 * The data directories under `root` of brokers on `port`, any version,
 * sorted; empty when `root` does not exist.
 */
export function dataDirsForPort(port: number, root: string = DATA_ROOT): Promise<string[]> {
  return dirsEndingWith(root, `-${port}`);
}

/** The directories under `root` whose name ends with `suffix`, sorted; empty when `root` does not exist. */
async function dirsEndingWith(root: string, suffix: string): Promise<string[]> {
  const dirs: string[] = [];
  try {
    for await (const entry of Deno.readDir(root)) {
      if (entry.isDirectory && entry.name.endsWith(suffix)) dirs.push(join(root, entry.name));
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return dirs.sort();
}

/** The `launcher.json` of `dataDir`, or `undefined` before its first start. */
export async function readRecord(dataDir: string): Promise<DataDirRecord | undefined> {
  const text = await readTextOrUndefined(dataDirFiles(dataDir).record);
  return text === undefined ? undefined : JSON.parse(text) as DataDirRecord;
}

/** Writes `record` as the `launcher.json` of `dataDir`. */
export async function writeRecord(dataDir: string, record: DataDirRecord): Promise<void> {
  const { kafkaVersion, clusterId, port, controllerPort, secure, node } = record;
  // Field by field, so the file keeps its shape whatever else `record` holds.
  const fields: DataDirRecord = { kafkaVersion, clusterId, port, controllerPort };
  if (secure) fields.secure = true;
  if (node !== undefined) fields.node = node;
  await Deno.writeTextFile(dataDirFiles(dataDir).record, JSON.stringify(fields) + "\n");
}

/** What the launcher records in `<clusterDir>/cluster.json`. */
export interface ClusterRecord {
  /** The Kafka version that formatted every node. */
  kafkaVersion: string;
  /** The KRaft cluster id every node was formatted with. */
  clusterId: string;
  /** How many nodes, numbered from 1. */
  nodes: number;
  /** Node 1's PLAINTEXT port; node N listens on `port + N - 1`. */
  port: number;
  /** Node 1's controller port; node N's is `controllerPort + N - 1`. */
  controllerPort: number;
}

/**
 * The directory of a cluster of Kafka `version` whose first node listens on
 * `port`; its nodes are `node-1/`, `node-2/`, … inside it.
 *
 * @example
 * ```ts
 * import { defaultClusterDir } from "./data_dir.ts";
 * defaultClusterDir("4.4.0", 9092, "/repo/.kafka-data"); // "/repo/.kafka-data/4.4.0-9092-cluster"
 * ```
 */
export function defaultClusterDir(
  version: string,
  port: number,
  root: string = DATA_ROOT,
): string {
  return join(root, `${version}-${port}-cluster`);
}

/**
 * The data directory of node `node` of the cluster in `clusterDir`.
 *
 * @example
 * ```ts
 * import { nodeDataDir } from "./data_dir.ts";
 * nodeDataDir("/c", 2); // "/c/node-2"
 * ```
 */
export function nodeDataDir(clusterDir: string, node: number): string {
  return join(clusterDir, `node-${node}`);
}

/** The path of the `cluster.json` of `clusterDir`. */
export function clusterRecordFile(clusterDir: string): string {
  return join(clusterDir, "cluster.json");
}

/**
 * The cluster directories under `root` whose first node listens on `port`,
 * any version, sorted; empty when `root` does not exist.
 */
export function clusterDirsForPort(port: number, root: string = DATA_ROOT): Promise<string[]> {
  return dirsEndingWith(root, `-${port}-cluster`);
}

/** The `cluster.json` of `clusterDir`, or `undefined` before the cluster's first start. */
export async function readClusterRecord(clusterDir: string): Promise<ClusterRecord | undefined> {
  const text = await readTextOrUndefined(clusterRecordFile(clusterDir));
  return text === undefined ? undefined : JSON.parse(text) as ClusterRecord;
}

/** Writes `record` as the `cluster.json` of `clusterDir`, creating the directory. */
export async function writeClusterRecord(clusterDir: string, record: ClusterRecord): Promise<void> {
  const { kafkaVersion, clusterId, nodes, port, controllerPort } = record;
  await Deno.mkdir(clusterDir, { recursive: true });
  await Deno.writeTextFile(
    clusterRecordFile(clusterDir),
    JSON.stringify({ kafkaVersion, clusterId, nodes, port, controllerPort }) + "\n",
  );
}
