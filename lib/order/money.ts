/**
 * Money in the pipeline: prices travel as Avro floats in dollars, and every
 * sum is kept in integer cents so it is exact.
 *
 * @module
 */

/**
 * Converts a decoded price (a float32 widened to a double) to integer cents.
 *
 * @example
 * ```ts
 * import { toCents } from "./money.ts";
 * toCents(Math.fround(799.99)); // 79999
 * ```
 */
export function toCents(price: number): number {
  return Math.round(price * 100);
}

/** Formats dollars as `$27,183.15`. */
export function formatMoney(value: number): string {
  return `$${
    value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })
  }`;
}
