/**
 * End-to-end latency as the dashboard sees it from outside the consumer:
 * from an order's timestamp (its creation, set by the producer) to the
 * commit that moved the group past it, whose time the offset-commit log
 * records. The two are read by separate followers and either may run
 * ahead, so records wait here for their commit and recent commits wait for
 * records that arrive late. Pure.
 *
 * @module
 */

/** How many records per partition wait for a commit before the oldest are dropped. */
export const MAX_PENDING = 100_000;

/** How many recent commits per partition are kept for records read after them. */
export const MAX_COMMITS = 256;

interface Commit {
  offset: bigint;
  at: number;
}

/** One partition's records waiting for a commit and its recent commits, both in offset order. */
interface PartitionLog {
  offsets: bigint[];
  timestamps: number[];
  /** Index of the first record still waiting. */
  head: number;
  commits: Commit[];
}

/**
 * Pairs records with the commits that cover them and hands each latency,
 * in ms, to `sink` with the commit time.
 *
 * @example
 * ```ts
 * import { CommitLatency } from "./commit_latency.ts";
 * const seen: number[] = [];
 * const c = new CommitLatency((ms) => seen.push(ms));
 * c.appended(0, 5n, 1000);
 * c.committed(0, 6n, 1012); // seen: [12]
 * ```
 */
export class CommitLatency {
  readonly #sink: (latencyMs: number, committedAt: number) => void;
  readonly #partitions = new Map<number, PartitionLog>();

  constructor(sink: (latencyMs: number, committedAt: number) => void) {
    this.#sink = sink;
  }

  #log(partition: number): PartitionLog {
    let log = this.#partitions.get(partition);
    if (log === undefined) {
      log = { offsets: [], timestamps: [], head: 0, commits: [] };
      this.#partitions.set(partition, log);
    }
    return log;
  }

  /** A record the topic received at `offset`, created at `timestamp` (ms). */
  appended(partition: number, offset: bigint, timestamp: number): void {
    const log = this.#log(partition);
    // Read after a commit that covers it: the earliest such commit is its end.
    const covering = log.commits.find((c) => c.offset > offset);
    if (covering !== undefined) {
      this.#sink(Math.max(0, covering.at - timestamp), covering.at);
      return;
    }
    log.offsets.push(offset);
    log.timestamps.push(timestamp);
    if (log.offsets.length - log.head > MAX_PENDING) log.head += 1;
    this.#compact(log);
  }

  /** The group committed `offset` (the next to read) of `partition` at `at` (ms). */
  committed(partition: number, offset: bigint, at: number): void {
    const log = this.#log(partition);
    const last = log.commits.at(-1);
    // A commit at or below the last adds nothing (a rebalance may repeat one).
    if (last !== undefined && offset <= last.offset) return;
    log.commits.push({ offset, at });
    if (log.commits.length > MAX_COMMITS) log.commits.shift();
    while (log.head < log.offsets.length && log.offsets[log.head] < offset) {
      this.#sink(Math.max(0, at - log.timestamps[log.head]), at);
      log.head += 1;
    }
    this.#compact(log);
  }

  /** Drops the paired records from the front once they are the bulk of the arrays. */
  #compact(log: PartitionLog): void {
    if (log.head > 1024 && log.head * 2 > log.offsets.length) {
      log.offsets.splice(0, log.head);
      log.timestamps.splice(0, log.head);
      log.head = 0;
    }
  }
}
