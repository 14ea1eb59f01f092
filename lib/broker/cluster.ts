/**
 * A local cluster of several Kafka nodes on 127.0.0.1, each its own JVM and
 * data directory, every one both a broker and a voter of the KRaft
 * controller quorum ("combined" nodes: three JVMs instead of six, and a
 * killed broker takes a controller with it, the harder case the quorum must
 * survive). Nodes are found by their cluster directory, so a cluster started
 * by one process is stopped, killed or restarted node by node by another.
 *
 * @module
 */
import { FatalError } from "../errors.ts";
import type { Voter } from "./config.ts";
import { newClusterId } from "./config.ts";
import {
  type ClusterRecord,
  dataDirFiles,
  readClusterRecord,
  writeClusterRecord,
} from "./data_dir.ts";
import { killQuietly } from "./jvm.ts";
import {
  awaitBroker,
  findTools,
  type LaunchedBroker,
  prepareBroker,
  refuseIfAnswering,
  type RunningBroker,
  type SpawnedBroker,
  spawnPrepared,
} from "./launch.ts";
import {
  bootstrapAddress,
  bootstrapList,
  type BrokerSettings,
  brokerSettings,
  CLUSTER_NODE_JVM_OPTIONS,
  clusterLayout,
  type ClusterOptions,
  clusterSettings,
  type NodeLayout,
  POLL_INTERVAL_MS,
} from "./options.ts";
import { readPid } from "./pid_file.ts";
import { brokerAnswers, brokerIds } from "./probe.ts";
import { isKafkaProcess, stopBroker, type StoppedBroker } from "./process.ts";
import { display, sleepUnless } from "./_util.ts";

/** A cluster whose every node answers and sees all the others. */
export interface RunningCluster {
  /** The bootstrap list, e.g. `127.0.0.1:39200,127.0.0.1:39201,127.0.0.1:39202`. */
  bootstrap: string;
  /** The Kafka version running. */
  version: string;
  /** The cluster directory. */
  dataDir: string;
  /** Each node's ports and data directory. */
  nodes: NodeLayout[];
  /** Each node as started, in node order. */
  brokers: RunningBroker[];
  /** How long the start took, in milliseconds, formatting included. */
  startedMs: number;
  /** Stops every node that runs now (see {@linkcode stopCluster}); runs once. */
  stop(): Promise<StoppedBroker[]>;
}

/**
 * Starts a cluster of `nodes` combined nodes and resolves once every node
 * answers and the cluster reports all of them as brokers. Formats each
 * node's storage on first use with one shared cluster id and a static
 * voter set, and records the cluster in `<dataDir>/cluster.json`.
 *
 * Every JVM is spawned before any is waited for: a node alone has no quorum
 * and never answers. When one fails, the others are killed. Throws a
 * {@linkcode FatalError} when a port already answers, the directory holds
 * another cluster, or a node does not come up (with its log).
 *
 * @example
 * ```ts ignore
 * import { startCluster } from "./cluster.ts";
 * const cluster = await startCluster({ nodes: 3, port: 39200 });
 * try {
 *   // use cluster.bootstrap
 * } finally {
 *   await cluster.stop();
 * }
 * ```
 */
