/**
 * The one retry policy of the pipeline: every backoff schedule in one place
 * (a record's processing, loading committed state, the producer's attempts,
 * kafkajs's own request retries), failure classification, and retry with
 * exponential backoff. Pure: the sleep function is injected, so the consumer
 * can keep heartbeating while it waits and tests can run without real time.
 *
 * @module
 */
import { type ErrorType, PipelineError } from "./errors.ts";

/**
 * Retries ran out. Keeps the last error as `cause` and how many attempts were
 * made; both go into the DLQ headers.
 */
export class RetriesExhaustedError extends PipelineError {
  override name = "RetriesExhaustedError";
  /** Attempts made, the first one included. */
  readonly attempts: number;

  constructor(cause: unknown, attempts: number) {
    super(`max retries exceeded: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
      errorType: "processing",
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
 * Classifies a failure. Our own errors say it themselves (undecodable bytes
 * and validation errors are permanent, a simulated outage is not);
 * programming errors are processing failures that are never retried; any
 * other error is a transient processing failure, retried unless it says
 * `retriable: false`.
 */
export function classifyError(error: unknown): Classification {
  if (error instanceof PipelineError) {
    return { type: error.errorType ?? "processing", retriable: error.retriable };
  }
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
  const {
    initialMs = RECORD_RETRY.initialMs,
    multiplier = RECORD_RETRY.multiplier,
    maxMs = RECORD_RETRY.maxMs,
    jitter = RECORD_RETRY.jitter,
  } = options;
  const base = Math.min(maxMs, initialMs * multiplier ** (retry - 1));
  return jitter > 0 ? base * (1 - jitter * random()) : base;
}

/** A complete backoff schedule: how many retries, and how long each waits. */
export interface RetryPolicy extends Required<BackoffOptions> {
  /** Retries after the first attempt. */
  maxRetries: number;
}

/**
 * The consumer's retry of one record's processing (its `--retries`,
 * `--backoff-*` and `--jitter` flags start here): 3 retries after 1, 2 and 4 s.
 */
export const RECORD_RETRY: Readonly<RetryPolicy> = {
  maxRetries: 3,
  initialMs: 1000,
  multiplier: 2,
  maxMs: 30_000,
  jitter: 0,
};

/**
 * Loading the committed state of newly assigned partitions: a coordinator
 * that is still loading answers within a second or two, and on a cluster a
 * coordinator that died moves to another broker after the brokers' session
 * timeout and an election (6 to 11 s on our local cluster), so waits of 0.5,
 * 1, 2, 4 and 8 s (15.5 s) before the consumer gives up; a bad committed
 * state is permanent and not retried at all.
 */
export const STATE_LOAD_RETRY: Readonly<RetryPolicy> = {
  ...RECORD_RETRY,
  maxRetries: 5,
  initialMs: 500,
};

/**
 * The consumer's commit of a batch that failed for a reason that is not the
 * group's (a connection to a broker that just died, a broker missing from
 * kafkajs's metadata while it restarts): waits of 0.2, 0.4, 0.8 and 1.6 s,
 * 3 s in all, well inside a session timeout, without a heartbeat (that needs
 * the same coordinator). The batch's dead letters are written by then, and
 * giving up would have the batch redone and write them again.
 */
export const COMMIT_RETRY: Readonly<RetryPolicy> = {
  ...RECORD_RETRY,
  maxRetries: 4,
  initialMs: 200,
  maxMs: 2000,
};

/**
 * The producer's own attempts at one batch, on top of the client's retries
 * (its `--attempts` and `--retry-backoff-ms` flags start here): 3 attempts,
 * waiting 200 then 400 ms, before the batch goes to the DLQ.
 */
export const SEND_RETRY: Readonly<RetryPolicy> = {
  ...RECORD_RETRY,
  maxRetries: 2,
  initialMs: 200,
};

/**
 * kafkajs's own retry of a request, for every client we make. Bounded: for an
 * idempotent producer kafkajs would otherwise retry forever, so a dead broker
 * would hang the caller instead of reaching our attempts, the DLQ or a clean
 * failure.
 */
export const CLIENT_RETRY: Readonly<RetryPolicy> = {
  ...RECORD_RETRY,
  maxRetries: 5,
  initialMs: 100,
  maxMs: 5000,
};

/**
 * A call to the schema registry (registering the producer's schema, fetching
 * a writer schema by id): waits of 0.2, 0.4, 0.8, 1.6 and 3.2 s, about 6 s in
 * all, so a registry restart or a leader change passes unnoticed, and a
 * registry that is down fails the consumer's batch (redone later, never
 * dead-lettered) rather than stalling it for minutes.
 */
export const REGISTRY_RETRY: Readonly<RetryPolicy> = {
  ...RECORD_RETRY,
  maxRetries: 5,
  initialMs: 200,
  maxMs: 5000,
};

/** A policy in kafkajs's `retry` option words. */
export function kafkajsRetry(policy: RetryPolicy): {
  retries: number;
  initialRetryTime: number;
  maxRetryTime: number;
  multiplier: number;
} {
  return {
    retries: policy.maxRetries,
    initialRetryTime: policy.initialMs,
    maxRetryTime: policy.maxMs,
    multiplier: policy.multiplier,
  };
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
    maxRetries = RECORD_RETRY.maxRetries,
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
