/**
 * Small helpers for the dashboard's server-side HTML: escaping, and
 * formatting numbers, money and times the way the page shows them. Pure.
 *
 * @module
 */
import { formatMoney } from "../order/money.ts";

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escapes text for HTML content and attribute values: everything shown
 * that came from Kafka (keys, products, error messages) goes through it.
 *
 * @example
 * ```ts
 * import { escapeHtml } from "./html.ts";
 * escapeHtml(`<b title="x">&</b>`); // "&lt;b title=&quot;x&quot;&gt;&amp;&lt;/b&gt;"
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/**
 * JSON safe inside a `<script>` element: `<` is escaped, so no string in
 * it can close the element.
 *
 * @example
 * ```ts
 * import { scriptJson } from "./html.ts";
 * scriptJson({ a: "</script>" }); // '{"a":"\\u003c/script>"}'
 * ```
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replaceAll("<", "\\u003c");
}

/** A whole number with thousands separators: `12,345`. */
export function count(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/**
 * Dollars as the page shows them: `$1,234.56`, `-$5.00`; a dash for `null`.
 *
 * @example
 * ```ts
 * import { money } from "./html.ts";
 * money(-956.6); // "-$956.60"
 * ```
 */
export function money(dollars: number | null): string {
  if (dollars === null) return "–";
  return dollars < 0 ? `-${formatMoney(-dollars)}` : formatMoney(dollars);
}

/**
 * A time of day in UTC, `HH:MM:SS`, from an ISO string or ms.
 *
 * @example
 * ```ts
 * import { clock } from "./html.ts";
 * clock("2026-05-01T08:09:10.123Z"); // "08:09:10"
 * ```
 */
export function clock(time: string | number): string {
  return new Date(time).toISOString().slice(11, 19);
}
