import assert from "node:assert/strict";
import { encodeState } from "./state_codec.ts";
import { PartitionStateError, planAssignment, stateFromCommit } from "./partition_state.ts";

const agg = { count: 2, sumCents: 83_000, minCents: 3_001, maxCents: 79_999 };
const log = { low: "0", high: "100" };

Deno.test("stateFromCommit() starts a partition with no commit empty at the log start", () => {
  assert.deepEqual(stateFromCommit("orders", 0, undefined, log), {
    state: { next: "0", agg: { count: 0, sumCents: 0, minCents: null, maxCents: null } },
    warnings: [],
  });
  const { state } = stateFromCommit("orders", 0, { offset: "-1", metadata: null }, log);
  assert.equal(state.next, "0");
});

Deno.test("stateFromCommit() warns when a partition with no commit no longer starts at 0", () => {
  const { state, warnings } = stateFromCommit("orders", 1, undefined, { low: "40", high: "90" });
  assert.equal(state.next, "40");
  assert.equal(warnings.length, 1);
  assert.match(
    warnings[0],
    /^orders\[1\] has no committed offset and its log now starts at offset 40: /,
  );
});

Deno.test("stateFromCommit() restores the state committed with the offset", () => {
  const metadata = encodeState({ next: "42", agg });
  assert.deepEqual(stateFromCommit("orders", 2, { offset: "42", metadata }, log), {
    state: { next: "42", agg },
    warnings: [],
  });
});

Deno.test("stateFromCommit() refuses a commit without our state", () => {
  for (const metadata of [null, "", "event-id-3"]) {
    assert.throws(
      () => stateFromCommit("orders", 0, { offset: "10", metadata }, log),
      (error: unknown) =>
        error instanceof PartitionStateError && /^orders\[0\]: offset 10 /.test(error.message),
    );
  }
});

Deno.test("stateFromCommit() refuses state written for another offset", () => {
  const metadata = encodeState({ next: "41", agg });
  assert.throws(
    () => stateFromCommit("orders", 0, { offset: "42", metadata }, log),
    /aggregate state was written for offset 41 but the committed offset is 42/,
  );
});

Deno.test("stateFromCommit() refuses kafkajs's reset marker -2 by name", () => {
  assert.throws(
    () => stateFromCommit("orders", 0, { offset: "-2", metadata: "" }, log),
    /offset -2 \(a reset to the log start\) was committed without aggregate state/,
  );
});

Deno.test("stateFromCommit() refuses a committed offset past the end of the log", () => {
  const metadata = encodeState({ next: "150", agg });
  assert.throws(
    () => stateFromCommit("orders", 0, { offset: "150", metadata }, log),
    /committed offset 150 is past the end of the log \(100\); the topic was deleted and recreated/,
  );
});

Deno.test("stateFromCommit() keeps the state but warns when retention deleted unprocessed records", () => {
  const metadata = encodeState({ next: "30", agg });
  const { state, warnings } = stateFromCommit("orders", 0, { offset: "30", metadata }, {
    low: "45",
    high: "60",
  });
  assert.deepEqual(state, { next: "30", agg });
  assert.deepEqual(warnings, [
    "orders[0]: records 30..44 were deleted by retention before this group processed them; the aggregate cannot include them",
  ]);
});

Deno.test("planAssignment() starts each partition at its committed state, or at the log start", () => {
  const committed = new Map([
    [0, { offset: "42", metadata: encodeState({ next: "42", agg }) }],
    [1, { offset: "5", metadata: encodeState({ next: "5", agg }) }],
  ]);
  const logs = [
    { partition: 0, low: "0", high: "100" },
    { partition: 1, low: "30", high: "60" },
    { partition: 2, low: "0", high: "0" },
  ];
  const { planned, warnings } = planAssignment("orders", [0, 1, 2], committed, logs);
  assert.deepEqual([...planned], [
    [0, { state: { next: "42", agg } }],
    [1, { state: { next: "30", agg }, seekTo: "30" }],
    [2, { state: { next: "0", agg: { count: 0, sumCents: 0, minCents: null, maxCents: null } } }],
  ]);
  assert.deepEqual(warnings, [
    "orders[1]: records 5..29 were deleted by retention before this group processed them; the aggregate cannot include them",
  ]);
});

Deno.test("planAssignment() refuses a commit it cannot trust, and a partition with no offsets", () => {
  const foreign = new Map([[0, { offset: "7", metadata: "" }]]);
  assert.throws(
    () => planAssignment("orders", [0], foreign, [{ partition: 0, low: "0", high: "9" }]),
    PartitionStateError,
  );
  assert.throws(() => planAssignment("orders", [3], new Map(), []), {
    message: "no offsets for orders[3]",
  });
});
