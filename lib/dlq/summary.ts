/**
 * What the DLQ monitor shows, free of Kafka: one record read as far as it can
 * be (its context headers, its value decoded as an order when possible), the
 * line and JSON object printed for it, and the running summary of a DLQ
 * (counts by error type, by message and by original partition, the exact
 * value of the failed orders, the oldest and newest failure).
 *
 * @module
 */
import { AvroDecodeError, type Order } from "../order/codec.ts";
import { decodePlainOrder, type OrderDecoder } from "../order/wire.ts";
import { formatMoney, toCents } from "../order/money.ts";
import { DEFAULT_MAX_PRICE } from "../order/validate.ts";
import { type Headers, type ParsedDlqHeaders, parseDlqHeaders } from "./headers.ts";
import { MAX_SHAPE_CHARS, messageShape } from "./message_shape.ts";
import { printable } from "./printable.ts";

/**
 * A record read from the DLQ topic. A kafkajs `KafkaMessage` plus the
 * partition it came from fits this shape.
 */
export interface DlqRecord {
  /** Partition of the DLQ topic. */
  partition: number;
  /** Offset in the DLQ partition. */
  offset: string;
  /** Record timestamp, ms since the epoch as text (kafkajs's form). */
  timestamp: string;
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers?: Headers;
}

/** A DLQ record read as far as it can be. */
export interface DlqView {
  /** Partition of the DLQ topic. */
  partition: number;
  /** Offset in the DLQ partition. */
  offset: string;
  /** The key as UTF-8 text; `null` when the record has none. */
  key: string | null;
  /** Context headers; parts another tool did not write are `undefined`. */
  headers: ParsedDlqHeaders;
  /** The value decoded as an order, when it decodes. */
  order?: Order;
  /** Why the value does not decode as an order, when it does not. */
  decodeError?: string;
  /** Size of the value in bytes (0 for a null value). */
  size: number;
  /** Hex of the value's first bytes, see {@linkcode hexPreview}. */
  hex: string;
  /** `dlq-error-type`, or `unknown` when the record has none. */
  errorType: string;
  /** When it failed: the `dlq-failed-at` header, else the record timestamp. */
  failedAt?: Date;
  /**
   * The order's price in integer cents, when the value decodes as an order
   * with a price a valid order could have (finite, above 0, at most the
   * maximum price): what counts towards the total value.
   */
  valueCents?: number;
}

/** Options for {@linkcode inspectDlqRecord}. */
export interface InspectOptions {
  /** The largest price a valid order has, in dollars. @default {100000} */
  maxPrice?: number;
  /** Decodes a value: plain Avro unless the dead letters are framed for a schema registry. @default {decodePlainOrder} */
  decode?: OrderDecoder;
}

/** How many bytes {@linkcode hexPreview} shows. */
export const HEX_PREVIEW_BYTES = 16;

/**
 * The first `max` bytes as space-separated hex, with `...` when there are more.
 *
 * @example
 * ```ts
 * import { hexPreview } from "./summary.ts";
 * hexPreview(new TextEncoder().encode("CORRUPT")); // "43 4f 52 52 55 50 54"
 * ```
 */
export function hexPreview(bytes: Uint8Array | null, max: number = HEX_PREVIEW_BYTES): string {
  if (bytes === null) return "";
  const shown = [...bytes.subarray(0, max)].map((b) => b.toString(16).padStart(2, "0"));
  return shown.join(" ") + (bytes.length > max ? " ..." : "");
}

function failureTime(headers: ParsedDlqHeaders, timestamp: string): Date | undefined {
  if (headers.failedAt !== undefined) return headers.failedAt;
  // A record timestamp is always there, but may be -1 from old clients.
  const ms = Number(timestamp);
  return Number.isFinite(ms) && ms >= 0 ? new Date(ms) : undefined;
}

/**
 * Reads a DLQ record: parses its headers (tolerating missing and foreign
 * ones) and decodes its value as an order when it can.
 */
