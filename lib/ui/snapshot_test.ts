import assert from "node:assert/strict";
import { encodeState } from "../consumer/state_codec.ts";
import { addCents, emptyAggregate } from "../order/aggregate.ts";
import { groupStatus, lagTrend, partitionRows } from "./snapshot.ts";

Deno.test("groupStatus() reads the coordinator's state names", () => {
  assert.deepEqual(
    ["Stable", "PreparingRebalance", "CompletingRebalance", "Empty", "Dead", "Odd", undefined].map(
      groupStatus,
    ),
    ["stable", "rebalancing", "rebalancing", "empty", "dead", "unknown", "unknown"],
  );
});

Deno.test("lagTrend() compares the lag with ten seconds ago", () => {
  assert.equal(lagTrend([]), "unknown");
  assert.equal(lagTrend([40, 0]), "caught-up");
  assert.equal(lagTrend([500, 420, 300]), "falling");
  assert.equal(lagTrend([100, 400]), "growing");
  assert.equal(lagTrend([7, 7, 7]), "steady");
  // Only the sample ten seconds back counts, not the ones in between.
  assert.equal(lagTrend([10, 900, 900, 900, 900, 900, 900, 900, 900, 900, 20]), "growing");
});

Deno.test("lagTrend() says keeping up while the lag is under a second of input", () => {
  assert.equal(lagTrend([2, 3, 2], 250), "keeping-up");
  assert.equal(lagTrend([200, 300], 250), "growing");
});

Deno.test("partitionRows() gives each partition's offsets, lag and committed aggregate", () => {
  const agg = emptyAggregate();
  addCents(agg, 2999);
  addCents(agg, 79999);
  const committed = new Map([[0, { offset: "2", metadata: encodeState({ next: "2", agg }) }]]);
  const { rows, aggregate, lag } = partitionRows(committed, [
    { partition: 1, low: "0", high: "4" },
    { partition: 0, low: "0", high: "5" },
  ]);
  assert.deepEqual(rows, [
    {
      partition: 0,
      committed: 2,
      logEnd: 5,
      lag: 3,
      agg: { count: 2, average: 414.99, min: 29.99, max: 799.99, revenue: 829.98 },
    },
    { partition: 1, committed: null, logEnd: 4, lag: 4, agg: null },
  ]);
  assert.deepEqual(aggregate, {
    count: 2,
    average: 414.99,
    min: 29.99,
    max: 799.99,
    revenue: 829.98,
  });
  assert.equal(lag, 7);
});
