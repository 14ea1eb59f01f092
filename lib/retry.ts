/**
 * Failure classification and retry with exponential backoff. Pure: the sleep
 * function is injected, so the consumer can keep heartbeating while it waits
 * and tests can run without real time.
 *
 * @module
 */
import { AvroDecodeError } from "./avro.ts";
import { ValidationError } from "./validate.ts";

/**
 * How a failed record is labelled in the DLQ: the consumer writes the first
 * three; `production` marks an order the producer could not deliver.
 */
export type ErrorType = "deserialization" | "validation" | "processing" | "production";

/** A transient processing failure: retried with backoff. */
export class ProcessingError extends Error {
  override name = "ProcessingError";
  /** Transient failures may succeed on a later attempt. */
  readonly retriable = true;
}

/**
 * Retries ran out. Keeps the last error as `cause` and how many attempts were
 * made; both go into the DLQ headers.
 */
export class RetriesExhaustedError extends Error {
  override name = "RetriesExhaustedError";
  /** Attempts made, the first one included. */
  readonly attempts: number;

  constructor(cause: unknown, attempts: number) {
    super(`max retries exceeded: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.attempts = attempts;
  }
}

/** Errors that are bugs in our code: retrying cannot fix them (as kafkajs decides too). */
const PROGRAMMING_ERRORS = [TypeError, RangeError, SyntaxError, ReferenceError];

/** The verdict on an error. */
export interface Classification {
  type: ErrorType;
  /** Whether another attempt could succeed. */
  retriable: boolean;
}

/**
 * Classifies a failure: undecodable bytes and validation errors are permanent;
 * programming errors are processing failures that are never retried; anything
 * else is a transient processing failure, retried unless it says
 * `retriable: false`.
 */
export function classifyError(error: unknown): Classification {
  if (error instanceof AvroDecodeError) return { type: "deserialization", retriable: false };
  if (error instanceof ValidationError) return { type: "validation", retriable: false };
  if (PROGRAMMING_ERRORS.some((kind) => error instanceof kind)) {
    return { type: "processing", retriable: false };
  }
  const flag = (error as { retriable?: unknown } | null)?.retriable;
  return { type: "processing", retriable: flag !== false };
}

/** Backoff settings. */
export interface BackoffOptions {
  /** Delay before the first retry, in ms. @default {1000} */
  initialMs?: number;
  /** Factor applied to each further delay. @default {2} */
  multiplier?: number;
  /** Upper bound on any one delay, in ms. @default {30000} */
  maxMs?: number;
  /** Fraction of each delay drawn at random, in [0, 1]; 0 is no jitter. @default {0} */
  jitter?: number;
}

/**
 * The delay before retry number `retry` (1-based): `initialMs * multiplier^(retry-1)`,
 * capped at `maxMs`, minus up to `jitter` of it at random.
 *
 * @example
 * ```ts
 * import { backoffDelay } from "./retry.ts";
 * [1, 2, 3].map((r) => backoffDelay(r)); // [1000, 2000, 4000]
 * ```
 */
export function backoffDelay(
  retry: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const { initialMs = 1000, multiplier = 2, maxMs = 30_000, jitter = 0 } = options;
  const base = Math.min(maxMs, initialMs * multiplier ** (retry - 1));
  return jitter > 0 ? base * (1 - jitter * random()) : base;
}

/** Options for {@linkcode retryWithBackoff}. */
export interface RetryOptions extends BackoffOptions {
  /** Retries after the first attempt. @default {3} */
  maxRetries?: number;
  /** Waits between attempts; may throw to abandon the record (e.g. on rebalance). */
  sleep?: (ms: number) => Promise<void>;
  /** Called before each wait with the failed attempt (1-based), total attempts and delay. */
  onRetry?: (error: unknown, attempt: number, totalAttempts: number, delayMs: number) => void;
  random?: () => number;
  /** Decides whether an error is retried. @default {(e) => classifyError(e).retriable} */
  isRetriable?: (error: unknown) => boolean;
}

/** Outcome of {@linkcode retryWithBackoff} when it succeeds. */
export interface RetryResult<T> {
  value: T;
  /** Attempts made, the successful one included. */
  attempts: number;
}

/**
 * Runs `fn` until it succeeds, retrying transient failures with exponential
 * backoff. A permanent failure is thrown at once, unchanged; when retries run
 * out, throws {@linkcode RetriesExhaustedError}.
 */
export async function retryWithBackoff<T>(
  fn: (attempt: number) => Promise<T> | T,
  options: RetryOptions = {},
): Promise<RetryResult<T>> {
  const {
    maxRetries = 3,
    sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    onRetry,
    random = Math.random,
    isRetriable = (error) => classifyError(error).retriable,
  } = options;
  const totalAttempts = maxRetries + 1;
  for (let attempt = 1;; attempt++) {
    try {
      return { value: await fn(attempt), attempts: attempt };
    } catch (error) {
      if (!isRetriable(error)) throw error;
      if (attempt >= totalAttempts) throw new RetriesExhaustedError(error, attempt);
      const delay = backoffDelay(attempt, options, random);
      onRetry?.(error, attempt, totalAttempts, delay);
      await sleep(delay);
    }
  }
}