export async function startCluster(opts: ClusterOptions = {}): Promise<RunningCluster> {
  const began = Date.now();
  const settings = clusterSettings(opts);
  const layout = clusterLayout(settings);
  for (const node of layout) await refuseIfAnswering(node.port);
  const record = await claimClusterDir(settings);
  const tools = await findTools(settings);
  const prepared = await Promise.all(
    layout.map((node) =>
      prepareBroker(nodeSettings(record, settings.dataDir, node.node, settings), tools)
    ),
  );
  const spawned: SpawnedBroker[] = [];
  for (const node of prepared) spawned.push(await spawnPrepared(node));
  // The first node to fail says why; the others fail after it because we kill them.
  let firstFailure: { error: unknown } | undefined;
  const results = await Promise.allSettled(
    prepared.map((node, i) =>
      awaitBroker(node, spawned[i], began).catch((error) => {
        firstFailure ??= { error };
        spawned.forEach(({ jvm }) => killQuietly(jvm.child, "SIGKILL"));
        throw error;
      })
    ),
  );
  if (firstFailure !== undefined) {
    await Promise.all(spawned.map(({ jvm }) => jvm.exited));
    await stopCluster(settings.dataDir);
    throw firstFailure.error;
  }
  const bootstrap = bootstrapList(layout);
  const brokers = results.map((r) => (r as PromiseFulfilledResult<LaunchedBroker>).value.broker);
  try {
    await waitForBrokers(bootstrap, settings.nodes, began + settings.timeoutMs);
  } catch (error) {
    await stopCluster(settings.dataDir);
    throw error;
  }
  let stopping: Promise<StoppedBroker[]> | undefined;
  return {
    bootstrap,
    version: settings.kafkaVersion,
    dataDir: settings.dataDir,
    nodes: layout,
    brokers,
    startedMs: Date.now() - began,
    stop() {
      stopping ??= stopCluster(settings.dataDir);
      return stopping;
    },
  };
}

/**
 * Reads the cluster directory's record, checks it describes a cluster of
 * the same version and size, and writes it back with this start's ports
 * (keeping the cluster id of an earlier start).
 */
async function claimClusterDir(
  settings: ReturnType<typeof clusterSettings>,
): Promise<ClusterRecord> {
  const { dataDir, kafkaVersion, nodes, port, controllerPort } = settings;
  const existing = await readClusterRecord(dataDir);
  if (existing !== undefined && existing.kafkaVersion !== kafkaVersion) {
    throw new FatalError(
      `${display(dataDir)} holds a cluster of Kafka ${existing.kafkaVersion}, not ` +
        `${kafkaVersion}: choose another --data-dir or delete it`,
    );
  }
  if (existing !== undefined && existing.nodes !== nodes) {
    throw new FatalError(
      `${display(dataDir)} holds a cluster of ${existing.nodes} nodes, not ${nodes}: ` +
        "choose another --data-dir or delete it",
    );
  }
  const record: ClusterRecord = {
    kafkaVersion,
    clusterId: existing?.clusterId ?? newClusterId(),
    nodes,
    port,
    controllerPort,
  };
  await writeClusterRecord(dataDir, record);
  return record;
}

/** The voters of the cluster `record` describes. */
function voters(record: ClusterRecord, clusterDir: string): Voter[] {
  return clusterLayout({ ...record, dataDir: clusterDir })
    .map((node) => ({ id: node.node, port: node.controllerPort }));
}

/** The settings of node `node` of the cluster `record` describes. */
function nodeSettings(
  record: ClusterRecord,
  clusterDir: string,
  node: number,
  opts: { timeoutMs?: number; log?: (line: string) => void; detach?: boolean },
): BrokerSettings {
  const layout = clusterLayout({ ...record, dataDir: clusterDir })[node - 1];
  return brokerSettings({
    port: layout.port,
    controllerPort: layout.controllerPort,
    dataDir: layout.dataDir,
    kafkaVersion: record.kafkaVersion,
    nodeId: node,
    voters: voters(record, clusterDir),
    clusterId: record.clusterId,
    jvmOptions: CLUSTER_NODE_JVM_OPTIONS,
    timeoutMs: opts.timeoutMs,
    log: opts.log,
    detach: opts.detach,
  });
}

/** Polls until the cluster at `bootstrap` reports `count` brokers, or throws at `deadline`. */
export async function waitForBrokers(
  bootstrap: string,
  count: number,
  deadline: number,
): Promise<void> {
  for (;;) {
    const ids = await brokerIds(bootstrap, 2000);
    if ((ids?.length ?? 0) >= count) return;
    if (Date.now() >= deadline) {
      throw new FatalError(
        `the cluster at ${bootstrap} reports ${ids?.length ?? 0} of ${count} brokers ` +
          `(${ids?.join(", ") || "none"}) in time`,
      );
    }
    await sleepUnless(POLL_INTERVAL_MS);
  }
}

