import assert from "node:assert/strict";
import { formatDelay, formatMs, LatencyRecorder } from "./latency.ts";

function recorderOf(samples: number[]): LatencyRecorder {
  const r = new LatencyRecorder();
  for (const ms of samples) r.record(ms);
  return r;
}

Deno.test("LatencyRecorder reports zeros when empty", () => {
  const r = new LatencyRecorder();
  assert.equal(r.count, 0);
  assert.deepEqual(r.percentiles([50, 95, 99]), [0, 0, 0]);
  assert.equal(r.mean(), 0);
});

Deno.test("LatencyRecorder.percentiles() uses the nearest rank", () => {
  // Recorded out of order; 10 samples: p50 is the 5th, p95 and p99 the 10th.
  const r = recorderOf([15, 20, 35, 40, 50, 5, 10, 25, 30, 45]);
  assert.deepEqual(r.percentiles([0, 10, 11, 50, 90, 95, 99, 100]), [5, 5, 10, 25, 45, 50, 50, 50]);
  assert.deepEqual(recorderOf([1, 2, 3, 4]).percentiles([50, 100]), [2, 4]);
  assert.deepEqual(recorderOf([7]).percentiles([0, 50, 100]), [7, 7, 7]);
});

Deno.test("LatencyRecorder.percentiles() sorts numerically, not as text", () => {
  assert.deepEqual(recorderOf([100, 9, 20, 3]).percentiles([25, 50, 75, 100]), [3, 9, 20, 100]);
});

Deno.test("LatencyRecorder keeps every sample beyond the first 1024", () => {
  const r = new LatencyRecorder();
  for (let i = 3000; i >= 1; i--) r.record(i);
  assert.equal(r.count, 3000);
  assert.deepEqual(r.percentiles([0, 50, 99, 100]), [1, 1500, 2970, 3000]);
  assert.equal(r.mean(), 1500.5);
});

Deno.test("LatencyRecorder.mean() averages the samples", () => {
  assert.equal(recorderOf([1, 2, 3, 4]).mean(), 2.5);
  assert.equal(recorderOf([0.5, 1.5]).mean(), 1);
});

Deno.test("formatMs() prints one decimal and the unit", () => {
  assert.equal(formatMs(12.345), "12.3 ms");
  assert.equal(formatMs(0), "0.0 ms");
  assert.equal(formatMs(1500), "1500.0 ms");
});

Deno.test("formatDelay() prints seconds from 1 s up and milliseconds below", () => {
  assert.equal(formatDelay(1000), "1.0s");
  assert.equal(formatDelay(4000), "4.0s");
  assert.equal(formatDelay(20), "20ms");
  assert.equal(formatDelay(999.6), "1000ms");
});

Deno.test("LatencyRecorder keeps a bounded sample beyond its capacity, with exact count, mean and max", () => {
  const r = new LatencyRecorder({ capacity: 1000, seed: 3 });
  // 0.01 .. 1000 ms, uniform: the percentiles of a uniform sample of 1,000 land near the true ones.
  for (let i = 1; i <= 100_000; i++) r.record(((i * 7919) % 100_000 + 1) / 100);
  assert.equal(r.count, 100_000);
  assert.equal(r.mean(), 500.005);
  const [p50, p99, max] = r.percentiles([50, 99, 100]);
  assert.ok(Math.abs(p50 - 500) < 50, `p50 ${p50}`);
  assert.ok(Math.abs(p99 - 990) < 10, `p99 ${p99}`);
  assert.equal(max, 1000);
});

Deno.test("LatencyRecorder picks the same sample for the same seed", () => {
  const run = () => {
    const r = new LatencyRecorder({ capacity: 10, seed: 9 });
    for (let i = 0; i < 1000; i++) r.record(i);
    return r.percentiles([10, 50, 90]);
  };
  assert.deepEqual(run(), run());
});
