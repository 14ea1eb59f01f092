/**
 * What the producer prints: one line per order in text or JSON, warnings and
 * dead-lettered orders on stderr, lost orders in full, the progress line of a
 * long run on a terminal, and the closing summary.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import type { OutputMode } from "../cli/flags.ts";
import { describeError } from "../kafka/errors.ts";
import { formatDelay } from "../metrics/latency.ts";
import type { GeneratedRecord } from "../order/generator.ts";
import type { ProducerConfig } from "./options.ts";
import type { ProducerSummary } from "./run.ts";
import type { ProducerEvents } from "./send.ts";

/**
 * Formats an order the way the reference prints it: `{orderId: 'ORD-00001', ...}`.
 *
 * @example
 * ```ts
 * import { formatOrder } from "./output.ts";
 * import { generateRecords } from "../order/generator.ts";
 * formatOrder(generateRecords(1, { seed: 7 })[0]); // "{orderId: 'ORD-00001', product: ..., price: ...}"
 * ```
 */
export function formatOrder(record: GeneratedRecord): string {
  const { order } = record;
  if (record.kind === "corrupt") {
    return `<corrupt: ${record.value.length} bytes for ${record.key}>`;
  }
  const price = Number.isFinite(order.price) ? order.price.toFixed(2) : String(order.price);
  const text = `{orderId: '${order.orderId}', product: '${order.product}', price: ${price}}`;
  return record.kind === "invalid" ? `${text} [invalid]` : text;
}

/** An order's fields for a JSON line; a corrupt record has none, so its key and size. */
export function jsonOrder(record: GeneratedRecord): Record<string, unknown> {
  return record.kind === "corrupt"
    ? { orderId: record.key, kind: record.kind, bytes: record.value.length }
    : { ...record.order, kind: record.kind };
}

/** The closing summary in text mode. */
export function summaryLines(s: ProducerSummary): string[] {
  const rule = "=".repeat(60);
  const f = (n: number) => n.toFixed(1);
  return [
    rule,
    "PRODUCER METRICS",
    rule,
    `Messages produced: ${s.produced}`,
    `Messages failed: ${s.sentToDlq + s.unsent}`,
    `Sent to DLQ: ${s.sentToDlq}`,
    `Unsent (logged in full above): ${s.unsent}`,
    `Poison pills injected: ${s.corrupt + s.invalid} (corrupt ${s.corrupt}, invalid ${s.invalid})`,
    `Throughput: ${f(s.throughput)} orders/s (${s.produced} in ${
      (s.elapsedMs / 1000).toFixed(2)
    } s)`,
    `Latency p50/p95/p99/max: ${f(s.latency.p50)} / ${f(s.latency.p95)} / ${f(s.latency.p99)} / ${
      f(s.latency.max)
    } ms`,
    ...(s.interrupted ? ["Interrupted: stopped generating, flushed what was in flight"] : []),
    rule,
  ];
}

/**
 * Whether a run shows a progress line instead of a line per order: only a
 * long, unpaced run in text mode on a terminal, where a line per order would
 * scroll faster than anyone reads.
 */
export function wantsProgress(
  config: Pick<ProducerConfig, "output" | "count" | "rate" | "delayMs">,
  isTerminal: boolean,
): boolean {
  return config.output === "text" && isTerminal && config.count > 1000 &&
    config.rate === 0 && config.delayMs === 0;
}

/**
 * The progress line after `delivered` of `total` orders in `seconds`, with
 * the rate so far and the time left at that rate.
 *
 * @example
 * ```ts
 * import { progressLine } from "./output.ts";
 * progressLine(5000, 20000, 2); // "\r5,000/20,000 orders  2,500/s  ETA 6.0 s   "
 * ```
 */
export function progressLine(delivered: number, total: number, seconds: number): string {
  const rate = delivered / Math.max(seconds, 1e-9);
  const eta = rate > 0 ? (total - delivered) / rate : 0;
  return `\r${delivered.toLocaleString("en-US")}/${total.toLocaleString("en-US")} orders  ${
    Math.round(rate).toLocaleString("en-US")
  }/s  ETA ${eta.toFixed(1)} s   `;
}

/** Redraws the progress line on stdout five times a second until stopped. */
export class ProgressTicker {
  #delivered = 0;
  readonly #timer: ReturnType<typeof setInterval>;
  readonly #encoder = new TextEncoder();

  constructor(total: number) {
    const started = performance.now();
    this.#timer = setInterval(() => {
      const seconds = (performance.now() - started) / 1000;
      Deno.stdout.writeSync(this.#encoder.encode(progressLine(this.#delivered, total, seconds)));
    }, 200);
  }

  /** Counts one delivered order. */
  tick(): void {
    this.#delivered += 1;
  }

  /** Stops and erases the line, so the summary starts on a clean one. */
  stop(): void {
    clearInterval(this.#timer);
    Deno.stdout.writeSync(this.#encoder.encode("\r\x1b[K"));
  }
}

/** Options for {@linkcode printEvents}. */
export interface PrintOptions {
  output: OutputMode;
  /** Named in the line of a dead-lettered order. */
  dlqTopic: string;
  /** Counts deliveries instead of a line for each. */
  progress?: ProgressTicker;
  /** Writes a line to stdout. @default {console.log} */
  out?: (line: string) => void;
  /** Writes a line to stderr. @default {console.error} */
  err?: (line: string) => void;
}

/**
 * The producer's events as the program prints them: deliveries on stdout
 * (text or JSON; none when quiet), retries and dead-lettered orders on
 * stderr in text mode and on stdout as JSON, lost orders in full on stderr.
 */
export function printEvents(options: PrintOptions): ProducerEvents {
  const {
    output,
    progress,
    out = (line: string) => console.log(line),
    err = (line: string) => console.error(line),
  } = options;
  return {
    delivered(d) {
      progress?.tick();
      if (output === "json") {
        out(JSON.stringify({
          event: "delivered",
          ...jsonOrder(d.record),
          topic: d.topic,
          partition: d.partition,
          offset: d.offset,
          latencyMs: Math.round(d.latencyMs * 100) / 100,
        }));
      } else if (output === "text" && progress === undefined) {
        out(
          `[OK] Sent: ${formatOrder(d.record)} -> ${d.topic}[${d.partition}]@${d.offset} (${
            d.latencyMs.toFixed(1)
          } ms)`,
        );
      }
    },
    retrying(records, attempt, attempts, delayMs, error) {
      if (output === "json") {
        out(JSON.stringify({
          event: "retrying",
          records,
          attempt,
          attempts,
          delayMs,
          error: describeError(error),
        }));
      } else {
        err(
          `[WARN] send of ${records} orders failed (attempt ${attempt}/${attempts}): ${
            describeError(error)
          }. Retrying in ${formatDelay(delayMs)}...`,
        );
      }
    },
    deadLettered(record, error) {
      if (output === "json") {
        out(
          JSON.stringify({
            event: "dead-lettered",
            ...jsonOrder(record),
            error: describeError(error),
          }),
        );
      } else {
        err(`[DLQ] ${formatOrder(record)} -> ${options.dlqTopic}: ${describeError(error)}`);
      }
    },
    lost(record, error, dlqError) {
      // The order could be delivered nowhere: keep it in full in the log.
      err(`[UNSENT] ${
        JSON.stringify({
          key: record.key,
          ...jsonOrder(record),
          valueBase64: Buffer.from(record.value).toString("base64"),
          error: describeError(error),
          dlqError: describeError(dlqError),
        })
      }`);
    },
  };
}
