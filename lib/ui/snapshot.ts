/**
 * What the dashboard shows at one moment, as plain data: the broker, the
 * group and its members, lag and the exact committed aggregate per
 * partition, the dead letters, and the charts. Built here from what the
 * dashboard read, free of Kafka, so every figure is tested as a value.
 *
 * @module
 */
import { groupStanding, type LogOffsets, totalLag } from "../consumer/lag.ts";
import type { CommittedOffset } from "../consumer/committed.ts";
import { type AggregateSummary, summarize } from "../order/aggregate.ts";
import type { DeadLetters } from "./dlq_panel.ts";
import type { ChartData } from "./series.ts";

/** One partition of the consumed topic. */
export interface PartitionRow {
  partition: number;
  /** The group's committed offset; `null` while nothing is committed. */
  committed: number | null;
  logEnd: number;
  lag: number;
  /** The aggregate committed with the offset; `null` when none decodes. */
  agg: AggregateSummary | null;
  /** Why the committed metadata is not our state, when it is not. */
  problem?: string;
}

/** One member of the consumer group. */
export interface MemberRow {
  clientId: string;
  host: string;
  /** The consumed topic's partitions it holds. */
  partitions: number[];
}

/** The group at a glance. */
export type GroupStatus = "stable" | "rebalancing" | "empty" | "dead" | "unknown";

/** Where the lag is going. */
export type LagTrend = "caught-up" | "keeping-up" | "falling" | "growing" | "steady" | "unknown";

/** The dashboard's view at one moment. */
export interface Snapshot {
  /** When it was taken, ms since the epoch. */
  at: number;
  topic: string;
  dlqTopic: string;
  group: string;
  broker: { reachable: boolean; brokers: number; error?: string };
  consumerGroup: { status: GroupStatus; state: string; members: MemberRow[] };
  partitions: PartitionRow[];
  /** The exact global aggregate, as `deno task stats` prints it. */
  aggregate: AggregateSummary;
  lag: { total: number; trend: LagTrend };
  dlq: DeadLetters;
  charts: ChartData;
}

/**
 * The group's status from the coordinator's state name.
 *
 * @example
 * ```ts
 * import { groupStatus } from "./snapshot.ts";
 * groupStatus("PreparingRebalance"); // "rebalancing"
 * ```
 */
export function groupStatus(state: string | undefined): GroupStatus {
  switch (state) {
    case "Stable":
      return "stable";
    case "PreparingRebalance":
    case "CompletingRebalance":
    case "Assigning":
    case "Reconciling":
      return "rebalancing";
    case "Empty":
      return "empty";
    case "Dead":
      return "dead";
    default:
      return "unknown";
  }
}

/** How many seconds back the lag trend compares. */
export const TREND_SECONDS = 10;

/**
 * Where the total lag is going, from one sample a second, oldest first:
 * `caught-up` at 0; `keeping-up` while it is no more than a second's worth
 * of input (`inPerSecond`), as with a consumer that keeps pace with a busy
 * producer; else `growing` or `falling` against {@linkcode TREND_SECONDS}
 * ago (or the oldest sample), else `steady`.
 *
 * @example
 * ```ts
 * import { lagTrend } from "./snapshot.ts";
 * lagTrend([500, 420, 300], 50); // "falling"
 * lagTrend([2, 3, 2], 250); // "keeping-up"
 * ```
 */
export function lagTrend(totals: readonly number[], inPerSecond = 0): LagTrend {
  const now = totals.at(-1);
  if (now === undefined) return "unknown";
  if (now === 0) return "caught-up";
  if (now <= inPerSecond) return "keeping-up";
  const then = totals[Math.max(0, totals.length - 1 - TREND_SECONDS)];
  return now > then ? "growing" : now < then ? "falling" : "steady";
}

/** The partition rows and exact aggregate from the group's commits and the topic's offsets. */
export function partitionRows(
  committed: Map<number, CommittedOffset>,
  logs: readonly LogOffsets[],
): { rows: PartitionRow[]; aggregate: AggregateSummary; lag: number } {
  const standing = groupStanding(committed, logs);
  const rows = standing.partitions.map((p) => {
    const row: PartitionRow = {
      partition: p.partition,
      committed: p.committed === undefined ? null : Number(p.committed),
      logEnd: Number(p.logEnd),
      lag: Number(p.lag),
      agg: p.agg === undefined ? null : summarize(p.agg),
    };
    if (p.problem !== undefined) row.problem = p.problem;
    return row;
  });
  return {
    rows,
    aggregate: summarize(standing.aggregate),
    lag: Number(totalLag(standing.partitions)),
  };
}
