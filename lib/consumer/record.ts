/**
 * The record path: decode, validate and process one record, retrying a
 * transient failure with backoff while keeping the group membership alive.
 * Free of Kafka: the batch stage hands in the heartbeat, the stop checks and
 * the commit to run before each wait.
 *
 * @module
 */
import { type ErrorType, PipelineError } from "../errors.ts";
import { describeError } from "../kafka/errors.ts";
import type { Order, RecordOrigin } from "../order/codec.ts";
import type { OrderDecoder } from "../order/wire.ts";
import { toCents } from "../order/money.ts";
import { decodeAndValidate, processOrder } from "../order/process.ts";
import { classifyError, RetriesExhaustedError, retryWithBackoff } from "../retry.ts";
import type { ConsumerConfig } from "./options.ts";

/** What became of one record: added to the aggregate, or bound for the DLQ. */
export type Outcome =
  | { kind: "aggregated"; order: Order; cents: number }
  | { kind: "dead-letter"; order?: Order; type: ErrorType; error: Error; attempts: number };

/** A record whose first processing attempt failed transiently: it goes through {@linkcode retryRecord}. */
export interface NeedsRetry {
  kind: "retry";
  order: Order;
  firstError: unknown;
}

/** The settings the record path reads. */
export type RecordSettings = Pick<
  ConsumerConfig,
  | "maxPrice"
  | "failRate"
  | "seed"
  | "maxRetries"
  | "backoffMs"
  | "backoffMultiplier"
  | "backoffMaxMs"
  | "jitter"
>;

/** The run is stopping: finish the record in flight's commit and leave the batch. */
export class StopRequested extends PipelineError {
  override name = "StopRequested";
  constructor() {
    super("the consumer is stopping");
  }
}

/**
 * A record given up on because of the group or the broker, not the order:
 * never dead-lettered, redone by whoever owns the partition next.
 */
export class AbandonRecord extends PipelineError {
  override name = "AbandonRecord";
  constructor(cause: unknown) {
    super(`record abandoned: ${describeError(cause)}`, { cause, retriable: true });
  }
}

/**
 * Decodes, validates and makes the first processing attempt, all
 * synchronously: the outcome, or the first attempt's error when the record
 * must go through {@linkcode retryRecord}. Most records end here, so this
 * path allocates no promise or closure per record. `decode` reads plain Avro
 * unless the topic is read through a schema registry.
 */
export function firstAttempt(
  value: Uint8Array | null,
  origin: RecordOrigin,
  settings: RecordSettings,
  decode?: OrderDecoder,
): Outcome | NeedsRetry {
  let order: Order;
  try {
    order = decodeAndValidate(value, origin, settings.maxPrice, decode);
  } catch (error) {
    return {
      kind: "dead-letter",
      type: classifyError(error).type,
      error: error as Error,
      attempts: 1,
    };
  }
  try {
    // processOrder is synchronous; were it to become async, this must await it.
    processOrder(order, 1, settings);
    return { kind: "aggregated", order, cents: toCents(order.price) };
  } catch (error) {
    return { kind: "retry", order, firstError: error };
  }
}

/** What a retry needs from the batch it runs in. */
export interface RetryHooks {
  /** Runs before each wait: commits what is done, so a rebalance redoes little. */
  beforeWait(): Promise<void>;
  /** Keeps the membership; throws when a rebalance starts. */
  heartbeat(): Promise<void>;
  /** Whether kafkajs has moved on from this batch (a rejoin). */
  isStale(): boolean;
  /** Whether the run is stopping. */
  isStopped(): boolean;
  /** Backing off is work in progress, not idleness. */
  touch(): void;
  /** Called before each wait with the failed attempt (1-based), total attempts and delay. */
  onRetry(error: unknown, attempt: number, attempts: number, delayMs: number): void;
  /** Waits; the tests fake it. @default {setTimeout} */
  sleep?: (ms: number) => Promise<void>;
  /** The clock the waits are measured on; the tests fake it. @default {Date.now} */
  now?: () => number;
}

/**
 * Continues after a failed first attempt exactly as retryWithBackoff would
 * have from the start: attempt 1 replays its error (processOrder is not
 * called twice), then retries with backoff until success, a permanent error
 * or exhaustion. Throws {@linkcode StopRequested} or {@linkcode AbandonRecord}
 * when the record must not be finished here.
 */
export async function retryRecord(
  order: Order,
  firstError: unknown,
  settings: RecordSettings,
  hooks: RetryHooks,
): Promise<Outcome> {
  try {
    await retryWithBackoff(
      (attempt) => {
        if (attempt === 1) throw firstError;
        return processOrder(order, attempt, settings);
      },
      {
        maxRetries: settings.maxRetries,
        initialMs: settings.backoffMs,
        multiplier: settings.backoffMultiplier,
        maxMs: settings.backoffMaxMs,
        jitter: settings.jitter,
        onRetry: hooks.onRetry,
        sleep: async (ms) => {
          // A failed commit or heartbeat says nothing about the order: the
          // record is abandoned (never dead-lettered) and redone by whoever
          // owns the partition next.
          try {
            await hooks.beforeWait();
            await sleepWithHeartbeat(ms, hooks);
          } catch (error) {
            throw error instanceof StopRequested ? error : new AbandonRecord(error);
          }
        },
      },
    );
    return { kind: "aggregated", order, cents: toCents(order.price) };
  } catch (error) {
    if (error instanceof StopRequested || error instanceof AbandonRecord) throw error;
    if (error instanceof RetriesExhaustedError) {
      return { kind: "dead-letter", order, type: "processing", error, attempts: error.attempts };
    }
    // A programming error: never retried, dead-lettered as a processing failure.
    return { kind: "dead-letter", order, type: "processing", error: error as Error, attempts: 1 };
  }
}

/** The longest stretch a backoff sleeps between heartbeats and stop checks. */
export const HEARTBEAT_SLICE_MS = 250;

/**
 * Sleeps `ms` in slices, heartbeating after each: kafkajs heartbeats only
 * between batches, so a long backoff would otherwise lose the membership.
 * Throws {@linkcode StopRequested} when the run stops or the batch goes
 * stale; a heartbeat that fails (a rebalance started) throws its error.
 */
export async function sleepWithHeartbeat(
  ms: number,
  hooks: Omit<RetryHooks, "beforeWait" | "onRetry">,
): Promise<void> {
  const now = hooks.now ?? Date.now;
  const sleep = hooks.sleep ?? ((t: number) => new Promise((r) => setTimeout(r, t)));
  const end = now() + ms;
  for (;;) {
    const left = end - now();
    if (left <= 0) return;
    await sleep(Math.min(left, HEARTBEAT_SLICE_MS));
    if (hooks.isStopped() || hooks.isStale()) throw new StopRequested();
    hooks.touch();
    await hooks.heartbeat();
  }
}
