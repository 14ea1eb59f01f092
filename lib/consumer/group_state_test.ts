import assert from "node:assert/strict";
import { emptyAggregate } from "../order/aggregate.ts";
import { GroupState } from "./group_state.ts";

const agg = (count: number, sumCents: number, minCents: number, maxCents: number) => ({
  count,
  sumCents,
  minCents,
  maxCents,
});

Deno.test("GroupState.joined() starts a new generation and forgets every loaded state", () => {
  const group = new GroupState();
  assert.equal(group.joined([0, 1]), 1);
  group.states.set(0, { next: "5", agg: emptyAggregate() });
  group.skipped(1, 9n);
  assert.equal(group.joined([2]), 2);
  assert.deepEqual(group.assigned, [2]);
  assert.equal(group.states.size, 0);
  assert.equal(group.skippedUpTo.size, 0);
});

Deno.test("GroupState.globalView() merges the other partitions' commits with the working one", () => {
  const group = new GroupState();
  group.joined([0, 1, 2]);
  group.states.set(0, { next: "3", agg: agg(3, 300, 50, 200) });
  group.states.set(1, { next: "9", agg: agg(1, 10, 10, 10) });
  // Partition 1's committed state is replaced by its working aggregate.
  assert.deepEqual(group.globalView(1, agg(2, 5000, 1000, 4000)), agg(5, 5300, 50, 4000));
});

Deno.test("GroupState.caughtUp() is false until every assigned partition's state is loaded", () => {
  const group = new GroupState();
  assert.equal(group.caughtUp(new Map()), false);
  group.joined([0, 1]);
  group.states.set(0, { next: "10", agg: emptyAggregate() });
  assert.equal(group.caughtUp(new Map([[0, 10n], [1, 0n]])), false);
  group.states.set(1, { next: "0", agg: emptyAggregate() });
  assert.equal(group.caughtUp(new Map([[0, 10n], [1, 0n]])), true);
  assert.equal(group.caughtUp(new Map([[0, 11n], [1, 0n]])), false);
});

Deno.test("GroupState.caughtUp() counts a tail kafkajs stepped over as read", () => {
  const group = new GroupState();
  group.joined([0]);
  group.states.set(0, { next: "10", agg: emptyAggregate() });
  assert.equal(group.caughtUp(new Map([[0, 12n]])), false);
  group.skipped(0, 12n);
  assert.equal(group.caughtUp(new Map([[0, 12n]])), true);
});

Deno.test("GroupState.caughtUp() is true for a member that joined with no partitions", () => {
  const group = new GroupState();
  group.joined([]);
  assert.equal(group.caughtUp(new Map([[0, 5n]])), true);
});

Deno.test("GroupState.left() ends the generation: nothing held, loaded or caught up until a join", () => {
  const group = new GroupState();
  const generation = group.joined([0, 1]);
  group.states.set(0, { next: "5", agg: emptyAggregate() });
  group.states.set(1, { next: "5", agg: emptyAggregate() });
  assert.equal(group.caughtUp(new Map([[0, 5n], [1, 5n]])), true);
  group.left();
  assert.notEqual(group.generation, generation);
  assert.deepEqual([group.assigned, group.states.size], [[], 0]);
  assert.equal(group.loaded(), false);
  assert.equal(group.caughtUp(new Map()), false);
  group.joined([]);
  assert.equal(group.loaded(), true);
});
