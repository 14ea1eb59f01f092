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
