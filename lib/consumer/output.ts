/**
 * The consumer's lines, in each output mode: what a person reads (the
 * reference system's words) or one JSON object per event. Pure.
 *
 * @module
 */
import type { OutputMode } from "../cli/flags.ts";
import type { CommittedView } from "./assignment.ts";
import type { GroupState } from "./group_state.ts";
import type { ConsumerMetrics } from "./report.ts";
import type { ErrorType } from "../errors.ts";
import type { AggregateSummary } from "../order/aggregate.ts";
import type { Order } from "../order/codec.ts";
import { formatMoney } from "../order/money.ts";
import { formatDelay } from "../metrics/latency.ts";

/** Where a consumer run's output goes; every hook is optional. */
export interface ConsumerEvents {
  /** A line of output (already formatted for the chosen mode). */
  line?(text: string): void;
  /** A warning or error worth a human's attention. */
  warn?(text: string): void;
  /** Called after each order is added to the aggregate, with its end-to-end latency. */
  aggregated?(latencyMs: number): void;
  /**
   * Called with the ms the consumer spent per record on `records` records
   * (retries and their backoff included): records handled back to back are
   * timed in runs, at their average (see `record_timer.ts`). Records are
   * timed only when this is set.
   */
  timed?(ms: number, records: number): void;
  /** Called once the clients are connected, with what collectors read while the run goes on. */
  started?(live: LiveConsumer): void;
}

/** A running consumer as `/metrics` reads it at scrape time. */
export interface LiveConsumer {
  /** The run's counters, updated in place. */
  readonly metrics: Readonly<ConsumerMetrics>;
  /** The instance's assignment and generation. */
  readonly group: Readonly<Pick<GroupState, "assigned" | "generation">>;
  /** Reads the group's committed offsets and the topic's log offsets from the broker. */
  readOffsets(): Promise<CommittedView>;
}

/** The line announcing this instance's partitions after a join; none when quiet. */
export function joinedLine(
  mode: OutputMode,
  group: string,
  topic: string,
  partitions: number[],
): string | undefined {
  if (mode === "json") return JSON.stringify({ event: "joined", group, partitions });
  if (mode === "text") {
    return `Joined group ${group}: partitions [${partitions.join(", ")}] of ${topic}`;
  }
  return undefined;
}

/** The lines for an order added to the aggregate; `view` is the global aggregate after it. */
export function processedLines(
  mode: OutputMode,
  order: Order,
  cents: number,
  where: { partition: number; offset: string },
  view: AggregateSummary,
): string[] {
  if (mode === "json") {
    return [JSON.stringify({ event: "processed", ...order, ...where, aggregate: view })];
  }
  if (mode === "quiet") return [];
  return [
    `Received: {orderId: '${order.orderId}', product: '${order.product}', price: ${
      (cents / 100).toFixed(2)
    }}`,
    `Aggregation Update - Count: ${view.count}, Running Avg: ${formatMoney(view.average)}, Min: ${
      formatMoney(view.min)
    }, Max: ${formatMoney(view.max)}`,
  ];
}

/** What a dead-lettered record's line says. */
export interface DeadLetterFacts {
  /** The order id, else the record key, else `?`. */
  id: string;
  topic: string;
  partition: number;
  offset: string;
  type: ErrorType;
  error: Error;
  attempts: number;
}

/** The line for a record sent to the DLQ; none when quiet. */
export function deadLetterLine(mode: OutputMode, f: DeadLetterFacts): string | undefined {
  if (mode === "json") {
    return JSON.stringify({
      event: "dead-lettered",
      orderId: f.id,
      partition: f.partition,
      offset: f.offset,
      errorType: f.type,
      error: f.error.message,
      attempts: f.attempts,
    });
  }
  if (mode === "text") {
    return `Sent to DLQ: ${f.id} (${f.topic}[${f.partition}]@${f.offset}) ${f.type}: ${f.error.message}`;
  }
  return undefined;
}

/** The line for a failed attempt that will be retried; none when quiet. */
export function retryLine(
  mode: OutputMode,
  orderId: string,
  attempt: number,
  attempts: number,
  delayMs: number,
  error: string,
): string | undefined {
  if (mode === "json") {
    return JSON.stringify({ event: "retry", orderId, attempt, attempts, delayMs, error });
  }
  if (mode === "text") {
    return `Processing failed for ${orderId} (attempt ${attempt}/${attempts}): ${error}. Retrying in ${
      formatDelay(delayMs)
    }...`;
  }
  return undefined;
}
