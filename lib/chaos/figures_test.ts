import assert from "node:assert/strict";
import { chaosFigures, type Commit } from "./figures.ts";
import type { TopicRecord } from "./verdict.ts";

/** One order every 10 ms on partition 0, created from t = 0; none between 20 s and 27 s. */
function topic(): TopicRecord[] {
  const records: TopicRecord[] = [];
  for (let t = 0; t < 40_000; t += 10) {
    if (t >= 20_000 && t < 27_000) continue;
    records.push({ key: `k${t}`, partition: 0, offset: String(records.length), timestamp: t });
  }
  return records;
}

Deno.test("chaosFigures() measures the rate held and the slowest full 5 s window", () => {
  const figures = chaosFigures({ rate: 100, topic: topic(), commits: [], joins: [] });
  assert.equal(figures.targetRate, 100);
  // 3,300 orders over 39.99 s.
  assert.equal(figures.heldRate.toFixed(2), ((3299 / 39_990) * 1000).toFixed(2));
  // The window 25-30 s holds 300 orders: 60/s; 20-25 s holds none.
  assert.equal(figures.slowestWindowRate, 0);
});

Deno.test("chaosFigures() finds the longest pause between commits and when it ended", () => {
  const commits: Commit[] = [100, 400, 5_400, 5_500, 9_000].map((at, i) => ({
    partition: 0,
    offset: String(i),
    at,
  }));
  const figures = chaosFigures({ rate: 1, topic: [], commits, joins: [] });
  assert.deepEqual([figures.longestPauseMs, figures.longestPauseEndedAt], [5_000, 5_400]);
});

Deno.test("chaosFigures() takes latency to an order's first commit and counts rejoins", () => {
  const records: TopicRecord[] = [0, 1, 2, 3].map((i) => ({
    key: `k${i}`,
    partition: 1,
    offset: String(i),
    timestamp: 1000 * i,
  }));
  const commits: Commit[] = [
    { partition: 1, offset: "0", at: 10 },
    { partition: 1, offset: "1", at: 1_020 },
    { partition: 1, offset: "2", at: 2_500 },
    // Redone after a kill: the first commit counts.
    { partition: 1, offset: "1", at: 4_000 },
    { partition: 1, offset: "3", at: 3_040 },
  ];
  const figures = chaosFigures({ rate: 1, topic: records, commits, joins: [1, 3, 2] });
  assert.deepEqual(figures.e2e, { count: 4, p50Ms: 20, p99Ms: 500, maxMs: 500 });
  assert.equal(figures.rebalances, 3);
});

Deno.test("chaosFigures() gives zeros for an empty run", () => {
  assert.deepEqual(chaosFigures({ rate: 5, topic: [], commits: [], joins: [] }), {
    targetRate: 5,
    heldRate: 0,
    slowestWindowRate: 0,
    longestPauseMs: 0,
    longestPauseEndedAt: 0,
    rebalances: 0,
    e2e: { count: 0, p50Ms: 0, p99Ms: 0, maxMs: 0 },
  });
});
