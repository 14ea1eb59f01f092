/**
 * What one replay run covers, free of Kafka: per partition of the DLQ, the
 * position the run has reached and the bound it stops at (the high
 * watermark when it started), and the questions the replayer asks of them.
 *
 * @module
 */

/** A partition's low and high watermark, as `topicEnds()` reads them. */
export interface PartitionEnds {
  low: bigint;
  high: bigint;
}

/** A committed offset, as kafkajs's `admin.fetchOffsets()` gives it. */
export interface CommittedOffset {
  partition: number;
  /** `-1` when the group committed nothing for the partition. */
  offset: string;
}

/**
 * The partitions of one replay run, their positions (next offset to replay)
 * and bounds (the first offset outside the run).
 */
export class ReplayWindow {
  readonly #bounds: Map<number, bigint>;
  readonly #positions: Map<number, bigint>;

  /** A window over `bounds`' partitions starting at `positions`, which it then owns. */
  constructor(bounds: ReadonlyMap<number, bigint>, positions: ReadonlyMap<number, bigint>) {
    this.#bounds = new Map(bounds);
    this.#positions = new Map(positions);
  }

  /**
   * The window of a run that starts now: each partition from the group's
   * committed offset (the oldest record when there is none) up to its
   * current high watermark. The run ends at the DLQ's end as it is now:
   * records dead-lettered while it runs (replays failing again, say) wait
   * for the next run.
   *
   * @example
   * ```ts
   * import { ReplayWindow } from "./replay_window.ts";
   * const window = ReplayWindow.starting(
   *   new Map([[0, { low: 2n, high: 9n }]]),
   *   [{ partition: 0, offset: "5" }],
   * );
   * window.position(0); // 5n
   * window.bound(0); // 9n
   * ```
   */
  static starting(
    ends: ReadonlyMap<number, PartitionEnds>,
    committed: readonly CommittedOffset[] = [],
  ): ReplayWindow {
    const positions = new Map<number, bigint>();
    for (const [partition, { low }] of ends) {
      const c = committed.find((p) => p.partition === partition);
      const offset = c === undefined || BigInt(c.offset) < 0n ? low : BigInt(c.offset);
      // Below the log start, kafkajs resets to the oldest record (fromBeginning).
      positions.set(partition, offset < low ? low : offset);
    }
    return new ReplayWindow(new Map([...ends].map(([p, e]) => [p, e.high])), positions);
  }

  /** The partitions in the run. */
  get partitions(): number[] {
    return [...this.#bounds.keys()];
  }

  /** Whether `partition` is in the run (it is not when added since the run started). */
  has(partition: number): boolean {
    return this.#bounds.has(partition);
  }

  /** The next offset to replay, when known. */
  position(partition: number): bigint | undefined {
    return this.#positions.get(partition);
  }

  /** The first offset outside the run, for a partition in it. */
  bound(partition: number): bigint | undefined {
    return this.#bounds.get(partition);
  }

  /** Whether `partition` is in the run and replayed up to its bound. */
  isDone(partition: number): boolean {
    const bound = this.#bounds.get(partition);
    return bound !== undefined && (this.#positions.get(partition) ?? 0n) >= bound;
  }

  /** Whether every partition of the run is replayed up to its bound. */
  allDone(): boolean {
    return this.partitions.every((p) => this.isDone(p));
  }

  /** Sets the position of `partition`. */
  moveTo(partition: number, next: bigint): void {
    this.#positions.set(partition, next);
  }

  /** Moves `partition` forward to `next`, never back; true when it moved. */
  advance(partition: number, next: bigint): boolean {
    if (next <= (this.#positions.get(partition) ?? 0n)) return false;
    this.#positions.set(partition, next);
    return true;
  }

  /** The partitions of the run missing from `assigned`. */
  missingFrom(assigned: readonly number[]): number[] {
    return this.partitions.filter((p) => !assigned.includes(p));
  }

  /** The partitions of `assigned` with nothing to replay: outside the run, or done. */
  idle(assigned: readonly number[]): number[] {
    return assigned.filter((p) => !this.has(p) || this.isDone(p));
  }
}
