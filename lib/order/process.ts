/**
 * What the consumer does with one record, free of Kafka: decode, validate,
 * then "process" (where the simulated transient failures happen). Simulated
 * failures are a pure function of the seed, the order id and the attempt, so
 * a run's retries and dead letters are known in advance and do not change
 * after a crash, a rebalance or a replay.
 *
 * @module
 */
import type { Order, RecordOrigin } from "./codec.ts";
import { hashUnit } from "./random.ts";
import { PipelineError } from "../errors.ts";
import { DEFAULT_MAX_PRICE, validateOrder } from "./validate.ts";
import { decodePlainOrder, type OrderDecoder } from "./wire.ts";

/** A transient processing failure: retried with backoff. */
export class ProcessingError extends PipelineError {
  override name = "ProcessingError";

  constructor(message: string, options: ErrorOptions = {}) {
    super(message, { ...options, retriable: true, errorType: "processing" });
  }
}

/** Processing settings. */
export interface ProcessorOptions {
  /** Largest valid price, in dollars. @default {100000} */
  maxPrice?: number;
  /** Probability in [0, 1] that an attempt fails transiently. @default {0} */
  failRate?: number;
  /** Seed for the simulated failures. @default {42} */
  seed?: number;
}

/**
 * Decodes and validates a record value. Throws AvroDecodeError or
 * ValidationError, both permanent. `decode` reads plain Avro unless the topic
 * is read through a schema registry (`lib/registry/decoder.ts`).
 */
export function decodeAndValidate(
  value: Uint8Array | null,
  origin: RecordOrigin,
  maxPrice: number = DEFAULT_MAX_PRICE,
  decode: OrderDecoder = decodePlainOrder,
): Order {
  const order = decode(value, origin);
  validateOrder(order, maxPrice, origin);
  return order;
}

/**
 * Whether processing attempt `attempt` (1-based) of `orderId` fails under the
 * simulation. Exported so tests can compute the expected retries and dead
 * letters of a run.
 */
export function simulatedFailure(
  seed: number,
  orderId: string,
  attempt: number,
  failRate: number,
): boolean {
  return failRate > 0 && hashUnit(seed, orderId, attempt) < failRate;
}

/**
 * Processes a valid order: the place where real work (a payment call, a
 * database write) would go. Here it only simulates transient failures.
 */
export function processOrder(order: Order, attempt: number, options: ProcessorOptions = {}): void {
  const { failRate = 0, seed = 42 } = options;
  if (simulatedFailure(seed, order.orderId, attempt, failRate)) {
    throw new ProcessingError("Simulated processing failure");
  }
}

/** The expected outcome of an order under the simulation: how many retries, and whether it ends in the DLQ. */
export function expectedOutcome(
  seed: number,
  orderId: string,
  failRate: number,
  maxRetries: number,
): { retries: number; deadLettered: boolean } {
  for (let attempt = 1; attempt <= maxRetries + 1; attempt++) {
    if (!simulatedFailure(seed, orderId, attempt, failRate)) {
      return { retries: attempt - 1, deadLettered: false };
    }
  }
  return { retries: maxRetries, deadLettered: true };
}
