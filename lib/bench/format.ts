/**
 * The report's number formats and statistics, and its Markdown table. Pure.
 *
 * @module
 */

/**
 * `n` rounded to a whole number with thousands separators.
 *
 * @example
 * ```ts
 * import { grouped } from "./format.ts";
 * grouped(1234567.8); // "1,234,568"
 * ```
 */
export function grouped(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/**
 * The median of `values` (the mean of the middle two for an even count).
 *
 * @example
 * ```ts
 * import { median } from "./format.ts";
 * median([3, 1, 2]); // 2
 * median([4, 1, 3, 2]); // 2.5
 * ```
 */
export function median(values: number[]): number {
  if (values.length === 0) throw new RangeError("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The median of each field over `runs` on its own: a noisy machine moves
 * throughput and latency separately, so no single run stands for all.
 *
 * @example
 * ```ts
 * import { medianFigures } from "./format.ts";
 * medianFigures([{ a: 1, b: 30 }, { a: 3, b: 10 }, { a: 2, b: 20 }]); // { a: 2, b: 20 }
 * ```
 */
export function medianFigures<T extends object>(runs: T[]): T {
  if (runs.length === 0) throw new RangeError("median of no runs");
  const out: Record<string, number> = {};
  for (const key of Object.keys(runs[0])) {
    out[key] = median(runs.map((run) => (run as Record<string, number>)[key]));
  }
  return out as T;
}

/** `ours / java`, or `undefined` when either is missing or Java's is zero. */
export function ratio(ours: number | undefined, java: number | undefined): number | undefined {
  if (ours === undefined || java === undefined || java <= 0) return undefined;
  return ours / java;
}

/** What a cell shows for a figure that was not measured. */
export const DASH = "–";

/** `n` with `digits` decimals, or a dash. */
export function fixed(n: number | undefined, digits = 1): string {
  return n === undefined ? DASH : n.toFixed(digits);
}

/** A ratio as `0.52×`, or a dash. */
export function times(r: number | undefined): string {
  return r === undefined ? DASH : `${r.toFixed(2)}×`;
}

/** The table's rows, one per figure: its name, ours, Kafka's Java tools, ours/Java. */
/**
 * A Markdown table with padded columns: the first left-aligned, the others
 * right-aligned.
 *
 * @example
 * ```ts
 * import { markdownTable } from "./format.ts";
 * markdownTable(["", "n"], [["a", "10"]]);
 * // ["|   |  n |", "| - | -: |", "| a | 10 |"]
 * ```
 */
export function markdownTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) =>
    Math.max(h.length, 1, ...rows.map((r) => (r[i] ?? "").length))
  );
  const cell = (text: string, i: number) =>
    i === 0 ? text.padEnd(widths[i]) : text.padStart(widths[i]);
  const line = (cells: string[]) => `| ${cells.map(cell).join(" | ")} |`;
  const rule = `| ${
    widths.map((w, i) => (i === 0 ? "-".repeat(w) : "-".repeat(w - 1) + ":")).join(" | ")
  } |`;
  return [line(header), rule, ...rows.map((r) => line(header.map((_, i) => r[i] ?? "")))];
}
