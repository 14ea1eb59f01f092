/**
 * The exact aggregate: count, sum, min and max of prices in integer cents, so
 * results do not depend on order and partials merge exactly. Each input
 * partition keeps its own partial; the global view is their merge.
 *
 * @module
 */

/** A partial aggregate over some orders. Money is in integer cents. */
export interface Aggregate {
  count: number;
  sumCents: number;
  /** Smallest price in cents; `null` while empty. */
  minCents: number | null;
  /** Largest price in cents; `null` while empty. */
  maxCents: number | null;
}

/** The figures people read: dollars, rounded to cents. */
export interface AggregateSummary {
  count: number;
  average: number;
  min: number;
  max: number;
  revenue: number;
}

/** An empty aggregate. */
export function emptyAggregate(): Aggregate {
  return { count: 0, sumCents: 0, minCents: null, maxCents: null };
}

/**
 * Converts a decoded price (a float32 widened to a double) to integer cents.
 *
 * @example
 * ```ts
 * import { toCents } from "./aggregate.ts";
 * toCents(Math.fround(799.99)); // 79999
 * ```
 */
export function toCents(price: number): number {
  return Math.round(price * 100);
}

/** Adds one price, in cents, to the aggregate in place. */
export function addCents(agg: Aggregate, cents: number): void {
  agg.count += 1;
  agg.sumCents += cents;
  if (agg.minCents === null || cents < agg.minCents) agg.minCents = cents;
  if (agg.maxCents === null || cents > agg.maxCents) agg.maxCents = cents;
}

/** Merges partials into a new aggregate; the order of the inputs does not matter. */
export function mergeAggregates(parts: Iterable<Aggregate>): Aggregate {
  const out = emptyAggregate();
  for (const p of parts) {
    out.count += p.count;
    out.sumCents += p.sumCents;
    if (p.minCents !== null && (out.minCents === null || p.minCents < out.minCents)) {
      out.minCents = p.minCents;
    }
    if (p.maxCents !== null && (out.maxCents === null || p.maxCents > out.maxCents)) {
      out.maxCents = p.maxCents;
    }
  }
  return out;
}

/** Dollars from cents, rounded to cents. */
function dollars(cents: number): number {
  return Math.round(cents) / 100;
}

/** The summary of an aggregate, money in dollars rounded to cents; zeros while empty. */
export function summarize(agg: Aggregate): AggregateSummary {
  return {
    count: agg.count,
    average: agg.count === 0 ? 0 : dollars(agg.sumCents / agg.count),
    min: agg.minCents === null ? 0 : dollars(agg.minCents),
    max: agg.maxCents === null ? 0 : dollars(agg.maxCents),
    revenue: dollars(agg.sumCents),
  };
}

/** Formats dollars as `$27,183.15`. */
export function formatMoney(value: number): string {
  return `$${
    value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })
  }`;
}

/**
 * A partition's state as committed with its offset: the aggregate of every
 * record before `next`, the offset the commit points at.
 */
export interface PartitionState {
  /** The committed offset this state belongs to: the next record to read. */
  next: string;
  agg: Aggregate;
}

/** Marks our metadata, so a commit written by anything else is recognised. */
const STATE_TAG = "agg1";

/**
 * Encodes a partition state as offset-commit metadata: a short JSON string
 * (well under the broker's 4 KB `offset.metadata.max.bytes`).
 */
export function encodeState(state: PartitionState): string {
  const { agg } = state;
  return JSON.stringify({
    v: STATE_TAG,
    next: state.next,
    c: agg.count,
    s: agg.sumCents,
    mn: agg.minCents,
    mx: agg.maxCents,
  });
}

/** Committed metadata that is not our state, or does not belong to its offset. */
export class StateMismatchError extends Error {
  override name = "StateMismatchError";
}

/**
 * Decodes committed metadata back into a state, checking it belongs to the
 * committed offset. Throws {@linkcode StateMismatchError} when the metadata
 * is empty or foreign (e.g. a commit made by `seek` or an offset reset) or
 * was written for another offset: using it would lose or double-count orders.
 */
export function decodeState(metadata: string | null, committedOffset: string): PartitionState {
  if (metadata === null || metadata === "") {
    throw new StateMismatchError(
      `offset ${committedOffset} was committed without aggregate state (a seek, an offset reset or another tool)`,
    );
  }
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(metadata);
  } catch {
    throw new StateMismatchError(
      `offset ${committedOffset} carries metadata that is not aggregate state: ${
        JSON.stringify(metadata.slice(0, 60))
      }`,
    );
  }
  const isCount = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
  const isCents = (v: unknown) => v === null || Number.isSafeInteger(v);
  if (
    raw?.v !== STATE_TAG || typeof raw.next !== "string" || !isCount(raw.c) ||
    !Number.isSafeInteger(raw.s) || !isCents(raw.mn) || !isCents(raw.mx)
  ) {
    throw new StateMismatchError(
      `offset ${committedOffset} carries metadata that is not aggregate state: ${
        JSON.stringify(metadata.slice(0, 60))
      }`,
    );
  }
  if (raw.next !== committedOffset) {
    throw new StateMismatchError(
      `aggregate state was written for offset ${raw.next} but the committed offset is ${committedOffset}`,
    );
  }
  return {
    next: raw.next,
    agg: {
      count: raw.c as number,
      sumCents: raw.s as number,
      minCents: raw.mn as number | null,
      maxCents: raw.mx as number | null,
    },
  };
}
