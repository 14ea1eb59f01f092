import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { buildDlqHeaders, type DlqContext, type Headers, parseDlqHeaders } from "./headers.ts";
import {
  buildReplayHeaders,
  countDecision,
  decideReplay,
  DEFAULT_REPLAY_TYPES,
  emptyTally,
  formatReplaySummary,
  type ReplayDecision,
  replayIdentity,
} from "./replay_decision.ts";
import { dlqContext } from "./_test_utils.ts";

const CTX = dlqContext();

/** Record timestamp used when a record has no dlq-failed-at: 2024-05-01T00:00:00Z. */
const RECORD_TS = "1714521600000";

function parsed(ctx: Partial<DlqContext> = {}, original?: Headers) {
  return parseDlqHeaders(buildDlqHeaders(original, { ...CTX, ...ctx }));
}

Deno.test("decideReplay() replays a processing failure to its original topic as replay 1", () => {
  assert.deepEqual(decideReplay(parsed(), RECORD_TS), {
    action: "replay",
    topic: "orders-eu",
    replayCount: 1,
  });
});

Deno.test("decideReplay() replays processing and production failures by default, nothing else", () => {
  assert.deepEqual(DEFAULT_REPLAY_TYPES, ["processing", "production"]);
  assert.equal(decideReplay(parsed({ errorType: "production" }), RECORD_TS).action, "replay");
  for (const errorType of ["deserialization", "validation"] as const) {
    assert.deepEqual(decideReplay(parsed({ errorType }), RECORD_TS), {
      action: "skipped",
      reason: "error-type",
      detail: `error type ${errorType} is not selected (replaying processing, production)`,
    });
  }
  assert.deepEqual(decideReplay(parseDlqHeaders({}), RECORD_TS), {
    action: "skipped",
    reason: "error-type",
    detail: "error type unknown is not selected (replaying processing, production)",
  });
});

Deno.test("decideReplay() replays validation failures only when asked for by name", () => {
  const options = { errorTypes: ["validation"] };
  assert.equal(
    decideReplay(parsed({ errorType: "validation" }), RECORD_TS, options).action,
    "replay",
  );
  assert.equal(decideReplay(parsed(), RECORD_TS, options).action, "skipped");
  // `unknown` selects records another tool wrote without the header.
  assert.deepEqual(decideReplay(parseDlqHeaders({}), RECORD_TS, { errorTypes: ["unknown"] }), {
    action: "replay",
    topic: "orders",
    replayCount: 1,
  });
});

Deno.test("decideReplay() parks a record replayed max-replays times and replays one below", () => {
  const atLimit = parsed({}, { "replay-count": "3" });
  assert.deepEqual(decideReplay(atLimit, RECORD_TS), {
    action: "parked",
    detail: "already replayed 3 times (limit 3)",
  });
  assert.deepEqual(decideReplay(parsed({}, { "replay-count": "2" }), RECORD_TS), {
    action: "replay",
    topic: "orders-eu",
    replayCount: 3,
  });
  assert.equal(decideReplay(parsed({}, { "replay-count": "7" }), RECORD_TS).action, "parked");
  assert.equal(decideReplay(atLimit, RECORD_TS, { maxReplays: 4 }).action, "replay");
  assert.equal(decideReplay(parsed(), RECORD_TS, { maxReplays: 1 }).action, "replay");
  assert.equal(
    decideReplay(parsed({}, { "replay-count": "1" }), RECORD_TS, { maxReplays: 1 }).action,
    "parked",
  );
});

Deno.test("decideReplay() applies the filters before the replay limit", () => {
  const decision = decideReplay(
    parsed({ errorType: "validation" }, { "replay-count": "5" }),
    RECORD_TS,
  );
  assert.equal(decision.action, "skipped");
});

Deno.test("decideReplay() with since compares dlq-failed-at, inclusive", () => {
  const at = new Date("2024-05-01T12:00:00.000Z");
  assert.equal(decideReplay(parsed(), RECORD_TS, { since: at }).action, "replay");
  assert.deepEqual(
    decideReplay(parsed(), RECORD_TS, { since: new Date("2024-05-01T12:00:00.001Z") }),
    {
      action: "skipped",
      reason: "since",
      detail: "failed at 2024-05-01T12:00:00.000Z, before 2024-05-01T12:00:00.001Z",
    },
  );
});

Deno.test("decideReplay() with since falls back to the record timestamp", () => {
  const headers = parseDlqHeaders({ "dlq-error-type": "processing" });
  assert.equal(
    decideReplay(headers, RECORD_TS, { since: new Date("2024-05-01T00:00:00.000Z") }).action,
    "replay",
  );
  assert.deepEqual(decideReplay(headers, RECORD_TS, { since: new Date("2024-05-01T00:00:01Z") }), {
    action: "skipped",
    reason: "since",
    detail: "failed at 2024-05-01T00:00:00.000Z, before 2024-05-01T00:00:01.000Z",
  });
  assert.deepEqual(decideReplay(headers, "-1", { since: new Date(0) }), {
    action: "skipped",
    reason: "since",
    detail: "failure time unknown",
  });
});

