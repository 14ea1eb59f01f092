import assert from "node:assert/strict";
import { Buckets, FastHistogram } from "./histogram.ts";
import { newRegistry } from "./registry.ts";

Deno.test("Buckets.observe() counts a value in the first bucket whose bound is at least the value", () => {
  const b = new Buckets([0.1, 1]);
  for (const v of [0.05, 0.1, 0.5, 1, 7]) b.observe(v);
  assert.deepEqual([...b.counts], [2, 2, 1]);
  assert.deepEqual(b.cumulative(), [2, 4, 5]);
  assert.equal(b.count, 5);
  assert.equal(b.sum, 8.65);
});

Deno.test("Buckets.reset() forgets every value", () => {
  const b = new Buckets([1]);
  b.observe(3);
  b.reset();
  assert.deepEqual(b.cumulative(), [0, 0]);
  assert.deepEqual([b.sum, b.count], [0, 0]);
});

Deno.test("new Buckets() throws a RangeError when the bounds do not ascend", () => {
  assert.throws(() => new Buckets([1, 1]), {
    name: "RangeError",
    message: "bucket bounds must ascend: 1, 1",
  });
});

Deno.test("FastHistogram prints cumulative buckets, sum and count with its labels", async () => {
  const registry = newRegistry();
  const h = new FastHistogram({
    name: "lat_seconds",
    help: "Latency.",
    labels: { topic: "orders" },
    bounds: [0.01, 0.1],
    registry,
  });
  h.record(0.005);
  h.record(0.05);
  h.record(0.25);
  assert.equal(
    await registry.metrics(),
    [
      "# HELP lat_seconds Latency.",
      "# TYPE lat_seconds histogram",
      'lat_seconds_bucket{topic="orders",le="0.01"} 1',
      'lat_seconds_bucket{topic="orders",le="0.1"} 2',
      'lat_seconds_bucket{topic="orders",le="+Inf"} 3',
      'lat_seconds_sum{topic="orders"} 0.305',
      'lat_seconds_count{topic="orders"} 3',
      "",
    ].join("\n"),
  );
});

Deno.test("Buckets.observe() counts a value several times at once", () => {
  const b = new Buckets([1]);
  b.observe(0.5, 4);
  assert.deepEqual(b.cumulative(), [4, 4]);
  assert.deepEqual([b.sum, b.count], [2, 4]);
});