export function inspectDlqRecord(record: DlqRecord, options: InspectOptions = {}): DlqView {
  const { maxPrice = DEFAULT_MAX_PRICE, decode = decodePlainOrder } = options;
  const headers = parseDlqHeaders(record.headers);
  const view: DlqView = {
    partition: record.partition,
    offset: record.offset,
    key: record.key === null ? null : new TextDecoder().decode(record.key),
    headers,
    size: record.value?.length ?? 0,
    hex: hexPreview(record.value),
    errorType: headers.errorType ?? "unknown",
    failedAt: failureTime(headers, record.timestamp),
  };
  try {
    view.order = decode(record.value, {});
  } catch (error) {
    if (!(error instanceof AvroDecodeError)) throw error;
    view.decodeError = error.reason;
    return view;
  }
  // A bit-flipped price can be 3e38: only a price a valid order could have counts.
  const { price } = view.order;
  if (Number.isFinite(price) && price > 0 && price <= maxPrice) view.valueCents = toCents(price);
  return view;
}

/**
 * A price for people: `$499.99`, `-$5.00`; `NaN`, and a price too large for
 * exact cents (a bit-flipped `3e38`), as the number it is.
 */
export function formatPrice(price: number): string {
  if (!Number.isFinite(price) || Math.abs(price) >= 1e15) return String(price);
  const cents = toCents(price);
  return cents < 0 ? `-${formatMoney(-cents / 100)}` : formatMoney(cents / 100);
}

