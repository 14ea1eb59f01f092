import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { buildDlqHeaders, type DlqContext, type Headers } from "./headers.ts";
import { replayConfig } from "./options.ts";
import {
  type BatchContext,
  decisionLine,
  type FetchedRecord,
  nextPosition,
  planBatch,
  positionPastGap,
  recordsInWindow,
  skipDuplicate,
} from "./replay_batch.ts";
import type { ReplayDecision } from "./replay_decision.ts";
import { dlqContext } from "./_test_utils.ts";

const CTX = dlqContext();

function record(offset: string, ctx: Partial<DlqContext> = {}, original?: Headers): FetchedRecord {
  return {
    offset,
    timestamp: "1714521600000",
    key: Buffer.from(`key-${offset}`),
    value: Buffer.from([offset.length, 0xff]),
    headers: buildDlqHeaders(original, { ...CTX, offset, ...ctx }),
  };
}

function context(overrides: Partial<BatchContext> = {}): BatchContext {
  return {
    topic: "orders-dlq",
    partition: 2,
    replay: replayConfig(),
    output: "text",
    replayed: new Set(),
    ...overrides,
  };
}

const REPLAY: ReplayDecision = { action: "replay", topic: "orders-eu", replayCount: 2 };
const SUBJECT = {
  topic: "orders-dlq",
  partition: 2,
  offset: "17",
  key: "k-1",
  errorType: "processing",
};

Deno.test("recordsInWindow() keeps records from the position up to, not including, the bound", () => {
  const records = ["3", "4", "5", "6", "7"].map((offset) => ({ offset }));
  assert.deepEqual(recordsInWindow(records, 4n, 7n), [
    { offset: "4" },
    { offset: "5" },
    { offset: "6" },
  ]);
  assert.deepEqual(recordsInWindow(records, 8n, 9n), []);
  assert.deepEqual(recordsInWindow([], 0n, 9n), []);
});

Deno.test("positionPastGap() jumps to the bound when the batch began at or past it", () => {
  assert.equal(positionPastGap([{ offset: "9" }, { offset: "10" }], 4n, 9n), 9n);
  assert.equal(positionPastGap([{ offset: "12" }], 4n, 9n), 9n);
});

Deno.test("positionPastGap() stays put when the batch began before the position or was empty", () => {
  assert.equal(positionPastGap([{ offset: "2" }, { offset: "3" }], 4n, 9n), 4n);
  assert.equal(positionPastGap([], 4n, 9n), 4n);
});

Deno.test("nextPosition() follows the batch past trailing markers when it took the last record", () => {
  assert.equal(nextPosition("7", "7", "9"), 10n);
  assert.equal(nextPosition("7", "7", "7"), 8n);
});

Deno.test("nextPosition() stops after the last record taken when later ones are outside the run", () => {
  assert.equal(nextPosition("5", "7", "9"), 6n);
});

Deno.test("skipDuplicate() lets the first copy of a failure through and remembers it", () => {
  const replayed = new Set<string>();
  assert.equal(skipDuplicate(REPLAY, "orders-eu/1/42/1", replayed), REPLAY);
  assert.deepEqual([...replayed], ["orders-eu/1/42/1"]);
});

Deno.test("skipDuplicate() skips a second copy of a failure as a duplicate", () => {
  const replayed = new Set(["orders-eu/1/42/1"]);
  assert.deepEqual(skipDuplicate(REPLAY, "orders-eu/1/42/1", replayed), {
    action: "skipped",
    reason: "duplicate",
    detail: "a copy of orders-eu/1/42 was replayed already",
  });
  assert.deepEqual([...replayed], ["orders-eu/1/42/1"]);
});

Deno.test("skipDuplicate() passes over records it cannot identify and decisions that send nothing", () => {
  const replayed = new Set(["orders-eu/1/42/1"]);
  assert.equal(skipDuplicate(REPLAY, undefined, replayed), REPLAY);
  const parked: ReplayDecision = { action: "parked", detail: "limit" };
  assert.equal(skipDuplicate(parked, "orders-eu/1/42/1", replayed), parked);
  assert.deepEqual([...replayed], ["orders-eu/1/42/1"]);
});

Deno.test("decisionLine() prints a replay, and a dry run's would-replay, as text", () => {
  assert.equal(
    decisionLine("text", REPLAY, SUBJECT, false),
    "Replayed k-1 (orders-dlq[2]@17, processing) -> orders-eu, replay 2",
  );
  assert.equal(
    decisionLine("text", REPLAY, SUBJECT, true),
    "Would replay k-1 (orders-dlq[2]@17, processing) -> orders-eu, replay 2",
  );
});

Deno.test("decisionLine() prints parked and skipped records with their reason as text", () => {
  assert.equal(
    decisionLine("text", { action: "parked", detail: "already replayed 3 times (limit 3)" }, {
      ...SUBJECT,
      key: "null",
    }, false),
    "Parked null (orders-dlq[2]@17, processing): already replayed 3 times (limit 3)",
  );
  assert.equal(
    decisionLine(
      "text",
      { action: "skipped", reason: "since", detail: "failure time unknown" },
      SUBJECT,
      true,
    ),
    "Skipped k-1 (orders-dlq[2]@17, processing): failure time unknown",
  );
});

