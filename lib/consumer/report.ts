/**
 * What the consumer and `deno task stats` print at the end, in the
 * reference system's words.
 *
 * @module
 */
import type { ErrorType } from "../errors.ts";
import type { AggregateSummary } from "../order/aggregate.ts";
import { formatMoney } from "../order/money.ts";

/** The counters of one consumer run; `/metrics` reads them when scraped. */
export interface ConsumerMetrics {
  consumed: number;
  processed: number;
  failed: number;
  sentToDlq: number;
  /** `sentToDlq` by error type. */
  deadLetteredByType: Record<ErrorType, number>;
  retries: number;
  /** Records given up on because of the group (a failed heartbeat or commit during a backoff). */
  abandoned: number;
  /** Times this instance joined the group: 1 when no rebalance happened. */
  joins: number;
  skippedDuplicates: number;
  /** Offset commits acknowledged. */
  commits: number;
  /** Offset commits that failed (the batch is redone from the last commit). */
  commitFailures: number;
}

/** Counters at zero, for a new run. */
export function emptyConsumerMetrics(): ConsumerMetrics {
  return {
    consumed: 0,
    processed: 0,
    failed: 0,
    sentToDlq: 0,
    deadLetteredByType: { deserialization: 0, validation: 0, processing: 0, production: 0 },
    retries: 0,
    abandoned: 0,
    joins: 0,
    skippedDuplicates: 0,
    commits: 0,
    commitFailures: 0,
  };
}

/** A rule line of `width` `=` signs. */
export function rule(width = 70): string {
  return "=".repeat(width);
}

/** The aggregate's five lines, as the reference prints them. */
export function aggregateLines(view: AggregateSummary): string[] {
  return [
    `Total orders aggregated: ${view.count}`,
    `Running average price: ${formatMoney(view.average)}`,
    `Min price: ${formatMoney(view.min)}`,
    `Max price: ${formatMoney(view.max)}`,
    `Total revenue: ${formatMoney(view.revenue)}`,
  ];
}

/** The consumer's shutdown report, as the reference prints it. */
export function resultLines(metrics: ConsumerMetrics, view: AggregateSummary): string[] {
  const m = metrics;
  const rate = m.consumed === 0 ? 100 : (m.processed / m.consumed) * 100;
  return [
    rule(),
    "CONSUMER METRICS",
    rule(),
    `Messages consumed: ${m.consumed}`,
    `Messages processed successfully: ${m.processed}`,
    `Messages failed: ${m.failed}`,
    `Messages sent to DLQ: ${m.sentToDlq}`,
    `Total retries: ${m.retries}`,
    `Success rate: ${rate.toFixed(2)}%`,
    rule(),
    "AGGREGATION RESULTS",
    rule(),
    ...aggregateLines(view),
    rule(),
  ];
}