/** Where the failed record came from: `orders[1]@42`, with `unknown` for what is missing. */
export function formatOrigin(headers: ParsedDlqHeaders): string {
  const { topic, partition, offset } = headers;
  if (topic === undefined && partition === undefined && offset === undefined) {
    return "origin unknown";
  }
  const where = `${topic === undefined ? "unknown" : printable(topic)}[${partition ?? "unknown"}]`;
  // The producer writes -1: the record never reached the topic.
  if (offset === "-1") return `${where}, never written`;
  return `${where}@${offset ?? "unknown"}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * The line printed for record number `n` (1-based), modelled on the
 * reference monitor:
 * `DLQ Message #1: OrderID=ORD-00005, Product=Tablet, Price=$499.99, Error='...' (orders[1]@42, 4 attempts)`.
 * An undecodable value shows its key, size, a hex preview and why it does
 * not decode. Text from the record is shown escaped and cut (see
 * {@linkcode printable}), so every record is one line.
 */
export function formatDlqLine(n: number, view: DlqView): string {
  const { headers, order } = view;
  const shown = (text: string) => (text === "" ? "(empty)" : printable(text));
  const what = order !== undefined
    ? `OrderID=${shown(order.orderId)}, Product=${shown(order.product)}, Price=${
      formatPrice(order.price)
    }`
    : `Key=${view.key === null ? "null" : printable(view.key)}, Value=${
      view.size === 0 ? "empty" : `${view.size} bytes [${view.hex}]`
    } (not an order: ${view.decodeError})`;
  const error = headers.errorMessage === undefined
    ? "unknown"
    : `'${printable(headers.errorMessage)}'`;
  const context = [
    formatOrigin(headers),
    headers.attempts === undefined ? "attempts unknown" : plural(headers.attempts, "attempt"),
  ];
  if (headers.replayCount > 0) context.push(`replayed ${plural(headers.replayCount, "time")}`);
  return `DLQ Message #${n}: ${what}, Error=${error} (${context.join(", ")})`;
}

/** The JSON object printed for record number `n` in `--json` mode. */
export function dlqRecordJson(n: number, view: DlqView): Record<string, unknown> {
  const { headers, order } = view;
  return {
    event: "record",
    n,
    partition: view.partition,
    offset: view.offset,
    key: view.key,
    // JSON has no NaN: a non-finite price is null.
    order: order === undefined ? null : {
      orderId: order.orderId,
      product: order.product,
      price: Number.isFinite(order.price) ? toCents(order.price) / 100 : null,
    },
    size: view.size,
    hex: view.hex,
    decodeError: view.decodeError ?? null,
    errorType: view.errorType,
    error: headers.errorMessage ?? null,
    errorClass: headers.errorClass ?? null,
    originalTopic: headers.topic ?? null,
    originalPartition: headers.partition ?? null,
    originalOffset: headers.offset ?? null,
    attempts: headers.attempts ?? null,
    failedAt: view.failedAt?.toISOString() ?? null,
    replayCount: headers.replayCount,
  };
}

/** A message and how often it occurred. */
export interface MessageCount {
  message: string;
  count: number;
}

/** The summary of the records seen so far. */
export interface DlqSummary {
  /** Records seen. */
  total: number;
  /** Records per `dlq-error-type` (`unknown` when missing), most frequent first. */
  byType: Record<string, number>;
  /**
   * The most frequent error messages by {@linkcode messageShape}, most
   * frequent first (`unknown` when missing).
   */
  byMessage: MessageCount[];
  /** Distinct messages left out of `byMessage`, and how many records they cover. */
  otherMessages: { distinct: number; count: number };
  /**
   * Sum of the prices of records that decode as an order with a price a
   * valid order could have (see {@linkcode DlqView.valueCents}), in cents.
   */
  totalValueCents: number;
  /** `totalValueCents` in dollars. */
  totalValue: number;
  /** Records counted in `totalValue`. */
  valuedRecords: number;
  /**
   * Records left out of `totalValue`: values that are not orders, and
   * orders with a price no valid order has (not finite, not above 0, or
   * above the maximum price).
   */
  leftOut: { notOrders: number; impossiblePrices: number };
  /** Earliest failure time, ISO-8601; `null` when no record has one. */
  oldestFailure: string | null;
  /** Latest failure time, ISO-8601; `null` when no record has one. */
  newestFailure: string | null;
  /** Records per original partition, `orders[1]`, or `unknown`; in topic and partition order. */
  byPartition: Record<string, number>;
}

/** Options for {@linkcode DlqSummaryBuilder.summary}. */
export interface SummaryOptions {
  /** How many distinct messages `byMessage` lists. @default {10} */
  messageLimit?: number;
}

function byCountThenName(a: [string, number], b: [string, number]): number {
  return b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
}

/**
 * Accumulates DLQ records into a {@linkcode DlqSummary}.
 *
 * @example
 * ```ts
 * import { DlqSummaryBuilder, inspectDlqRecord } from "./summary.ts";
 * const builder = new DlqSummaryBuilder();
 * builder.add(inspectDlqRecord({ partition: 0, offset: "0", timestamp: "0", key: null, value: null }));
 * builder.summary().total; // 1
 * ```
 */
export class DlqSummaryBuilder {
  #total = 0;
  #byType = new Map<string, number>();
  #byMessage = new Map<string, number>();
  /** Keyed `topic[partition]`; records without both headers go under `unknown`. */
  #byPartition = new Map<string, { topic?: string; partition?: number; count: number }>();
  #cents = 0;
  #valued = 0;
  #notOrders = 0;
  #impossiblePrices = 0;
  #oldest: Date | undefined;
  #newest: Date | undefined;

  /** Adds one record. */
  add(view: DlqView): void {
    const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
    this.#total += 1;
    // Header text may be anything another client wrote: keys are kept printable.
    bump(this.#byType, printable(view.errorType, 100));
    const shape = messageShape(view.headers.errorMessage ?? "unknown", [
      view.order?.orderId,
      view.key,
    ]);
    bump(this.#byMessage, printable(shape, MAX_SHAPE_CHARS + 3));
    const { topic, partition } = view.headers;
    const key = topic === undefined || partition === undefined
      ? "unknown"
      : `${printable(topic, 100)}[${partition}]`;
    const entry = this.#byPartition.get(key) ??
      (key === "unknown" ? { count: 0 } : { topic, partition, count: 0 });
    entry.count += 1;
    this.#byPartition.set(key, entry);
    if (view.valueCents !== undefined) {
      this.#cents += view.valueCents;
      this.#valued += 1;
    } else if (view.order === undefined) {
      this.#notOrders += 1;
    } else {
      this.#impossiblePrices += 1;
    }
    const at = view.failedAt;
    if (at !== undefined) {
      if (this.#oldest === undefined || at < this.#oldest) this.#oldest = at;
      if (this.#newest === undefined || at > this.#newest) this.#newest = at;
    }
  }

  /** The summary of everything added so far. */
  summary(options: SummaryOptions = {}): DlqSummary {
    const { messageLimit = 10 } = options;
    const messages = [...this.#byMessage].sort(byCountThenName);
    const shown = messages.slice(0, messageLimit);
    const rest = messages.slice(messageLimit);
    // Topic, then partition number (orders[2] before orders[10]), unknown last.
    const partitions = [...this.#byPartition].sort(([, a], [, b]) => {
      if (a.topic === undefined || b.topic === undefined) {
        return Number(a.topic === undefined) - Number(b.topic === undefined);
      }
      return a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition! - b.partition!;
    });
    return {
      total: this.#total,
      byType: Object.fromEntries([...this.#byType].sort(byCountThenName)),
      byMessage: shown.map(([message, count]) => ({ message, count })),
      otherMessages: { distinct: rest.length, count: rest.reduce((sum, [, c]) => sum + c, 0) },
      totalValueCents: this.#cents,
      totalValue: this.#cents / 100,
      valuedRecords: this.#valued,
      leftOut: { notOrders: this.#notOrders, impossiblePrices: this.#impossiblePrices },
      oldestFailure: this.#oldest?.toISOString() ?? null,
      newestFailure: this.#newest?.toISOString() ?? null,
      byPartition: Object.fromEntries(partitions.map(([key, { count }]) => [key, count])),
    };
  }
}

/** The line under the total value saying which failed records it does not count, if any. */
function leftOutLines(summary: DlqSummary): string[] {
  const { notOrders, impossiblePrices } = summary.leftOut;
  if (notOrders + impossiblePrices === 0) return [];
  return [
    `  (left out: ${
      plural(notOrders + impossiblePrices, "failed record")
    }, ${notOrders} not an order, ` +
    `${impossiblePrices} with a price no valid order has)`,
  ];
}

/** The DEAD LETTER QUEUE SUMMARY block, modelled on the reference monitor's. */
export function formatDlqSummary(summary: DlqSummary): string[] {
  const rule = "=".repeat(70);
  const times = (n: number) => plural(n, "occurrence");
  const lines = [
    rule,
    "DEAD LETTER QUEUE SUMMARY",
    rule,
    `Total failed messages: ${summary.total}`,
  ];
  if (summary.total > 0) {
    lines.push("", "Errors by type:");
    for (const [type, count] of Object.entries(summary.byType)) {
      lines.push(`  - ${type}: ${times(count)}`);
    }
    lines.push("", "Errors by message:");
    for (const { message, count } of summary.byMessage) {
      lines.push(`  - ${message}: ${times(count)}`);
    }
    const other = summary.otherMessages;
    if (other.distinct > 0) {
      lines.push(`  - (${plural(other.distinct, "other message")}): ${times(other.count)}`);
    }
  }
  lines.push(
    "",
    `Total value of failed orders: ${formatMoney(summary.totalValue)}`,
    ...leftOutLines(summary),
    `Oldest failure: ${summary.oldestFailure ?? "none"}`,
    `Newest failure: ${summary.newestFailure ?? "none"}`,
  );
  if (summary.total > 0) {
    lines.push("", "Failed messages by original partition:");
    for (const [where, count] of Object.entries(summary.byPartition)) {
      lines.push(`  - ${where}: ${count}`);
    }
  }
  lines.push(rule);
  return lines;
}
