/**
 * What `/metrics` costs the consumer, as the bench's `metrics` step measures
 * it: our consumer's throughput with the endpoint off and on, in alternating
 * runs, their medians and ratio, its row, footnote and target. Pure.
 *
 * @module
 */
import { DASH, grouped, median } from "./format.ts";
import type { TargetCheck } from "./report.ts";

/** What `/metrics` costs the consumer: its throughput without and with it. */
export interface MetricsCost {
  /** Median orders/s without the metrics endpoint (first record to last commit). */
  offOrdersPerSec: number;
  /** Median orders/s with the endpoint open and scraped every second. */
  onOrdersPerSec: number;
  /** `on / off`. */
  ratio: number;
  runs: { off: number[]; on: number[] };
}

/**
 * The cost figures from the orders/s of alternating runs without and with
 * the metrics endpoint.
 *
 * @example
 * ```ts
 * import { metricsCost } from "./report_metrics.ts";
 * metricsCost([100, 120, 110], [99, 104, 108]).ratio; // 0.9454545454545454
 * ```
 */
export function metricsCost(off: number[], on: number[]): MetricsCost {
  const offOrdersPerSec = median(off);
  const onOrdersPerSec = median(on);
  return {
    offOrdersPerSec,
    onOrdersPerSec,
    ratio: onOrdersPerSec / offOrdersPerSec,
    runs: { off, on },
  };
}

/** The smallest share of its throughput the consumer may lose to `/metrics`. */
export const METRICS_TARGET = 0.95;

/** The target: the consumer with `/metrics` on keeps at least 0.95× its throughput. */
export function metricsTarget(metrics: MetricsCost): TargetCheck {
  return {
    target: `consumer with /metrics on ≥ ${METRICS_TARGET}× off`,
    value: `${metrics.ratio.toFixed(3)}×`,
    met: metrics.ratio >= METRICS_TARGET,
  };
}

/** The table row of the `metrics` step. */
export function metricsRow(metrics: MetricsCost): string[] {
  return [
    "consume with /metrics on: orders/s (on/off) ⁷",
    `${grouped(metrics.onOrdersPerSec)} (${metrics.ratio.toFixed(3)}× of ${
      grouped(metrics.offOrdersPerSec)
    })`,
    DASH,
    "",
  ];
}

/** The footnote of {@linkcode metricsRow}. */
export const METRICS_FOOTNOTE = "⁷ as ¹, with the consumer's /metrics endpoint open and scraped " +
  "every second, in runs alternating with runs without it (medians of each).";
