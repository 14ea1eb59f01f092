/**
 * The figures of the bench's `tls` step: our producer's and consumer's
 * throughput over a SASL_SSL listener next to PLAINTEXT on the same broker,
 * and their ratio, and how they are shown. Pure.
 *
 * @module
 */
import { grouped, markdownTable, median } from "./format.ts";

/** One client's throughput over both listeners, in orders/s. */
export interface ListenerPair {
  /** Median over the runs. */
  plaintext: number;
  /** Median over the runs. */
  tls: number;
  /** `tls / plaintext`. */
  ratio: number;
  /** Every run, in order. */
  runs: { plaintext: number[]; tls: number[] };
}

/** The `tls` step's figures. */
export interface TlsFigures {
  /** How the TLS runs connected, e.g. `SASL_SSL as user app (SCRAM-SHA-512)`. */
  listener: string;
  /** The TLS runs' bootstrap servers. */
  brokers: string;
  /** Orders per run. */
  orders: number;
  /** Our producer (`produceOrders`, as producer.ts runs it). */
  produce: ListenerPair;
  /** Our consumer (`runConsumer`, first record to last commit). */
  consume: ListenerPair;
}

/**
 * The medians and ratio of runs over both listeners.
 *
 * @example
 * ```ts
 * import { listenerPair } from "./tls_report.ts";
 * listenerPair([100, 120, 110], [80, 90, 85]).ratio; // 0.7727272727272727
 * ```
 */
export function listenerPair(plaintext: number[], tls: number[]): ListenerPair {
  const p = median(plaintext);
  const t = median(tls);
  return { plaintext: p, tls: t, ratio: t / p, runs: { plaintext, tls } };
}

/**
 * The lines for the `tls` step: what was compared, and a table of orders/s
 * over PLAINTEXT and TLS with their ratio.
 *
 * @example
 * ```ts
 * import { tlsReport } from "./tls_report.ts";
 * const pair = { plaintext: 100, tls: 75, ratio: 0.75, runs: { plaintext: [100], tls: [75] } };
 * tlsReport({ listener: "SASL_SSL", brokers: "b:2", orders: 10, produce: pair, consume: pair })[4];
 * // "| produce: orders/s   |       100 |       75 |              0.75× |"
 * ```
 */
export function tlsReport(tls: TlsFigures): string[] {
  const runs = tls.produce.runs.plaintext.length;
  const row = (name: string, pair: ListenerPair) => [
    name,
    grouped(pair.plaintext),
    grouped(pair.tls),
    `${pair.ratio.toFixed(2)}×`,
  ];
  return [
    `Cost of TLS: ${grouped(tls.orders)} orders over ${tls.listener} at ${tls.brokers} next to ` +
    `PLAINTEXT on the same broker; medians of ${runs} run${
      runs === 1 ? "" : "s"
    }, listeners alternating`,
    "",
    ...markdownTable(["", "PLAINTEXT", "SASL_SSL", "SASL_SSL/PLAINTEXT"], [
      row("produce: orders/s", tls.produce),
      row("consume: orders/s ¹", tls.consume),
    ]),
  ];
}
