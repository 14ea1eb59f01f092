import assert from "node:assert/strict";
import { addCents, emptyAggregate } from "../order/aggregate.ts";
import { committedAggregate } from "./committed.ts";
import { encodeState } from "./state_codec.ts";

Deno.test("committedAggregate() merges the partitions whose state decodes, in partition order", () => {
  const a = emptyAggregate();
  addCents(a, 1000);
  addCents(a, 250);
  const b = emptyAggregate();
  addCents(b, 9999);
  const committed = new Map([
    [2, { offset: "7", metadata: encodeState({ next: "7", agg: b }) }],
    [0, { offset: "12", metadata: encodeState({ next: "12", agg: a }) }],
    [1, { offset: "-1", metadata: null }],
    [3, { offset: "4", metadata: "" }],
  ]);
  const { partitions, aggregate } = committedAggregate(committed);
  assert.deepEqual(partitions, [
    { partition: 0, offset: "12", agg: a },
    { partition: 1, offset: "-1" },
    { partition: 2, offset: "7", agg: b },
    {
      partition: 3,
      offset: "4",
      problem:
        "offset 4 was committed without aggregate state (a seek, an offset reset or another tool)",
    },
  ]);
  assert.deepEqual(aggregate, { count: 3, sumCents: 11249, minCents: 250, maxCents: 9999 });
});

Deno.test("committedAggregate() of no commits is the empty aggregate", () => {
  assert.deepEqual(committedAggregate(new Map()), {
    partitions: [],
    aggregate: emptyAggregate(),
  });
});