Deno.test("decideReplay() sends records that do not name their topic to the target topic", () => {
  const headers = parseDlqHeaders({ "dlq-error-type": "production" });
  assert.deepEqual(decideReplay(headers, RECORD_TS), {
    action: "replay",
    topic: "orders",
    replayCount: 1,
  });
  assert.deepEqual(decideReplay(headers, RECORD_TS, { targetTopic: "orders-retry" }), {
    action: "replay",
    topic: "orders-retry",
    replayCount: 1,
  });
});

Deno.test("buildReplayHeaders() keeps the original headers, drops the context, sets replay-count", () => {
  const headers = parsed({}, { "trace-id": "abc-123", "replay-count": "1" });
  const out = buildReplayHeaders(headers, 2);
  assert.deepEqual(Object.keys(out).sort(), ["replay-count", "trace-id"]);
  assert.deepEqual(out["trace-id"], Buffer.from("abc-123"));
  assert.deepEqual(out["replay-count"], Buffer.from("2"));
  assert.deepEqual(buildReplayHeaders(parseDlqHeaders(undefined), 1), {
    "replay-count": Buffer.from("1"),
  });
});

Deno.test("countDecision() tallies each outcome, dry-run replays as would-replay", () => {
  const tally = emptyTally();
  const replay: ReplayDecision = { action: "replay", topic: "orders", replayCount: 1 };
  countDecision(tally, replay, "processing");
  countDecision(tally, { ...replay, topic: "orders-eu" }, "production");
  countDecision(tally, replay, "processing", true);
  countDecision(tally, { action: "parked", detail: "" }, "processing");
  countDecision(tally, { action: "skipped", reason: "error-type", detail: "" }, "validation");
  countDecision(tally, { action: "skipped", reason: "error-type", detail: "" }, "validation");
  countDecision(tally, { action: "skipped", reason: "since", detail: "" }, "processing");
  assert.deepEqual(tally, {
    examined: 7,
    replayed: 2,
    wouldReplay: 1,
    parked: 1,
    skipped: 3,
    skippedByType: { validation: 2 },
    skippedBySince: 1,
    skippedDuplicates: 0,
    byTarget: { orders: 2, "orders-eu": 1 },
  });
});

Deno.test("formatReplaySummary() prints the counts, and says when nothing was sent", () => {
  const tally = {
    ...emptyTally(),
    examined: 80,
    replayed: 20,
    parked: 2,
    skipped: 58,
    skippedByType: { validation: 33, deserialization: 20 },
    skippedBySince: 5,
    byTarget: { orders: 20 },
  };
  const context = {
    topic: "orders-dlq",
    group: "orders-dlq-replayer",
    dryRun: false,
    maxReplays: 3,
  };
  assert.deepEqual(formatReplaySummary(tally, context), [
    "=".repeat(70),
    "REPLAY SUMMARY: orders-dlq, group orders-dlq-replayer",
    "=".repeat(70),
    "Records examined: 80",
    "Replayed: 20 (orders: 20)",
    "Parked (replay limit of 3 reached): 2",
    "Skipped by filter: 58 (before --since: 5, error type deserialization: 20, error type validation: 33)",
    "=".repeat(70),
  ]);
  const dry = { ...emptyTally(), examined: 1, wouldReplay: 1, byTarget: { orders: 1 } };
  assert.deepEqual(formatReplaySummary(dry, { ...context, dryRun: true }), [
    "=".repeat(70),
    "REPLAY SUMMARY (DRY RUN): orders-dlq, group orders-dlq-replayer",
    "=".repeat(70),
    "Records examined: 1",
    "Would replay: 1 (orders: 1)",
    "Parked (replay limit of 3 reached): 0",
    "Skipped by filter: 0",
    "Dry run: nothing was sent and no offset was committed",
    "=".repeat(70),
  ]);
});

Deno.test("replayIdentity() names the original record and its replay generation", () => {
  assert.equal(
    replayIdentity({ topic: "orders", partition: 2, offset: "41", replayCount: 1 }),
    "orders/2/41/1",
  );
  assert.equal(
    replayIdentity({ topic: "orders", partition: 2, offset: "-1", replayCount: 0 }),
    undefined,
  );
  assert.equal(replayIdentity({ replayCount: 0 }), undefined);
});

Deno.test("countDecision() counts skipped duplicates apart from the filters", () => {
  const tally = emptyTally();
  countDecision(tally, { action: "skipped", reason: "duplicate", detail: "copy" }, "processing");
  assert.equal(tally.skipped, 1);
  assert.equal(tally.skippedDuplicates, 1);
  assert.deepEqual(tally.skippedByType, {});
});
