import assert from "node:assert/strict";
import { CHAOS_DEFAULTS } from "./options.ts";
import { eventLine, figureLines, headingLines, verdictLines } from "./report.ts";

Deno.test("headingLines() says what runs, on what, with which kills planned", () => {
  assert.deepEqual(
    headingLines(CHAOS_DEFAULTS, "127.0.0.1:39200,127.0.0.1:39201,127.0.0.1:39202", 3),
    [
      "CHAOS SOAK (seed 42): 100,000 orders at 500/s with 2% poison pills, on 3 brokers at " +
      "127.0.0.1:39200,127.0.0.1:39201,127.0.0.1:39202",
      "Topic: 6 partitions, replication factor 3, min.insync.replicas 2; 2 consumer instances in one " +
      "group (session timeout 6 s); producer --attempts 6",
      "Planned: 3 leader kills (down 4 s each), 1 rolling restart, 10 consumer kills",
    ],
  );
  const short = { ...CHAOS_DEFAULTS, leaderKills: 1, consumerKills: 1, rollingRestart: false };
  assert.equal(
    headingLines(short, "b", 3)[2],
    "Planned: 1 leader kill (down 4 s each), 1 consumer kill",
  );
});

Deno.test("eventLine() puts the time since production started first", () => {
  assert.equal(eventLine(7_449, "SIGKILL node 3"), "  +  7.4 s  SIGKILL node 3");
  assert.equal(eventLine(123_456, "x"), "  +123.5 s  x");
});

Deno.test("figureLines() prints each figure on a line of its own", () => {
  const figures = {
    targetRate: 500,
    heldRate: 499.52,
    slowestWindowRate: 312.4,
    longestPauseMs: 7_120,
    longestPauseEndedAt: 64_200,
    rebalances: 23,
    e2e: { count: 98_000, p50Ms: 45.2, p99Ms: 7_812.6, maxMs: 9_120 },
  };
  assert.deepEqual(
    figureLines(figures, { leaderKills: 3, nodesRestarted: 3, consumerKills: 10 }, 1_000, 1),
    [
      "  orders/s held:                  499.5 (target 500; slowest 5 s window 312.4)",
      "  longest pause in consumption:   7.1 s (ended at +63.2 s)",
      "  kills survived:                 3 leader SIGKILLs, 3 brokers restarted in a rolling restart, " +
      "10 consumer SIGKILLs",
      "  rebalances:                     23",
      "  end-to-end latency:             p50 45 ms, p99 7,813 ms, max 9,120 ms (create time to first " +
      "commit, 98,000 orders)",
      "  dead letters written twice:     1",
    ],
  );
});

Deno.test("verdictLines() says PASSED or FAILED, then every check", () => {
  const truth = { count: 0, average: 0, min: 0, max: 0, revenue: 0 };
  assert.deepEqual(
    verdictLines({
      passed: false,
      truth,
      duplicateDeadLetters: 0,
      checks: [{ name: "a", passed: true, detail: "fine" }, {
        name: "b",
        passed: false,
        detail: "1 lost",
      }],
    }),
    ["Verdict: FAILED", "  [ok] a: fine", "  [FAILED] b: 1 lost"],
  );
});
