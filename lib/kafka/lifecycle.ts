/**
 * The run-loop plumbing that every long-running kafkajs consumer of ours
 * needs, written once: a stop switch with a fatal reason, tracking of the
 * batches in flight (kafkajs silently drops a commit made after
 * `consumer.stop()`), following batches kafkajs consumes without handing any
 * record over, and turning a crash into a stop.
 *
 * @module
 */
import type { Admin, Consumer } from "kafkajs";
import { type Accesses, asAccessDenied } from "./access.ts";
import { describeError } from "./errors.ts";
import { identityOf } from "./session.ts";

/** A run's stop switch: `stop()` once, with a reason when it is fatal. */
export interface StopSwitch {
  /** Stops the run; the first reason given is kept as the fatal one. */
  stop(reason?: string | Error): void;
  /** Resolves on the first `stop()`. */
  readonly done: Promise<void>;
  isStopped(): boolean;
  /** Why the run stopped, when it was fatal. */
  fatal(): string | undefined;
  /** The error that stopped the run, when the fatal reason was one. */
  fatalError(): Error | undefined;
}

/**
 * A stop switch that `signal` (SIGINT/SIGTERM, say) flips too.
 *
 * @example
 * ```ts
 * import { stopSwitch } from "./lifecycle.ts";
 * const run = stopSwitch();
 * run.stop("broker gone");
 * run.fatal(); // "broker gone"
 * ```
 */
export function stopSwitch(signal?: AbortSignal): StopSwitch {
  let fatal: string | undefined;
  let fatalError: Error | undefined;
  let stopped = false;
  let resolve!: () => void;
  const done = new Promise<void>((r) => (resolve = r));
  const stop = (reason?: string | Error) => {
    if (reason !== undefined && fatal === undefined) {
      fatal = reason instanceof Error ? reason.message : reason;
      if (reason instanceof Error) fatalError = reason;
    }
    stopped = true;
    resolve();
  };
  if (signal?.aborted) stop();
  signal?.addEventListener("abort", () => stop(), { once: true });
  return { stop, done, isStopped: () => stopped, fatal: () => fatal, fatalError: () => fatalError };
}

/**
 * The batches being processed. Shutdown drains them before `consumer.stop()`:
 * kafkajs drops a commit made after it without a word.
 */
export class InFlight {
  #work = new Set<Promise<unknown>>();

  /** Tracks `work` until it settles and returns it. */
  track<T>(work: Promise<T>): Promise<T> {
    const tracked = work.finally(() => this.#work.delete(tracked));
    this.#work.add(tracked);
    return tracked;
  }

  /** How many are still running. */
  get size(): number {
    return this.#work.size;
  }

  /** Waits until none is running, including work started while waiting. */
  async drain(): Promise<void> {
    while (this.#work.size > 0) await Promise.allSettled([...this.#work]);
  }
}

/**
 * Calls `moved(partition, next)` for each batch of `topic` that kafkajs
 * consumed without handing any record over: only transaction markers or
 * aborted records, as a transactional writer leaves. Without it, a position
 * would stop short of the high watermark and "caught up" would never come.
 */
export function followFilteredBatches(
  consumer: Consumer,
  topic: string,
  moved: (partition: number, next: bigint) => void,
): void {
  consumer.on(consumer.events.END_BATCH_PROCESS, (e) => {
    const { topic: t, partition, batchSize, lastOffset } = e.payload;
    if (t !== topic || batchSize !== 0) return;
    moved(partition, BigInt(lastOffset) + 1n);
  });
}

/**
 * Stops the run when kafkajs's consumer crashes for good, and warns when it
 * crashed but restarts by itself. A crash on an authorization denial stops
 * the run with an `AccessDeniedError` naming what `accesses` says was
 * refused (a restart would be refused again).
 */
export function stopOnCrash(
  consumer: Consumer,
  run: Pick<StopSwitch, "stop">,
  warn: (text: string) => void,
  accesses: Accesses = {},
): void {
  consumer.on(consumer.events.CRASH, (e) => {
    const error = e.payload.error;
    const denied = asAccessDenied(error, accesses, identityOf(consumer));
    if (denied !== undefined) run.stop(denied);
    else if (!e.payload.restart) run.stop(`consumer crashed: ${describeError(error)}`);
    else warn(`consumer error, restarting: ${describeError(error)}`);
  });
}

/** The low and high watermark of each partition of `topic`. */
export async function topicEnds(
  admin: Admin,
  topic: string,
): Promise<Map<number, { low: bigint; high: bigint }>> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return new Map(offsets.map((o) => [o.partition, { low: BigInt(o.low), high: BigInt(o.high) }]));
}

/**
 * Runs `check` every `intervalMs` (never two at once) until `stop()` is
 * called; the consumer's and the DLQ monitor's `--idle-exit` poll this way.
 * `check` handles its own errors. Returns a function that stops the polling.
 */
export function every(intervalMs: number, check: () => Promise<void> | void): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      await check();
    } finally {
      running = false;
    }
  }, intervalMs);
  return () => clearInterval(timer);
}
