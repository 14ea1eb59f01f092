/**
 * The dashboard's dead-letter panel: counts by error type over the whole
 * DLQ and the newest dead letters, as rows a person reads (the order, the
 * error, where it came from). Pure: fed the monitor's views.
 *
 * @module
 */
import { formatOrigin } from "../dlq/summary.ts";
import type { DlqView } from "../dlq/summary.ts";
import { toCents } from "../order/money.ts";

/** How many dead letters the panel lists. */
export const NEWEST = 50;

/** One dead letter as listed. */
export interface DeadLetterRow {
  /** Where it is in the DLQ: partition and offset. */
  partition: number;
  offset: number;
  /** The order id, else the record key, else `?`. */
  id: string;
  product: string | null;
  /** Dollars; `null` when the value is not an order or its price is not a number. */
  price: number | null;
  errorType: string;
  error: string;
  /** The original record: `orders[1]@42`. */
  origin: string;
  attempts: number | null;
  /** ISO-8601. */
  failedAt: string | null;
  replayCount: number;
}

/** The panel's figures. */
export interface DeadLetters {
  total: number;
  /** Dead letters per error type, most frequent first. */
  byType: Record<string, number>;
  /** The newest {@linkcode NEWEST}, newest first. */
  newest: DeadLetterRow[];
}

/** The row of a dead letter. */
export function deadLetterRow(view: DlqView): DeadLetterRow {
  const { order, headers } = view;
  return {
    partition: view.partition,
    offset: Number(view.offset),
    id: order?.orderId || view.key || "?",
    product: order?.product ?? null,
    price: order !== undefined && Number.isFinite(order.price) ? toCents(order.price) / 100 : null,
    errorType: view.errorType,
    error: headers.errorMessage ?? view.decodeError ?? "unknown",
    origin: formatOrigin(headers),
    attempts: headers.attempts ?? null,
    failedAt: view.failedAt?.toISOString() ?? null,
    replayCount: headers.replayCount,
  };
}

/** Newest first: by failure time, then DLQ partition and offset. */
function newerFirst(a: DeadLetterRow, b: DeadLetterRow): number {
  const ta = a.failedAt ?? "";
  const tb = b.failedAt ?? "";
  if (ta !== tb) return ta < tb ? 1 : -1;
  return b.partition - a.partition || b.offset - a.offset;
}

/**
 * Accumulates the monitor's views into {@linkcode DeadLetters}.
 *
 * @example
 * ```ts
 * import { DlqPanel } from "./dlq_panel.ts";
 * import { inspectDlqRecord } from "../dlq/summary.ts";
 * const panel = new DlqPanel();
 * panel.add(inspectDlqRecord({ partition: 0, offset: "0", timestamp: "0", key: null, value: null }));
 * panel.figures().total; // 1
 * ```
 */
export class DlqPanel {
  #total = 0;
  readonly #byType = new Map<string, number>();
  #newest: DeadLetterRow[] = [];

  /** Adds one dead letter. */
  add(view: DlqView): void {
    this.#total += 1;
    this.#byType.set(view.errorType, (this.#byType.get(view.errorType) ?? 0) + 1);
    this.#newest.push(deadLetterRow(view));
    if (this.#newest.length > NEWEST * 2) this.#trim();
  }

  #trim(): void {
    this.#newest = this.#newest.sort(newerFirst).slice(0, NEWEST);
  }

  /** The figures so far. */
  figures(): DeadLetters {
    this.#trim();
    const byType = [...this.#byType].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    return { total: this.#total, byType: Object.fromEntries(byType), newest: [...this.#newest] };
  }
}
