/**
 * The soak's broker events on its cluster: SIGKILL the leader of a
 * partition and start it again, or restart every broker in turn; each event
 * ends only once every partition has its full in-sync set again, as an
 * operator's rolling restart would wait.
 *
 * @module
 */
import type { Admin } from "kafkajs";
import { startNode, stopNode } from "../broker/cluster.ts";
import { brokerIds } from "../broker/probe.ts";
import { describeError } from "../kafka/errors.ts";
import { fetchTopicLayout, type TopicLayout, underReplicated } from "../kafka/layout.ts";

/** How long a broker event may wait for the cluster to heal. */
export const HEAL_TIMEOUT_MS = 180_000;

/** What the broker events need. */
export interface BrokerDeps {
  /** The cluster directory (see `lib/broker/cluster.ts`). */
  dir: string;
  /** Its bootstrap list. */
  bootstrap: string;
  /** Its node count. */
  nodes: number;
  admin: Admin;
  /** The topics whose replicas must be back in sync before an event ends. */
  topics: string[];
  /** The topic whose partition leaders are killed. */
  topic: string;
  /** Writes one event line, `text` prefixed with the time since production started. */
  log: (text: string) => void;
}

/**
 * The leader of `partition` in `layout`; `undefined` while it has none.
 *
 * @example
 * ```ts
 * import { leaderOf } from "./brokers.ts";
 * leaderOf({ topic: "t", partitions: [{ partition: 0, leader: 2, replicas: [2, 1], isr: [2, 1] }] }, 0);
 * // 2
 * ```
 */
export function leaderOf(layout: TopicLayout, partition: number): number | undefined {
  const leader = layout.partitions.find((p) => p.partition === partition)?.leader;
  return leader === undefined || leader < 0 ? undefined : leader;
}

/**
 * SIGKILLs the broker that leads `partition` of the topic, waits `downMs`,
 * starts it again and waits for the cluster to heal. Resolves with the node
 * killed.
 */
export async function killLeader(
  deps: BrokerDeps,
  partition: number,
  downMs: number,
): Promise<number> {
  const leader = await retrying(async () => {
    const found = leaderOf(await fetchTopicLayout(deps.admin, deps.topic), partition);
    if (found === undefined) throw new Error(`${deps.topic}[${partition}] has no leader`);
    return found;
  });
  const killed = await stopNode(deps.dir, leader, { kill: true });
  deps.log(
    `SIGKILL node ${leader} (pid ${killed?.pid ?? "?"}), leader of ${deps.topic}[${partition}]`,
  );
  await new Promise((resolve) => setTimeout(resolve, downMs));
  const began = Date.now();
  const broker = await startNode(deps.dir, leader);
  deps.log(`node ${leader} started again (pid ${broker.pid}, in ${seconds(Date.now() - began)})`);
  await heal(deps);
  return leader;
}

/**
 * Stops each broker gracefully in turn, starts it again and waits for the
 * cluster to heal before the next. Resolves with the nodes restarted.
 */
export async function rollingRestart(deps: BrokerDeps): Promise<number> {
  deps.log("rolling restart of every broker begins");
  for (let node = 1; node <= deps.nodes; node++) {
    const stopped = await stopNode(deps.dir, node);
    deps.log(
      `node ${node} stopped gracefully (pid ${stopped?.pid ?? "?"}, in ${
        seconds(stopped?.stoppedMs ?? 0)
      })`,
    );
    const began = Date.now();
    const broker = await startNode(deps.dir, node);
    deps.log(`node ${node} started again (pid ${broker.pid}, in ${seconds(Date.now() - began)})`);
    await heal(deps);
  }
  return deps.nodes;
}

/**
 * Waits until the cluster reports every broker and every partition of the
 * topics has a leader and its full in-sync set.
 */
export async function heal(deps: BrokerDeps): Promise<void> {
  const began = Date.now();
  const deadline = began + HEAL_TIMEOUT_MS;
  for (;;) {
    const short = await shortReplicas(deps).catch((error) => [describeError(error)]);
    if (short.length === 0) break;
    if (Date.now() > deadline) {
      throw new Error(
        `the cluster did not heal in ${HEAL_TIMEOUT_MS / 1000} s: ${short.join("; ")}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  deps.log(`every partition in sync again (after ${seconds(Date.now() - began)})`);
}

/** What keeps the cluster from being whole: missing brokers, partitions short of replicas. */
async function shortReplicas(deps: BrokerDeps): Promise<string[]> {
  const ids = (await brokerIds(deps.bootstrap, 2000)) ?? [];
  const short: string[] = ids.length < deps.nodes ? [`brokers ${ids.join(",") || "none"}`] : [];
  for (const topic of deps.topics) {
    const layout = await fetchTopicLayout(deps.admin, topic);
    const behind = underReplicated(layout);
    if (behind.length > 0) short.push(`${topic}[${behind.join(",")}] under-replicated`);
  }
  return short;
}

/**
 * Runs `fn` until it resolves, for up to 60 s: while a broker is dead,
 * kafkajs asks a broker picked at random from its last metadata, which can
 * be the dead one.
 */
async function retrying<T>(fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
