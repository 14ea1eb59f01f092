/**
 * The one error base of the pipeline. As in kafkajs and platformatic/kafka,
 * the decision to retry lives on the error (`retriable`), and an error that
 * ends in the dead-letter queue names its DLQ error type itself, so no caller
 * needs a table of classes to decide what to do with it.
 *
 * @module
 */

/**
 * How a failed record is labelled in the DLQ: the consumer writes the first
 * three; `production` marks an order the producer could not deliver.
 */
export type ErrorType = "deserialization" | "validation" | "processing" | "production";

/** Options for {@linkcode PipelineError}. */
export interface PipelineErrorOptions extends ErrorOptions {
  /** Whether another attempt could succeed. @default {false} */
  retriable?: boolean;
  /** The DLQ error type of a record that fails with this error. */
  errorType?: ErrorType;
}

/**
 * The base of every error this project throws on purpose. Fails closed: an
 * error is permanent unless it says `retriable: true`.
 *
 * @example
 * ```ts
 * import { PipelineError } from "./errors.ts";
 * new PipelineError("broker busy", { retriable: true }).retriable; // true
 * ```
 */
export class PipelineError extends Error {
  override name = "PipelineError";
  /** Whether another attempt could succeed. */
  readonly retriable: boolean;
  /** The DLQ error type of a record that fails with this error, when it is about a record. */
  readonly errorType?: ErrorType;

  constructor(message: string, options: PipelineErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retriable = options.retriable ?? false;
    this.errorType = options.errorType;
  }
}

/** A bad flag or flag value. Programs print its message and their usage, then exit 2. */
export class UsageError extends PipelineError {
  override name = "UsageError";
}

/**
 * A failure that ends a program with one clear line and exit code 1, such as
 * an unreachable broker. The message is printed as it is, without a stack.
 */
export class FatalError extends PipelineError {
  override name = "FatalError";
}
