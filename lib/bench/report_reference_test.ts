import assert from "node:assert/strict";
import { flatCostTargets, referenceRows, referenceTargets } from "./report_reference.ts";
import type { ReferenceSize } from "./reference_step.ts";

const PROCESS = { wallMs: 2500, cpuMs: 2000, peakRssMb: 90.4 };
const REF_PROCESS = { wallMs: 2000, cpuMs: 1600, peakRssMb: 54.2 };

function size(orders: number): ReferenceSize {
  const produce = {
    ours: { ...PROCESS, ordersPerSec: 300_000 },
    reference: { ...REF_PROCESS, ordersPerSec: 120_000 },
  };
  const consume = {
    ours: { ...PROCESS, ordersPerSec: 400_000, ordersPerSecWithJoin: 100_000 },
    reference: { ...REF_PROCESS, ordersPerSec: 160_000, ordersPerSecWithJoin: 140_000 },
  };
  return {
    orders,
    produce: { ...produce, runs: { ours: [produce.ours], reference: [produce.reference] } },
    consume: { ...consume, runs: { ours: [consume.ours], reference: [consume.reference] } },
  };
}

Deno.test("`referenceRows()` sets ours beside Java and the reference, with both ratios", () => {
  const rows = referenceRows(size(200_000), {
    produce: { ordersPerSec: 150_000, wallMs: 3000, cpuMs: 4000, peakRssMb: 300 },
  });
  assert.deepEqual(rows, [
    [
      "process: producer, 200,000 orders: orders/s ⁵",
      "300,000",
      "150,000",
      "2.00×",
      "120,000",
      "2.50×",
    ],
    [
      "process: producer, 200,000 orders: wall / CPU (s) ⁵",
      "2.50 / 2.00",
      "3.00 / 4.00",
      "0.50×",
      "2.00 / 1.60",
      "1.25×",
    ],
    ["process: producer, 200,000 orders: peak RSS ⁵", "90 MB", "300 MB", "0.30×", "54 MB", "1.67×"],
    [
      "process: consumer, 200,000 orders: orders/s, without / with group join ⁶",
      "400,000 / 100,000",
      "–",
      "–",
      "160,000 / 140,000",
      "2.50×",
    ],
    [
      "process: consumer, 200,000 orders: wall / CPU (s) ⁶",
      "2.50 / 2.00",
      "–",
      "–",
      "2.00 / 1.60",
      "1.25×",
    ],
    ["process: consumer, 200,000 orders: peak RSS ⁶", "90 MB", "–", "–", "54 MB", "1.67×"],
  ]);
});

Deno.test("`referenceTargets()` checks the producer at every size and the consumer at 1M", () => {
  const checks = referenceTargets({ versions: "v", sizes: [size(200_000), size(1_000_000)] });
  assert.deepEqual(checks.map((c) => [c.target, c.value, c.met]), [
    ["producer ≥ 1.0× confluent-kafka + fastavro orders/s at 200,000 orders", "2.50×", true],
    ["producer peak RSS ≤ 100 MB at 200,000 orders", "90 MB", true],
    ["producer ≥ 1.0× confluent-kafka + fastavro orders/s at 1,000,000 orders", "2.50×", true],
    ["producer peak RSS ≤ 100 MB at 1,000,000 orders", "90 MB", true],
    ["consumer ≥ 1.5× confluent-kafka + fastavro orders/s at 1,000,000 orders", "2.50×", true],
    ["consumer peak RSS ≤ 100 MB at 1,000,000 orders", "90 MB", true],
  ]);
});

Deno.test("`flatCostTargets()` compares cost with the smallest run and memory with the one before", () => {
  assert.deepEqual(
    flatCostTargets("producer", [
      { orders: 10_000, usPerOrder: 3, peakRssMb: 80 },
      { orders: 100_000, usPerOrder: 9, peakRssMb: 500 },
      { orders: 1_000_000, usPerOrder: 4, peakRssMb: 101 },
    ]),
    [
      {
        target: "producer cost per order flat from 10,000 → 1,000,000 (≤ 1.5×)",
        value: "3.00 → 4.00 µs",
        met: true,
      },
      {
        target: "producer peak RSS flat from 100,000 → 1,000,000 (≤ 1.1×)",
        value: "80 → 500 → 101 MB",
        met: true,
      },
    ],
  );
  assert.deepEqual(flatCostTargets("consumer", [{ orders: 1, usPerOrder: 1 }]), []);
});

Deno.test("`flatCostTargets()` misses memory that grows by more than a tenth over the last tenfold", () => {
  const [, memory] = flatCostTargets("consumer", [
    { orders: 100_000, usPerOrder: 2, peakRssMb: 80 },
    { orders: 1_000_000, usPerOrder: 2, peakRssMb: 89 },
  ]);
  assert.deepEqual(memory, {
    target: "consumer peak RSS flat from 100,000 → 1,000,000 (≤ 1.1×)",
    value: "80 → 89 MB",
    met: false,
  });
});
