/**
 * What one consumer instance knows of its group at a time: the generation it
 * joined last, the partitions it holds, and each partition's committed state.
 * Everything is dropped on every join: state is always reloaded from what was
 * committed, never carried over. Pure.
 *
 * @module
 */
import { type Aggregate, mergeAggregates } from "../order/aggregate.ts";
import type { PartitionState } from "./state_codec.ts";

/** The instance's view of its assignment. */
export class GroupState {
  /** Joins so far; a batch begun under an older one must never commit. */
  generation = 0;
  /** The partitions of the consumed topic this instance holds. */
  assigned: number[] = [];
  /** Committed state per assigned partition, once loaded. */
  readonly states: Map<number, PartitionState> = new Map();
  /**
   * How far kafkajs stepped over batches holding only transaction markers or
   * aborted records (it calls no handler for them): nothing of it belongs in
   * the aggregate, but the partition is read that far.
   */
  readonly skippedUpTo: Map<number, bigint> = new Map();
  /** Set between {@linkcode GroupState.left} and the next join: nothing is held or loaded. */
  #rejoining = false;

  /** Starts a new generation holding `partitions`; returns its number. */
  joined(partitions: number[]): number {
    this.generation += 1;
    this.states.clear();
    this.skippedUpTo.clear();
    this.assigned = partitions;
    this.#rejoining = false;
    return this.generation;
  }

  /**
   * Ends the generation without a new one: kafkajs stopped the consumer (it
   * restarts it after a crash, and rejoins). A load or a batch of the ended
   * generation then steps aside, and nothing counts as loaded or caught up
   * until the next join.
   */
  left(): void {
    this.joined([]);
    this.#rejoining = true;
  }

  /** Notes that kafkajs read `partition` up to `next` without handing over a record. */
  skipped(partition: number, next: bigint): void {
    this.skippedUpTo.set(partition, next);
  }

  /** The global aggregate with `working` standing for `current`'s uncommitted progress. */
  globalView(current: number, working: Aggregate): Aggregate {
    const parts: Aggregate[] = [working];
    for (const [p, s] of this.states) if (p !== current) parts.push(s.agg);
    return mergeAggregates(parts);
  }

  /** Whether every partition's state is loaded, so its committed position is known. */
  loaded(): boolean {
    return this.generation > 0 && !this.#rejoining &&
      this.assigned.every((p) => this.states.has(p));
  }

  /**
   * Whether every assigned partition has been read to `highs` (its high
   * watermark): committed there, or stepped over up to it.
   */
  caughtUp(highs: Map<number, bigint>): boolean {
    if (!this.loaded()) return false;
    return this.assigned.every((p) => {
      const high = highs.get(p) ?? 0n;
      const reached = BigInt(this.states.get(p)!.next);
      return reached >= high || (this.skippedUpTo.get(p) ?? -1n) >= high;
    });
  }
}
