import assert from "node:assert/strict";
import {
  addCents,
  type Aggregate,
  emptyAggregate,
  mergeAggregates,
  summarize,
} from "./aggregate.ts";
import { seededRandom } from "./random.ts";

function aggregateOf(cents: number[]): Aggregate {
  const agg = emptyAggregate();
  for (const c of cents) addCents(agg, c);
  return agg;
}

Deno.test("addCents() tracks count, sum, min and max", () => {
  const agg = emptyAggregate();
  assert.deepEqual(agg, { count: 0, sumCents: 0, minCents: null, maxCents: null });
  addCents(agg, 500);
  assert.deepEqual(agg, { count: 1, sumCents: 500, minCents: 500, maxCents: 500 });
  addCents(agg, 200);
  addCents(agg, 900);
  assert.deepEqual(agg, { count: 3, sumCents: 1600, minCents: 200, maxCents: 900 });
});

Deno.test("mergeAggregates() equals aggregating everything at once, in any order", () => {
  const random = seededRandom(3);
  const cents = Array.from({ length: 300 }, () => 1 + Math.floor(random() * 150_000));
  const whole = aggregateOf(cents);
  const parts = [aggregateOf(cents.slice(0, 100)), emptyAggregate(), aggregateOf(cents.slice(100))];
  assert.deepEqual(mergeAggregates(parts), whole);
  assert.deepEqual(mergeAggregates([...parts].reverse()), whole);
  assert.deepEqual(mergeAggregates([parts[2], parts[0], parts[1]]), whole);
});

Deno.test("mergeAggregates() of nothing or empties is empty, and leaves its inputs alone", () => {
  assert.deepEqual(mergeAggregates([]), emptyAggregate());
  assert.deepEqual(mergeAggregates([emptyAggregate(), emptyAggregate()]), emptyAggregate());
  const part = aggregateOf([100]);
  mergeAggregates([part, aggregateOf([50])]);
  assert.deepEqual(part, { count: 1, sumCents: 100, minCents: 100, maxCents: 100 });
});

Deno.test("summarize() reports dollars, the average rounded to cents", () => {
  assert.deepEqual(summarize(aggregateOf([100, 100, 101])), {
    count: 3,
    average: 1,
    min: 1,
    max: 1.01,
    revenue: 3.01,
  });
  assert.deepEqual(summarize(aggregateOf([1, 2])), {
    count: 2,
    average: 0.02,
    min: 0.01,
    max: 0.02,
    revenue: 0.03,
  });
});

Deno.test("summarize() is all zeros when empty", () => {
  assert.deepEqual(summarize(emptyAggregate()), {
    count: 0,
    average: 0,
    min: 0,
    max: 0,
    revenue: 0,
  });
});
