/**
 * A group's standing on a topic, per partition: where it committed, where
 * the log ends, the lag between them, and the aggregate committed with the
 * offset. The consumer's `/metrics` and the dashboard both show it, from
 * the same committed offsets `deno task stats` reads. Pure: no Kafka.
 *
 * @module
 */
import type { Aggregate } from "../order/aggregate.ts";
import { committedAggregate, type CommittedOffset } from "./committed.ts";

/** One partition's offsets as the broker reports them. */
export interface LogOffsets {
  partition: number;
  /** The log start offset. */
  low: string;
  /** The log end offset (high watermark): the offset the next record gets. */
  high: string;
}

/** One partition of the group's topic. */
export interface PartitionStanding {
  partition: number;
  /** The committed offset; `undefined` while nothing is committed. */
  committed?: bigint;
  logStart: bigint;
  logEnd: bigint;
  /** Records the group has still to read: see {@linkcode partitionLag}. */
  lag: bigint;
  /** The aggregate committed with the offset, when it decodes. */
  agg?: Aggregate;
  /** Why the committed metadata is not our state, when it is not. */
  problem?: string;
}

/**
 * Records still to read: the log end minus the committed offset, the figure
 * kafka-lag-exporter calls `kafka_consumergroup_group_lag`. Without a
 * commit the group starts at the log start, and records retention deleted
 * below it will never be read: both count from the log start. Never
 * negative (a topic recreated under a group leaves its commit past the end).
 *
 * @example
 * ```ts
 * import { partitionLag } from "./lag.ts";
 * partitionLag(40n, { low: 0n, high: 100n }); // 60n
 * partitionLag(undefined, { low: 10n, high: 100n }); // 90n
 * ```
 */
export function partitionLag(
  committed: bigint | undefined,
  log: { low: bigint; high: bigint },
): bigint {
  const from = committed === undefined || committed < log.low ? log.low : committed;
  return log.high > from ? log.high - from : 0n;
}

/**
 * The standing of every partition in `logs`, in partition order, and the
 * exact global aggregate (the same merge `deno task stats` prints).
 */
export function groupStanding(
  committed: Map<number, CommittedOffset>,
  logs: readonly LogOffsets[],
): { partitions: PartitionStanding[]; aggregate: Aggregate } {
  const { partitions: states, aggregate } = committedAggregate(committed);
  const byPartition = new Map(states.map((s) => [s.partition, s]));
  const partitions = [...logs].sort((a, b) => a.partition - b.partition).map((log) => {
    const state = byPartition.get(log.partition);
    const offset = state === undefined || state.offset === "-1" ? undefined : BigInt(state.offset);
    const ends = { low: BigInt(log.low), high: BigInt(log.high) };
    const standing: PartitionStanding = {
      partition: log.partition,
      logStart: ends.low,
      logEnd: ends.high,
      lag: partitionLag(offset, ends),
    };
    if (offset !== undefined) standing.committed = offset;
    if (state?.agg !== undefined) standing.agg = state.agg;
    if (state?.problem !== undefined) standing.problem = state.problem;
    return standing;
  });
  return { partitions, aggregate };
}

/** The total lag over `partitions`. */
export function totalLag(partitions: readonly { lag: bigint }[]): bigint {
  return partitions.reduce((sum, p) => sum + p.lag, 0n);
}
