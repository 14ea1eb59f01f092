import assert from "node:assert/strict";
import {
  INSTANCE_COUNTS,
  INSTANCES_PARTITIONS,
  instancesFigures,
  instancesRows,
} from "./instances.ts";

Deno.test("instancesFigures() takes the medians and the rate after the group settled", () => {
  assert.deepEqual(
    instancesFigures(3, 200_000, [
      { totalMs: 9_000, settledMs: 3_000, committedWhenSettled: 20_000 },
      { totalMs: 8_000, settledMs: 2_000, committedWhenSettled: 50_000 },
      { totalMs: 10_000, settledMs: 4_000, committedWhenSettled: 80_000 },
    ]),
    // (200k - 20k) / 6 s, (200k - 50k) / 6 s, (200k - 80k) / 6 s: median 25,000/s.
    { instances: 3, orders: 200_000, totalMs: 9_000, settledOrdersPerSec: 25_000 },
  );
});

Deno.test("instancesFigures() gives 0/s when every order was committed before the group settled", () => {
  const figures = instancesFigures(1, 100, [{
    totalMs: 500,
    settledMs: 500,
    committedWhenSettled: 100,
  }]);
  assert.equal(figures.settledOrdersPerSec, 0);
});

Deno.test("instancesRows() gives one table row per instance count", () => {
  assert.deepEqual(
    instancesRows([
      { instances: 1, orders: 200_000, totalMs: 6_540, settledOrdersPerSec: 41_234.4 },
      { instances: 3, orders: 200_000, totalMs: 5_010, settledOrdersPerSec: 52_000 },
    ]),
    [
      [
        "consume 200,000 orders, 1 instance, 6 partitions ⁵",
        "41,234/s settled, 6.5 s in all",
        "–",
        "",
      ],
      [
        "consume 200,000 orders, 3 instances, 6 partitions ⁵",
        "52,000/s settled, 5.0 s in all",
        "–",
        "",
      ],
    ],
  );
  assert.deepEqual([INSTANCE_COUNTS, INSTANCES_PARTITIONS], [[1, 2, 3], 6]);
});
