import assert from "node:assert/strict";
import { LatencySketch, Series, WINDOW_SECONDS } from "./series.ts";

Deno.test("LatencySketch.quantile() is the bucket bound holding the rank, never above the max", () => {
  const s = new LatencySketch();
  assert.equal(s.quantile(50), undefined);
  for (const ms of [10, 10, 10, 50]) s.add(ms);
  assert.equal(s.quantile(50), 10);
  assert.equal(s.quantile(99), 50);
  assert.equal(s.max, 50);
  assert.equal(s.count, 4);
});

Deno.test("LatencySketch keeps percentiles within 12% of the true value", () => {
  const s = new LatencySketch();
  for (let ms = 1; ms <= 1000; ms++) s.add(ms);
  const p50 = s.quantile(50)!;
  const p99 = s.quantile(99)!;
  assert.ok(p50 >= 500 && p50 <= 500 * 1.125, `p50 ${p50}`);
  assert.ok(p99 >= 990 && p99 <= 1000, `p99 ${p99}`);
});

Deno.test("Series.polled() charts the records in and out per second since the last poll", () => {
  const series = new Series();
  series.polled(10_000, 100, 90);
  series.polled(12_000, 500, 290);
  const chart = series.chart(12_500);
  assert.equal(chart.t.length, WINDOW_SECONDS);
  assert.equal(chart.t.at(-1), 12);
  assert.equal(chart.in.at(-1), 200);
  assert.equal(chart.out.at(-1), 100);
  assert.equal(chart.in.at(-3), null);
  assert.equal(series.inPerSecond, 200);
});

Deno.test("Series.polled() starts over when the offsets go back", () => {
  const series = new Series();
  series.polled(1000, 100, 100);
  series.polled(2000, 10, 10);
  series.polled(3000, 30, 20);
  const chart = series.chart(3000);
  assert.deepEqual([chart.in.at(-2), chart.in.at(-1), chart.out.at(-1)], [null, 20, 10]);
});

Deno.test("Series.latency() charts p50, p99 and max by the second of the commit", () => {
  const series = new Series();
  for (const ms of [10, 10, 10, 50]) series.latency(ms, 7_900);
  const chart = series.chart(8_100);
  assert.deepEqual([chart.p50.at(-2), chart.p99.at(-2), chart.max.at(-2)], [10, 50, 50]);
  assert.equal(chart.p50.at(-1), null);
});

Deno.test("Series.chart() forgets seconds older than the window", () => {
  const series = new Series();
  series.latency(5, 1000);
  series.chart(1000 + WINDOW_SECONDS * 1000);
  assert.ok(series.chart(1000 + WINDOW_SECONDS * 1000).p50.every((v) => v === null));
});
