import assert from "node:assert/strict";
import { replayConfig } from "./options.ts";
import {
  monitorStartLine,
  monitorSummaryLines,
  replayStartLine,
  replaySummaryLines,
} from "./report.ts";
import { emptyTally, formatReplaySummary } from "./replay_decision.ts";
import { DlqSummaryBuilder, formatDlqSummary } from "./summary.ts";

const CONFIG = { topic: "orders-dlq", group: "g-1", fromBeginning: false };

Deno.test("monitorStartLine() says where the monitor starts and its group", () => {
  assert.equal(
    monitorStartLine(CONFIG),
    "DLQ Consumer started, monitoring dead letter queue orders-dlq for new records (group g-1)...",
  );
  assert.equal(
    monitorStartLine({ ...CONFIG, fromBeginning: true }),
    "DLQ Consumer started, monitoring dead letter queue orders-dlq from the oldest record (group g-1)...",
  );
});

Deno.test("replayStartLine() names the types replayed, and a dry run", () => {
  assert.equal(
    replayStartLine(CONFIG, replayConfig()),
    "DLQ replay started on orders-dlq (group g-1): replaying processing, production...",
  );
  assert.equal(
    replayStartLine(CONFIG, replayConfig({ dryRun: true, errorTypes: ["unknown"] })),
    "DLQ replay started on orders-dlq (group g-1), dry run: replaying unknown...",
  );
});

Deno.test("monitorSummaryLines() gives the summary block as text and when quiet", () => {
  const summary = new DlqSummaryBuilder().summary();
  for (const output of ["text", "quiet"] as const) {
    assert.deepEqual(monitorSummaryLines({ output }, summary), formatDlqSummary(summary));
  }
});

Deno.test("monitorSummaryLines() gives one JSON summary object in JSON mode", () => {
  const summary = new DlqSummaryBuilder().summary();
  const lines = monitorSummaryLines({ output: "json" }, summary);
  assert.equal(lines.length, 1);
  assert.deepEqual(JSON.parse(lines[0]), {
    event: "summary",
    total: 0,
    byType: {},
    byMessage: [],
    otherMessages: { distinct: 0, count: 0 },
    totalValueCents: 0,
    totalValue: 0,
    valuedRecords: 0,
    leftOut: { notOrders: 0, impossiblePrices: 0 },
    oldestFailure: null,
    newestFailure: null,
    byPartition: {},
  });
});

Deno.test("replaySummaryLines() gives the REPLAY SUMMARY block as text and when quiet", () => {
  const tally = { ...emptyTally(), examined: 2, replayed: 2, byTarget: { orders: 2 } };
  const replay = replayConfig({ maxReplays: 5 });
  const expected = formatReplaySummary(tally, {
    topic: "orders-dlq",
    group: "g-1",
    dryRun: false,
    maxReplays: 5,
  });
  for (const output of ["text", "quiet"] as const) {
    assert.deepEqual(replaySummaryLines({ ...CONFIG, output }, replay, tally), expected);
  }
  assert.ok(expected.includes("Parked (replay limit of 5 reached): 0"), expected.join("\n"));
});

Deno.test("replaySummaryLines() gives one JSON summary with the mode and the tally", () => {
  const tally = { ...emptyTally(), examined: 1, wouldReplay: 1, byTarget: { orders: 1 } };
  const lines = replaySummaryLines(
    { ...CONFIG, output: "json" },
    replayConfig({ dryRun: true }),
    tally,
  );
  assert.deepEqual(lines.map((l) => JSON.parse(l)), [{
    event: "summary",
    mode: "replay",
    dryRun: true,
    examined: 1,
    replayed: 0,
    wouldReplay: 1,
    parked: 0,
    skipped: 0,
    skippedByType: {},
    skippedBySince: 0,
    skippedDuplicates: 0,
    byTarget: { orders: 1 },
  }]);
});
