import assert from "node:assert/strict";
import { parseProducerSummary } from "./ours_process.ts";

Deno.test("`parseProducerSummary()` reads the delivered count and orders/s of producer.ts", () => {
  const stdout = [
    "============================================================",
    "PRODUCER METRICS",
    "Messages produced: 200000",
    "Messages failed: 0",
    "Throughput: 251234.5 orders/s (200000 in 0.80 s)",
    "Latency p50/p95/p99/max: 1.0 / 2.0 / 3.0 / 4.0 ms",
  ].join("\n");
  assert.deepEqual(parseProducerSummary(stdout), { produced: 200_000, ordersPerSec: 251_234.5 });
});

Deno.test("`parseProducerSummary()` fails with the output when there is no summary", () => {
  assert.throws(() => parseProducerSummary("error: cannot reach Kafka"), {
    name: "FatalError",
    message: "producer.ts printed no summary:\nerror: cannot reach Kafka",
  });
});