Deno.test("decisionLine() prints one JSON object per decision", () => {
  assert.equal(
    decisionLine("json", REPLAY, SUBJECT, false),
    '{"event":"replayed","key":"k-1","partition":2,"offset":"17","errorType":"processing","topic":"orders-eu","replayCount":2}',
  );
  assert.equal(
    decisionLine("json", REPLAY, SUBJECT, true),
    '{"event":"would-replay","key":"k-1","partition":2,"offset":"17","errorType":"processing","topic":"orders-eu","replayCount":2}',
  );
  assert.equal(
    decisionLine(
      "json",
      { action: "skipped", reason: "error-type", detail: "not selected" },
      SUBJECT,
      false,
    ),
    '{"event":"skipped","key":"k-1","partition":2,"offset":"17","errorType":"processing","reason":"not selected"}',
  );
});

Deno.test("decisionLine() prints nothing when quiet", () => {
  assert.equal(decisionLine("quiet", REPLAY, SUBJECT, false), "");
  assert.equal(decisionLine("quiet", { action: "parked", detail: "x" }, SUBJECT, false), "");
});

Deno.test("planBatch() sends each replay to its target with its original headers and the next count", () => {
  const records = [
    record("10", {}, { trace: "t-10" }),
    record("11", { errorType: "validation" }),
    record("12", { topic: "orders-us" }, { "replay-count": "1" }),
  ];
  const plan = planBatch(records, context());
  assert.deepEqual([...plan.outgoing.keys()], ["orders-eu", "orders-us"]);
  assert.deepEqual(plan.outgoing.get("orders-eu"), [{
    key: Buffer.from("key-10"),
    value: Buffer.from([2, 0xff]),
    headers: { trace: Buffer.from("t-10"), "replay-count": Buffer.from("1") },
  }]);
  assert.deepEqual(plan.outgoing.get("orders-us"), [{
    key: Buffer.from("key-12"),
    value: Buffer.from([2, 0xff]),
    headers: { "replay-count": Buffer.from("2") },
  }]);
  assert.deepEqual(plan.decided.map((d) => d.line), [
    "Replayed key-10 (orders-dlq[2]@10, processing) -> orders-eu, replay 1",
    "Skipped key-11 (orders-dlq[2]@11, validation): error type validation is not selected (replaying processing, production)",
    "Replayed key-12 (orders-dlq[2]@12, processing) -> orders-us, replay 2",
  ]);
  assert.deepEqual(plan.decided.map((d) => d.errorType), [
    "processing",
    "validation",
    "processing",
  ]);
});

Deno.test("planBatch() sends nothing on a dry run but decides and shows every record", () => {
  const plan = planBatch(
    [record("10"), record("11")],
    context({ replay: replayConfig({ dryRun: true }) }),
  );
  assert.equal(plan.outgoing.size, 0);
  assert.deepEqual(plan.decided.map((d) => d.line), [
    "Would replay key-10 (orders-dlq[2]@10, processing) -> orders-eu, replay 1",
    "Would replay key-11 (orders-dlq[2]@11, processing) -> orders-eu, replay 1",
  ]);
});

Deno.test("planBatch() sends one copy of a failure dead-lettered twice, across batches too", () => {
  const replayed = new Set<string>();
  // Two DLQ records of the same original record: the context names offset 42 both times.
  const copy = (offset: string) => ({ ...record(offset), headers: record("42").headers });
  const first = planBatch([copy("10"), copy("11")], context({ replayed }));
  assert.equal(first.outgoing.get("orders-eu")?.length, 1);
  assert.deepEqual(first.decided.map((d) => d.decision.action), ["replay", "skipped"]);
  assert.equal(
    first.decided[1].line,
    "Skipped key-11 (orders-dlq[2]@11, processing): a copy of orders-eu/1/42 was replayed already",
  );
  const second = planBatch([copy("12")], context({ replayed }));
  assert.equal(second.outgoing.size, 0);
  assert.deepEqual(second.decided.map((d) => d.decision.action), ["skipped"]);
});

Deno.test("planBatch() shows a record without key or context headers as `null` and `unknown`", () => {
  const bare: FetchedRecord = { offset: "3", timestamp: "0", key: null, value: null };
  const plan = planBatch([bare], context({ replay: replayConfig({ errorTypes: ["unknown"] }) }));
  assert.deepEqual(plan.outgoing.get("orders"), [{
    key: null,
    value: null,
    headers: { "replay-count": Buffer.from("1") },
  }]);
  assert.deepEqual(plan.decided, [{
    decision: { action: "replay", topic: "orders", replayCount: 1 },
    errorType: "unknown",
    line: "Replayed null (orders-dlq[2]@3, unknown) -> orders, replay 1",
  }]);
});
