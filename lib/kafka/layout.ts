/**
 * A topic's layout on the cluster: which broker leads each partition, which
 * hold replicas of it and which of those are in sync. The programs print it
 * with `--verbose` (`stats` always), and the chaos soak finds the leader it
 * kills here.
 *
 * @module
 */
import type { Admin } from "kafkajs";

/** One partition's replicas, by broker node id. */
export interface PartitionLayout {
  partition: number;
  /** The leader's node id; -1 while there is none. */
  leader: number;
  /** Every replica, preferred leader first. */
  replicas: number[];
  /** The replicas in sync with the leader (the ISR). */
  isr: number[];
}

/** Where a topic's partitions live. */
export interface TopicLayout {
  topic: string;
  /** By partition number. */
  partitions: PartitionLayout[];
  /** The topic's `min.insync.replicas`, when the principal may read its configs. */
  minInsyncReplicas?: number;
}

/**
 * The lines that show `layout`: a heading with the counts, then one line per
 * partition, marking those whose in-sync set is short of their replicas.
 *
 * @example
 * ```ts
 * import { layoutLines } from "./layout.ts";
 * layoutLines({
 *   topic: "orders",
 *   partitions: [{ partition: 0, leader: 2, replicas: [2, 3, 1], isr: [2, 3] }],
 *   minInsyncReplicas: 2,
 * });
 * // ["Topic orders: 1 partition, replication factor 3, min.insync.replicas 2",
 * //  "  orders[0]: leader 2, replicas 2,3,1, in sync 2,3 (under-replicated)"]
 * ```
 */
export function layoutLines(layout: TopicLayout): string[] {
  const { topic, partitions } = layout;
  const factors = [...new Set(partitions.map((p) => p.replicas.length))].sort((a, b) => a - b);
  const heading =
    `Topic ${topic}: ${partitions.length} partition${
      partitions.length === 1 ? "" : "s"
    }, replication factor ${factors.join("/") || "?"}` +
    (layout.minInsyncReplicas === undefined
      ? ""
      : `, min.insync.replicas ${layout.minInsyncReplicas}`);
  return [
    heading,
    ...partitions.map((p) => {
      const leader = p.leader < 0 ? "none" : String(p.leader);
      const short = p.isr.length < p.replicas.length ? " (under-replicated)" : "";
      return `  ${topic}[${p.partition}]: leader ${leader}, replicas ${p.replicas.join(",")}, ` +
        `in sync ${p.isr.join(",") || "none"}${short}`;
    }),
  ];
}

/**
 * What a program prints for `--verbose`: {@linkcode layoutLines}, or one
 * JSON object (`"event":"layout"`) in JSON mode.
 *
 * @example
 * ```ts
 * import { verboseLayout } from "./layout.ts";
 * verboseLayout({ topic: "t", partitions: [] }, "json"); // ['{"event":"layout","topic":"t","partitions":[]}']
 * ```
 */
export function verboseLayout(layout: TopicLayout, output: "text" | "quiet" | "json"): string[] {
  return output === "json" ? [JSON.stringify({ event: "layout", ...layout })] : layoutLines(layout);
}

/**
 * The partitions of `layout` whose in-sync set is short of their replicas,
 * or that have no leader.
 *
 * @example
 * ```ts
 * import { underReplicated } from "./layout.ts";
 * underReplicated({
 *   topic: "t",
 *   partitions: [
 *     { partition: 0, leader: 1, replicas: [1, 2], isr: [1, 2] },
 *     { partition: 1, leader: 2, replicas: [2, 1], isr: [2] },
 *   ],
 * }); // [1]
 * ```
 */
export function underReplicated(layout: TopicLayout): number[] {
  return layout.partitions
    .filter((p) => p.leader < 0 || p.isr.length < p.replicas.length)
    .map((p) => p.partition);
}

/**
 * Reads the layout of `topic` from the cluster's metadata, and its
 * `min.insync.replicas` when the principal may describe its configs.
 */
export async function fetchTopicLayout(admin: Admin, topic: string): Promise<TopicLayout> {
  const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
  const partitions = (topics[0]?.partitions ?? [])
    .map((p) => ({
      partition: p.partitionId,
      leader: p.leader,
      replicas: [...p.replicas],
      isr: [...p.isr],
    }))
    .sort((a, b) => a.partition - b.partition);
  const layout: TopicLayout = { topic, partitions };
  const minIsr = await topicConfig(admin, topic, "min.insync.replicas");
  if (minIsr !== undefined) layout.minInsyncReplicas = Number(minIsr);
  return layout;
}

/** One config of `topic`, or `undefined` when it cannot be read (e.g. no DescribeConfigs ACL). */
async function topicConfig(admin: Admin, topic: string, name: string): Promise<string | undefined> {
  try {
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      // kafkajs's ConfigResourceTypes.TOPIC.
      resources: [{ type: 2, name: topic, configNames: [name] }],
    });
    return resources[0]?.configEntries.find((e) => e.configName === name)?.configValue;
  } catch {
    return undefined;
  }
}
