import assert from "node:assert/strict";
import { stopSwitch } from "../kafka/lifecycle.ts";
import { type AssignmentDeps, type CommittedView, onJoin } from "./assignment.ts";
import { GroupState } from "./group_state.ts";
import { consumerConfig } from "./options.ts";
import { emptyConsumerMetrics } from "./report.ts";
import { encodeState } from "./state_codec.ts";

const agg = { count: 1, sumCents: 500, minCents: 500, maxCents: 500 };

function deps(readCommitted: () => Promise<CommittedView>) {
  const calls: string[] = [];
  const lines: string[] = [];
  const warnings: string[] = [];
  const run = stopSwitch();
  const d: AssignmentDeps = {
    config: consumerConfig({ brokers: [], topic: "orders", group: "g" }),
    group: new GroupState(),
    metrics: emptyConsumerMetrics(),
    run,
    events: { line: (t) => lines.push(t), warn: (t) => warnings.push(t) },
    touch: () => {},
    consumer: {
      pause: (tps) => void calls.push(`pause ${tps[0].partitions}`),
      resume: (tps) => void calls.push(`resume ${tps[0].partitions}`),
      seek: ({ partition, offset }) => void calls.push(`seek ${partition} ${offset}`),
    },
    readCommitted,
    sleep: () => Promise.resolve(),
  };
  return { d, run, calls, lines, warnings };
}

Deno.test("onJoin() pauses, loads each partition's state, seeks past retention and resumes", async () => {
  const { d, calls, lines, warnings } = deps(() =>
    Promise.resolve({
      committed: new Map([
        [0, { offset: "4", metadata: encodeState({ next: "4", agg }) }],
        [1, { offset: "5", metadata: encodeState({ next: "5", agg }) }],
      ]),
      logs: [{ partition: 0, low: "0", high: "9" }, { partition: 1, low: "7", high: "9" }],
    })
  );
  await onJoin(d, [0, 1]);
  assert.deepEqual(calls, ["pause 0,1", "seek 1 7", "resume 0,1"]);
  assert.deepEqual(d.group.states.get(0), { next: "4", agg });
  assert.deepEqual(d.group.states.get(1), { next: "7", agg });
  assert.deepEqual(lines, ["Joined group g: partitions [0, 1] of orders"]);
  assert.deepEqual(warnings, [
    "WARNING: orders[1]: records 5..6 were deleted by retention before this group processed them; the aggregate cannot include them",
  ]);
  assert.equal(d.metrics.joins, 1);
});

Deno.test("onJoin() retries a failed read, and stops the run on a state it cannot trust", async () => {
  let reads = 0;
  const flaky = deps(() =>
    ++reads < 3
      ? Promise.reject(new Error("coordinator loading"))
      : Promise.resolve({ committed: new Map(), logs: [{ partition: 0, low: "0", high: "0" }] })
  );
  await onJoin(flaky.d, [0]);
  assert.equal(reads, 3);
  assert.deepEqual(flaky.calls, ["pause 0", "resume 0"]);

  const foreign = deps(() =>
    Promise.resolve({
      committed: new Map([[0, { offset: "3", metadata: "" }]]),
      logs: [{ partition: 0, low: "0", high: "5" }],
    })
  );
  await onJoin(foreign.d, [0]);
  assert.deepEqual(foreign.calls, ["pause 0"]);
  assert.equal(foreign.run.isStopped(), true);
  assert.match(
    foreign.run.fatal()!,
    /^orders\[0\]: offset 3 was committed without aggregate state/,
  );
  assert.match(foreign.warnings[0], /^ERROR: orders\[0\]: /);
});

Deno.test("onJoin() leaves a load to the newer join when the group rejoined meanwhile", async () => {
  let release!: () => void;
  const { d, calls } = deps(() =>
    new Promise((resolve) =>
      release = () =>
        resolve({ committed: new Map(), logs: [{ partition: 0, low: "0", high: "0" }] })
    )
  );
  const first = onJoin(d, [0]);
  d.group.joined([]);
  release();
  await first;
  assert.deepEqual(calls, ["pause 0"]);
  assert.equal(d.group.states.size, 0);
});

Deno.test("onJoin() steps aside without stopping the run when kafkajs restarted the consumer meanwhile", async () => {
  let fail!: () => void;
  const { d, run, calls, warnings } = deps(() =>
    new Promise((_, reject) => fail = () => reject(new Error("Consumer group was not initialized")))
  );
  d.sleep = () => Promise.reject(new Error("the consumer restarted"));
  const first = onJoin(d, [0]);
  d.group.left();
  fail();
  await first;
  assert.deepEqual(calls, ["pause 0"]);
  assert.equal(run.isStopped(), false);
  assert.deepEqual(warnings, []);
});
