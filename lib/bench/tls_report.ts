/**
 * The figures of the bench's `tls` step: our producer's and consumer's
 * throughput over a SASL_SSL listener next to PLAINTEXT on the same broker,
 * and their ratio (`tlsReport` in `report.ts` shows them). Pure.
 *
 * @module
 */
import { median } from "./report.ts";

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
