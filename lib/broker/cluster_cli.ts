/**
 * The cluster half of `deno task broker`: `--nodes N` starts, stops and
 * reports a whole cluster, `--node N` one node of it (`--detach` starts it
 * again, `--stop` stops it gracefully, `--kill` SIGKILLs it).
 *
 * @module
 */
import { FatalError } from "../errors.ts";
import { aborted, withShutdownSignal } from "../cli/main.ts";
import {
  type ClusterStatus,
  clusterStatus,
  type NodeStatus,
  type RunningCluster,
  startCluster,
  startNode,
  stopCluster,
  stopNode,
} from "./cluster.ts";
import {
  clusterDirsForPort,
  dataDirFiles,
  defaultClusterDir,
  readClusterRecord,
} from "./data_dir.ts";
import type { BrokerCommand } from "./flags.ts";
import { seconds } from "./lines.ts";
import { bootstrapAddress } from "./options.ts";
import type { StoppedBroker } from "./process.ts";
import { DEFAULT_KAFKA_VERSION } from "./version.ts";
import { display } from "./_util.ts";

/** Runs a cluster command (one with `--nodes` above 1 or `--node`); returns the exit code. */
export async function clusterMain(command: BrokerCommand): Promise<number> {
  const dir = await clusterDir(command);
  switch (command.mode) {
    case "stop":
      return await stop(dir, command.node);
    case "kill":
      return await kill(dir, command.node!);
    case "status":
      return await status(dir, command.node);
    default:
      return command.node !== undefined ? await restart(dir, command) : await start(dir, command);
  }
}

/**
 * The cluster directory a command means: `--data-dir` (or the version's
 * default), else the one recorded for `--port`, else the default version's.
 */
async function clusterDir(command: BrokerCommand): Promise<string> {
  if (command.dataDir !== undefined) return command.dataDir;
  const found = await clusterDirsForPort(command.port);
  return found[0] ?? defaultClusterDir(DEFAULT_KAFKA_VERSION, command.port);
}

/**
 * The directory of a cluster recorded for `port` with a node running, for a
 * bare `--stop` or `--status`; `undefined` leaves them to the single broker.
 */
export async function clusterAtPort(port: number): Promise<string | undefined> {
  for (const dir of await clusterDirsForPort(port)) {
    if (await readClusterRecord(dir) === undefined) continue;
    if ((await clusterStatus(dir)).nodes.some((node) => node.pid !== undefined)) return dir;
  }
  return undefined;
}

async function start(dir: string, command: BrokerCommand): Promise<number> {
  const nodes = command.nodes ?? (await readClusterRecord(dir))?.nodes ?? 3;
  const detach = command.mode === "detach";
  if (detach && await readClusterRecord(dir) !== undefined) {
    const before = await clusterStatus(dir);
    // Detaching is idempotent, so scripts can call it without checking first.
    if (before.nodes.every((node) => node.answers)) {
      console.log(`Kafka cluster already running at ${before.bootstrap}`);
      return 0;
    }
  }
  const cluster = await startCluster({
    nodes,
    port: command.port,
    controllerPort: command.controllerPort,
    dataDir: dir,
    kafkaVersion: command.kafkaVersion,
    timeoutMs: command.timeoutMs,
    log: console.log,
    detach,
  });
  for (const line of startedLines(cluster)) console.log(line);
  if (detach) {
    const where = `--port ${command.port}` +
      (command.dataDir !== undefined ? ` --data-dir ${display(dir)}` : "");
    console.log(
      `Running in the background; stop it with --stop ${where}, ` +
        "or one node with --node N --stop (or --kill)",
    );
    return 0;
  }
  return await runInForeground(cluster);
}

/**
 * The lines printed once a cluster is up: the bootstrap list first, then
 * each node.
 *
 * @example
 * ```ts
 * import { startedLines } from "./cluster_cli.ts";
 * startedLines({
 *   bootstrap: "127.0.0.1:1,127.0.0.1:2",
 *   version: "4.4.0",
 *   dataDir: "/c",
 *   startedMs: 12_340,
 *   nodes: [
 *     { node: 1, port: 1, controllerPort: 3, dataDir: "/c/node-1" },
 *     { node: 2, port: 2, controllerPort: 4, dataDir: "/c/node-2" },
 *   ],
 *   brokers: [{ pid: 10 }, { pid: 11 }],
 * })[0];
 * // "Kafka 4.4.0 cluster of 2 nodes ready at 127.0.0.1:1,127.0.0.1:2 (started in 12.3 s, data /c)"
 * ```
 */
export function startedLines(
  cluster: Pick<RunningCluster, "bootstrap" | "version" | "dataDir" | "startedMs" | "nodes"> & {
    brokers: { pid: number }[];
  },
): string[] {
  return [
    `Kafka ${cluster.version} cluster of ${cluster.nodes.length} nodes ready at ${cluster.bootstrap} ` +
    `(started in ${seconds(cluster.startedMs)}, data ${display(cluster.dataDir)})`,
    ...cluster.nodes.map((node, i) =>
      `  node ${node.node}: ${bootstrapAddress(node.port)}, controller ${
        bootstrapAddress(node.controllerPort)
      }, pid ${cluster.brokers[i].pid}, logs ${display(dataDirFiles(node.dataDir).serverLog)}`
    ),
  ];
}

