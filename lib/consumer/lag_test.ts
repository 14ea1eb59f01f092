import assert from "node:assert/strict";
import { addCents, emptyAggregate, mergeAggregates } from "../order/aggregate.ts";
import { groupStanding, partitionLag, totalLag } from "./lag.ts";
import { encodeState } from "./state_codec.ts";

Deno.test("partitionLag() is the log end minus the committed offset", () => {
  assert.equal(partitionLag(40n, { low: 0n, high: 100n }), 60n);
  assert.equal(partitionLag(100n, { low: 0n, high: 100n }), 0n);
});

Deno.test("partitionLag() counts from the log start without a commit or below it", () => {
  assert.equal(partitionLag(undefined, { low: 10n, high: 100n }), 90n);
  assert.equal(partitionLag(3n, { low: 10n, high: 100n }), 90n);
});

Deno.test("partitionLag() is 0 when the commit is past the log end", () => {
  assert.equal(partitionLag(120n, { low: 0n, high: 100n }), 0n);
});

Deno.test("groupStanding() joins commits and log offsets per partition with the exact merge", () => {
  const a = emptyAggregate();
  addCents(a, 2999);
  addCents(a, 79999);
  const b = emptyAggregate();
  addCents(b, 4550);
  const committed = new Map([
    [1, { offset: "2", metadata: encodeState({ next: "2", agg: a }) }],
    [0, { offset: "1", metadata: encodeState({ next: "1", agg: b }) }],
    [2, { offset: "-1", metadata: null }],
  ]);
  const logs = [
    { partition: 2, low: "0", high: "5" },
    { partition: 0, low: "0", high: "1" },
    { partition: 1, low: "0", high: "7" },
  ];
  const { partitions, aggregate } = groupStanding(committed, logs);
  assert.deepEqual(partitions, [
    { partition: 0, logStart: 0n, logEnd: 1n, lag: 0n, committed: 1n, agg: b },
    { partition: 1, logStart: 0n, logEnd: 7n, lag: 5n, committed: 2n, agg: a },
    { partition: 2, logStart: 0n, logEnd: 5n, lag: 5n },
  ]);
  assert.deepEqual(aggregate, mergeAggregates([a, b]));
  assert.equal(totalLag(partitions), 10n);
});

Deno.test("groupStanding() names a partition whose metadata is not our state", () => {
  const committed = new Map([[0, { offset: "4", metadata: "something else" }]]);
  const { partitions, aggregate } = groupStanding(committed, [{
    partition: 0,
    low: "0",
    high: "4",
  }]);
  assert.equal(partitions[0].agg, undefined);
  assert.equal(typeof partitions[0].problem, "string");
  assert.deepEqual(aggregate, emptyAggregate());
});