/** The record of the cluster in `clusterDir`; a {@linkcode FatalError} when there is none. */
export async function clusterRecord(clusterDir: string): Promise<ClusterRecord> {
  const record = await readClusterRecord(clusterDir);
  if (record === undefined) {
    throw new FatalError(`no cluster in ${display(clusterDir)}: start it with --nodes first`);
  }
  return record;
}

/** Options of {@linkcode startNode}. */
export interface StartNodeOptions {
  /** @default {90000} */
  timeoutMs?: number;
  /** @default {no output} */
  log?: (line: string) => void;
  /** @default {false} */
  detach?: boolean;
}

/**
 * Starts node `node` of the cluster in `clusterDir` again, as it was
 * configured, and resolves once it answers. Throws a {@linkcode FatalError}
 * when the node number is not one of the cluster's or it already answers.
 */
export async function startNode(
  clusterDir: string,
  node: number,
  opts: StartNodeOptions = {},
): Promise<RunningBroker> {
  const began = Date.now();
  const record = await clusterRecord(clusterDir);
  checkNode(record, node);
  const settings = nodeSettings(record, clusterDir, node, opts);
  await refuseIfAnswering(settings.port);
  const prepared = await prepareBroker(settings, await findTools(settings));
  return (await awaitBroker(prepared, await spawnPrepared(prepared), began)).broker;
}

/**
 * Stops node `node` of the cluster in `clusterDir` through its pid file:
 * gracefully (SIGTERM: leadership moves away first), or with SIGKILL when
 * `kill`. `undefined` when it was not running.
 */
export async function stopNode(
  clusterDir: string,
  node: number,
  opts: { kill?: boolean } = {},
): Promise<StoppedBroker | undefined> {
  const record = await clusterRecord(clusterDir);
  checkNode(record, node);
  const { dataDir } = clusterLayout({ ...record, dataDir: clusterDir })[node - 1];
  return (await stopBroker({ dataDir, kill: opts.kill }))[0];
}

/**
 * Stops every running node of the cluster in `clusterDir` at once (SIGTERM,
 * SIGKILL after 30 s): one by one, the last nodes would wait out their
 * controlled shutdown without a quorum.
 */
export async function stopCluster(clusterDir: string): Promise<StoppedBroker[]> {
  const record = await readClusterRecord(clusterDir);
  if (record === undefined) return [];
  const layout = clusterLayout({ ...record, dataDir: clusterDir });
  const stopped = await Promise.all(layout.map(({ dataDir }) => stopBroker({ dataDir })));
  return stopped.flat();
}

/** One node's state, as `--status` reports it. */
export interface NodeStatus extends NodeLayout {
  /** Whether it answers at its port. */
  answers: boolean;
  /** Its JVM's pid, when its pid file names a live Kafka process. */
  pid?: number;
}

/** A cluster's state: its record and every node's. */
export interface ClusterStatus {
  record: ClusterRecord;
  dataDir: string;
  bootstrap: string;
  nodes: NodeStatus[];
}

/** The state of every node of the cluster in `clusterDir`. */
export async function clusterStatus(clusterDir: string): Promise<ClusterStatus> {
  const record = await clusterRecord(clusterDir);
  const layout = clusterLayout({ ...record, dataDir: clusterDir });
  const nodes = await Promise.all(layout.map(async (node): Promise<NodeStatus> => {
    const pid = await readPid(dataDirFiles(node.dataDir).pid);
    const live = pid !== undefined && await isKafkaProcess(pid);
    const answers = await brokerAnswers(bootstrapAddress(node.port), 2000);
    return { ...node, answers, ...(live ? { pid } : {}) };
  }));
  return { record, dataDir: clusterDir, bootstrap: bootstrapList(layout), nodes };
}

function checkNode(record: ClusterRecord, node: number): void {
  if (!Number.isInteger(node) || node < 1 || node > record.nodes) {
    throw new FatalError(
      `--node must be in [1, ${record.nodes}] for this cluster: current value is ${node}`,
    );
  }
}
