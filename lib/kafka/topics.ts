/**
 * Creates the pipeline's topics idempotently, so no program needs a manual
 * setup step, and waits until every partition has a leader: under KRaft a
 * new topic can briefly be missing from metadata. On a cluster of three or
 * more brokers a new topic gets three replicas, two of which must hold a
 * write before it is acknowledged.
 *
 * @module
 */
import type { Admin } from "kafkajs";
import { FatalError } from "../errors.ts";
import { asAccessDenied, guard } from "./access.ts";
import { fetchTopicLayout, verboseLayout } from "./layout.ts";
import { identityOf } from "./session.ts";

/** A topic to make sure of. */
export interface TopicSpec {
  topic: string;
  /** @default {3} */
  partitions?: number;
  /** Extra topic configs, e.g. `cleanup.policy`. */
  config?: Record<string, string>;
}

/** The default partition count of the pipeline's topics. */
export const DEFAULT_PARTITIONS = 3;

/**
 * The replication factor of a new topic when none is asked for: 3 on a
 * cluster of at least three brokers (one may die and one more may lag while
 * every write still has two copies), else 1.
 *
 * @example
 * ```ts
 * import { defaultReplicationFactor } from "./topics.ts";
 * [defaultReplicationFactor(1), defaultReplicationFactor(2), defaultReplicationFactor(5)]; // [1, 1, 3]
 * ```
 */
export function defaultReplicationFactor(brokers: number): number {
  return brokers >= 3 ? 3 : 1;
}

/**
 * The `min.insync.replicas` a topic of `replicationFactor` replicas is
 * created with: 2 when replicated, so an `acks=all` write is on two brokers
 * before it is acknowledged and a broker's death loses nothing; 1 for a
 * single replica, which a broker-wide default of 2 would make unwritable.
 *
 * @example
 * ```ts
 * import { minInsyncReplicas } from "./topics.ts";
 * [minInsyncReplicas(1), minInsyncReplicas(2), minInsyncReplicas(3)]; // [1, 2, 2]
 * ```
 */
export function minInsyncReplicas(replicationFactor: number): number {
  return Math.min(2, replicationFactor);
}

/** Options of {@linkcode ensureTopics}. */
export interface EnsureTopicsOptions {
  /**
   * Replicas of each topic created; an existing topic keeps its own.
   *
   * @default {defaultReplicationFactor(the cluster's broker count)}
   */
  replicationFactor?: number;
  /** How long to wait for every partition to have a leader. @default {30000} */
  timeoutMs?: number;
}

/**
 * Creates the topics that do not exist yet and waits (polling, up to
 * `timeoutMs`) until all their partitions have leaders. Returns each topic's
 * partition count, which may differ from the request for a topic that existed.
 * A principal that may not Create or Describe them gets an
 * `AccessDeniedError` naming the topics, at once; a replication factor above
 * the cluster's broker count is a {@linkcode FatalError} saying so.
 */
