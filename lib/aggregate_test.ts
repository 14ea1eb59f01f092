import assert from "node:assert/strict";
import {
  addCents,
  type Aggregate,
  decodeState,
  emptyAggregate,
  encodeState,
  formatMoney,
  mergeAggregates,
  StateMismatchError,
  summarize,
  toCents,
} from "./aggregate.ts";
import { seededRandom } from "./random.ts";

function aggregateOf(cents: number[]): Aggregate {
  const agg = emptyAggregate();
  for (const c of cents) addCents(agg, c);
  return agg;
}

Deno.test("toCents() turns float32-widened prices back into exact cents", () => {
  assert.equal(Math.fround(799.99) === 799.99, false);
  assert.equal(toCents(Math.fround(799.99)), 79999);
  assert.equal(toCents(Math.fround(29.99)), 2999);
  assert.equal(toCents(Math.fround(0.01)), 1);
  assert.equal(toCents(Math.fround(1499.99)), 149999);
  // Every cent value a catalog price can take survives the float32 round trip.
  for (let cents = 1; cents <= 150_000; cents++) {
    if (toCents(Math.fround(cents / 100)) !== cents) assert.fail(`${cents} cents`);
  }
});

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

Deno.test("formatMoney() writes dollars with thousands separators and two decimals", () => {
  assert.equal(formatMoney(27183.15), "$27,183.15");
  assert.equal(formatMoney(0), "$0.00");
  assert.equal(formatMoney(5.5), "$5.50");
  assert.equal(formatMoney(1234567.891), "$1,234,567.89");
});

Deno.test("encodeState() and decodeState() round-trip a state", () => {
  for (const agg of [emptyAggregate(), aggregateOf([79999, 2999, 1])]) {
    const state = { next: "1234", agg };
    assert.deepEqual(decodeState(encodeState(state), "1234"), state);
  }
});

Deno.test("decodeState() throws StateMismatchError for metadata that is not our state", () => {
  const cases: [string | null, string][] = [
    [
      null,
      "offset 5 was committed without aggregate state (a seek, an offset reset or another tool)",
    ],
    [
      "",
      "offset 5 was committed without aggregate state (a seek, an offset reset or another tool)",
    ],
    ["not json", 'offset 5 carries metadata that is not aggregate state: "not json"'],
    ['{"foo":1}', 'offset 5 carries metadata that is not aggregate state: "{\\"foo\\":1}"'],
    ["null", 'offset 5 carries metadata that is not aggregate state: "null"'],
  ];
  for (const [metadata, message] of cases) {
    assert.throws(() => decodeState(metadata, "5"), { name: "StateMismatchError", message });
  }
  const good = JSON.parse(encodeState({ next: "5", agg: aggregateOf([100]) }));
  for (
    const broken of [{ c: -1 }, { c: 1.5 }, { s: "100" }, { mn: 1.5 }, { v: "agg2" }, { next: 5 }]
  ) {
    assert.throws(
      () => decodeState(JSON.stringify({ ...good, ...broken }), "5"),
      StateMismatchError,
    );
  }
});

Deno.test("decodeState() throws StateMismatchError when written for another offset", () => {
  const metadata = encodeState({ next: "10", agg: aggregateOf([100]) });
  assert.throws(() => decodeState(metadata, "12"), {
    name: "StateMismatchError",
    message: "aggregate state was written for offset 10 but the committed offset is 12",
  });
});

Deno.test("encodeState() stays well under the broker's 4096-byte metadata limit", () => {
  const big = {
    next: String(2n ** 63n - 1n),
    agg: {
      count: Number.MAX_SAFE_INTEGER,
      sumCents: -Number.MAX_SAFE_INTEGER,
      minCents: -Number.MAX_SAFE_INTEGER,
      maxCents: Number.MAX_SAFE_INTEGER,
    },
  };
  const metadata = encodeState(big);
  assert.ok(new TextEncoder().encode(metadata).length < 256, `${metadata.length} bytes`);
  assert.deepEqual(decodeState(metadata, big.next), big);
});
