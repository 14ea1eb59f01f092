/**
 * Deciding what a partition's committed offset and metadata mean, checked
 * against the partition's retained log: the consumer's defence against
 * losing or double counting orders after crashes, foreign commits, expired
 * offsets and retention. Pure: no Kafka.
 *
 * @module
 */
import { decodeState, type PartitionState, StateMismatchError } from "./state_codec.ts";
import { emptyAggregate } from "../order/aggregate.ts";
import { FatalError } from "../errors.ts";

/** Where the committed state of a partition could not be trusted. */
export class PartitionStateError extends FatalError {
  override name = "PartitionStateError";
}

/**
 * Turns a committed offset and its metadata into the partition's state,
 * checking it against the partition's retained log. Throws
 * {@linkcode PartitionStateError} when using the commit would lose or double
 * count orders; returns warnings for what is suspicious but safe.
 */
export function stateFromCommit(
  topic: string,
  partition: number,
  committed: { offset: string; metadata: string | null } | undefined,
  log: { low: string; high: string },
): { state: PartitionState; warnings: string[] } {
  const where = `${topic}[${partition}]`;
  const warnings: string[] = [];
  if (committed !== undefined && BigInt(committed.offset) < -1n) {
    throw new PartitionStateError(
      `${where}: offset ${committed.offset} (a reset to the log start) was committed without aggregate state: kafkajs writes it when it finds the committed offset out of range, so the state committed before is gone. Inspect it with 'deno task stats', then either reset the group's offsets for a full recount or use a new --group`,
    );
  }
  if (committed === undefined || committed.offset === "-1") {
    if (BigInt(log.low) > 0n) {
      warnings.push(
        `${where} has no committed offset and its log now starts at offset ${log.low}: records before it were deleted by retention, or this group's offsets expired (offsets.retention.minutes); the aggregate starts at ${log.low} and does not include them`,
      );
    }
    return { state: { next: log.low, agg: emptyAggregate() }, warnings };
  }
  let state: PartitionState;
  try {
    state = decodeState(committed.metadata, committed.offset);
  } catch (error) {
    if (error instanceof StateMismatchError) {
      throw new PartitionStateError(
        `${where}: ${error.message}; refusing to guess the aggregate. Inspect it with 'deno task stats', then either reset the group's offsets for a full recount or use a new --group`,
      );
    }
    throw error;
  }
  if (BigInt(state.next) > BigInt(log.high)) {
    throw new PartitionStateError(
      `${where}: committed offset ${state.next} is past the end of the log (${log.high}); the topic was deleted and recreated. Use a new --group or reset the group's offsets`,
    );
  }
  if (BigInt(state.next) < BigInt(log.low)) {
    warnings.push(
      `${where}: records ${state.next}..${
        BigInt(log.low) - 1n
      } were deleted by retention before this group processed them; the aggregate cannot include them`,
    );
  }
  return { state, warnings };
}

/** Where a newly assigned partition starts: its state, and the offset to seek to when it moved. */
export interface PlannedPartition {
  state: PartitionState;
  /** Set when the committed position is below the log start: kafkajs must be moved there. */
  seekTo?: string;
}

/**
 * The start of every partition in `partitions` after a join, from the
 * group's commits and the partitions' retained logs: each committed state
 * checked by {@linkcode stateFromCommit}, and a position below the log start
 * (its records deleted by retention, which the warnings say) moved up to it.
 * Throws {@linkcode PartitionStateError} when a commit cannot be trusted.
 */
export function planAssignment(
  topic: string,
  partitions: number[],
  committed: Map<number, { offset: string; metadata: string | null }>,
  logs: { partition: number; low: string; high: string }[],
): { planned: Map<number, PlannedPartition>; warnings: string[] } {
  const planned = new Map<number, PlannedPartition>();
  const warnings: string[] = [];
  for (const partition of partitions) {
    const log = logs.find((o) => o.partition === partition);
    if (log === undefined) throw new Error(`no offsets for ${topic}[${partition}]`);
    const result = stateFromCommit(topic, partition, committed.get(partition), log);
    warnings.push(...result.warnings);
    if (BigInt(result.state.next) < BigInt(log.low)) {
      // Those records are gone (the warning said so): carry on from the log start.
      planned.set(partition, { state: { ...result.state, next: log.low }, seekTo: log.low });
    } else {
      planned.set(partition, { state: result.state });
    }
  }
  return { planned, warnings };
}