export async function ensureTopics(
  admin: Admin,
  specs: TopicSpec[],
  options: EnsureTopicsOptions = {},
): Promise<Map<string, number>> {
  const { timeoutMs = 30_000 } = options;
  const identity = identityOf(admin);
  // listTopics() leaves out the topics a principal may not Describe.
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((s) => !existing.has(s.topic));
  if (missing.length > 0) {
    const names = missing.map((s) => s.topic).join(", ");
    const replicationFactor = await replicationFor(admin, names, options.replicationFactor);
    try {
      await guard(
        { topic: { operation: "Create", resource: "topic", name: names } },
        identity,
        () => createTopics(admin, missing, replicationFactor),
      );
    } catch (error) {
      // Another program may have created it between our list and create.
      if (!/already exists/i.test(String((error as Error)?.message))) throw error;
    }
  }
  const topics = specs.map((s) => s.topic);
  const describe = {
    topic: { operation: "Describe", resource: "topic", name: topics.join(", ") },
  } as const;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { topics: meta } = await admin.fetchTopicMetadata({ topics });
      const ready = meta.length === topics.length &&
        meta.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
      if (ready) {
        await assertServed(admin, missing);
        return new Map(meta.map((t) => [t.name, t.partitions.length]));
      }
    } catch (error) {
      // A denial stays a denial; a just-created topic may just not be there yet.
      const denied = asAccessDenied(error, describe, identity);
      if (denied !== undefined) throw denied;
    }
    if (Date.now() > deadline) {
      throw new Error(`topics ${topics.join(", ")} have no leaders after ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A program's pair of topics, as {@linkcode ensurePipelineTopics} reads them from its config. */
export interface PipelineTopics {
  topic: string;
  dlqTopic: string;
  /** Partitions of each topic it creates. */
  partitions?: number;
  replicationFactor?: number;
  /** Also read the topic's layout (leader and replicas per partition). */
  verbose?: boolean;
  output: "text" | "quiet" | "json";
}

/**
 * Makes sure of a program's topic and its DLQ (see {@linkcode ensureTopics})
 * and returns their real partition counts, which may differ from the ask
 * for topics that existed; with `verbose`, also the topic's layout lines.
 */
export async function ensurePipelineTopics(
  admin: Admin,
  config: PipelineTopics,
): Promise<{ partitions: Map<string, number>; layout?: string[] }> {
  const partitions = await ensureTopics(admin, [
    { topic: config.topic, partitions: config.partitions },
    { topic: config.dlqTopic, partitions: config.partitions },
  ], { replicationFactor: config.replicationFactor });
  if (!config.verbose) return { partitions };
  const layout = verboseLayout(await fetchTopicLayout(admin, config.topic), config.output);
  return { partitions, layout };
}

/**
 * Throws unless every partition of the new `topics` answers a ListOffsets.
 * The metadata names a leader before that broker has become one: a produce,
 * a fetch or an offsets request sent then fails with NOT_LEADER_FOR_PARTITION
 * (a kafkajs producer that is not idempotent then resends the partitions of
 * the same request that were written). Its caller takes a failure as "not yet".
 */
async function assertServed(admin: Admin, topics: TopicSpec[]): Promise<void> {
  for (const { topic } of topics) await admin.fetchTopicOffsets(topic);
}

/**
 * The replication factor to create `names` with: `asked`, else the default
 * for the cluster's size. Throws a {@linkcode FatalError} when the cluster
 * has fewer brokers than that.
 */
async function replicationFor(
  admin: Admin,
  names: string,
  asked: number | undefined,
): Promise<number> {
  const brokers = (await admin.describeCluster()).brokers.length;
  const replicationFactor = asked ?? defaultReplicationFactor(brokers);
  if (replicationFactor > brokers) {
    throw new FatalError(
      `cannot create ${names} with replication factor ${replicationFactor}: the cluster has ` +
        `${brokers} broker${
          brokers === 1 ? "" : "s"
        } (give --replication-factor ${brokers} or less)`,
    );
  }
  return replicationFactor;
}

function createTopics(
  admin: Admin,
  missing: TopicSpec[],
  replicationFactor: number,
): Promise<boolean> {
  return admin.createTopics({
    // kafkajs's own wait asks for the new topics' metadata once and fails on
    // UNKNOWN_TOPIC_OR_PARTITION, which a broker answers until it has applied
    // the controller's record (seen when instances start together): the
    // caller polls for the leaders instead.
    waitForLeaders: false,
    topics: missing.map((s) => ({
      topic: s.topic,
      numPartitions: s.partitions ?? DEFAULT_PARTITIONS,
      replicationFactor,
      configEntries: Object.entries({
        "min.insync.replicas": String(minInsyncReplicas(replicationFactor)),
        ...s.config,
      }).map(([name, value]) => ({ name, value })),
    })),
  });
}