/** Keeps the cluster until SIGINT or SIGTERM, then stops every node. */
async function runInForeground(cluster: RunningCluster): Promise<number> {
  console.log("Press Ctrl-C to stop it.");
  return await withShutdownSignal(async (signal) => {
    // Nodes may be killed and restarted from another terminal meanwhile:
    // only a signal ends the foreground run.
    await aborted(signal);
    console.log("Stopping the cluster ...");
    for (const stopped of await cluster.stop()) console.log(nodeStoppedLine(stopped));
    return 0;
  });
}

async function restart(dir: string, command: BrokerCommand): Promise<number> {
  const node = command.node!;
  const before = (await clusterStatus(dir)).nodes[node - 1];
  if (before?.answers) {
    console.log(`node ${node} already running at ${bootstrapAddress(before.port)}`);
    return 0;
  }
  const broker = await startNode(dir, node, {
    timeoutMs: command.timeoutMs,
    log: console.log,
    detach: true,
  });
  console.log(
    `node ${node} ready at ${broker.bootstrap} (pid ${broker.pid}, started in ${
      seconds(broker.startedMs)
    })`,
  );
  return 0;
}

async function stop(dir: string, node: number | undefined): Promise<number> {
  if (await readClusterRecord(dir) === undefined) {
    console.log(`no cluster in ${display(dir)}`);
    return 0;
  }
  const stopped = node === undefined
    ? await stopCluster(dir)
    : [await stopNode(dir, node)].filter((s) => s !== undefined);
  if (stopped.length === 0) {
    console.log(
      node === undefined ? "no node of the cluster was running" : `node ${node} was not running`,
    );
  }
  for (const broker of stopped) console.log(nodeStoppedLine(broker));
  return 0;
}

async function kill(dir: string, node: number): Promise<number> {
  const killed = await stopNode(dir, node, { kill: true });
  console.log(
    killed === undefined
      ? `node ${node} was not running`
      : `Killed node ${node} (pid ${killed.pid}) with SIGKILL`,
  );
  return 0;
}

async function status(dir: string, node: number | undefined): Promise<number> {
  if (await readClusterRecord(dir) === undefined) {
    console.log(`no cluster in ${display(dir)}`);
    return 1;
  }
  const report = await clusterStatus(dir);
  if (node !== undefined) {
    const one = report.nodes[node - 1];
    if (one === undefined) {
      throw new FatalError(
        `--node must be in [1, ${report.nodes.length}]: current value is ${node}`,
      );
    }
    console.log(nodeStatusLine(one));
    return one.answers ? 0 : 1;
  }
  for (const line of clusterStatusLines(report)) console.log(line);
  return report.nodes.every((n) => n.answers) ? 0 : 1;
}

/**
 * The lines `--status` prints for a cluster: a heading, then one per node.
 *
 * @example
 * ```ts
 * import { clusterStatusLines } from "./cluster_cli.ts";
 * const node = { node: 1, port: 1, controllerPort: 2, dataDir: "/c/node-1", answers: true, pid: 7 };
 * const record = { kafkaVersion: "4.4.0", clusterId: "x", nodes: 1, port: 1, controllerPort: 2 };
 * clusterStatusLines({ record, dataDir: "/c", bootstrap: "127.0.0.1:1", nodes: [node] })[1];
 * // "  node 1: running at 127.0.0.1:1 (pid 7)"
 * ```
 */
export function clusterStatusLines(report: ClusterStatus): string[] {
  const up = report.nodes.filter((node) => node.answers).length;
  return [
    `Kafka ${report.record.kafkaVersion} cluster at ${report.bootstrap} (data ${
      display(report.dataDir)
    }): ${up} of ${report.nodes.length} nodes running`,
    ...report.nodes.map((node) => `  ${nodeStatusLine(node)}`),
  ];
}

/**
 * One node's `--status` line.
 *
 * @example
 * ```ts
 * import { nodeStatusLine } from "./cluster_cli.ts";
 * nodeStatusLine({ node: 2, port: 9, controllerPort: 8, dataDir: "/d", answers: false });
 * // "node 2: not running (127.0.0.1:9)"
 * ```
 */
export function nodeStatusLine(node: NodeStatus): string {
  const at = bootstrapAddress(node.port);
  if (node.answers) return `node ${node.node}: running at ${at} (pid ${node.pid ?? "not ours"})`;
  return node.pid !== undefined
    ? `node ${node.node}: not answering at ${at} (pid ${node.pid}: starting, or stuck?)`
    : `node ${node.node}: not running (${at})`;
}

/**
 * The line for a node `--stop` stopped.
 *
 * @example
 * ```ts
 * import { nodeStoppedLine } from "./cluster_cli.ts";
 * nodeStoppedLine({ pid: 7, dataDir: "/c/node-2", port: 39201, stoppedMs: 1500, killed: false });
 * // "Stopped node at 127.0.0.1:39201 (pid 7) in 1.5 s"
 * ```
 */
export function nodeStoppedLine(broker: StoppedBroker): string {
  const where = broker.port !== undefined ? ` at ${bootstrapAddress(broker.port)}` : "";
  const how = broker.killed ? " with SIGKILL" : "";
  return `Stopped node${where} (pid ${broker.pid}) in ${seconds(broker.stoppedMs)}${how}`;
}
