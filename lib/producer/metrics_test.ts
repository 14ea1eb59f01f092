import assert from "node:assert/strict";
import { newRegistry } from "../metrics/registry.ts";
import { generateRecords } from "../order/generator.ts";
import { registerProducerMetrics } from "./metrics.ts";
import type { SendCounts } from "./send.ts";

function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

Deno.test("registerProducerMetrics() reads the sender's counts when scraped", async () => {
  const registry = newRegistry();
  const hooks = registerProducerMetrics(registry, { topic: "orders" });
  const counts: SendCounts = { produced: 0, failedAttempts: 0, sentToDlq: 0, unsent: 0 };
  hooks.started(counts);
  Object.assign(counts, { produced: 98, failedAttempts: 4, sentToDlq: 2, unsent: 1 });
  const text = await registry.metrics();
  assert.equal(sample(text, 'order_producer_orders_sent_total{topic="orders"}'), 98);
  assert.equal(sample(text, 'order_producer_send_failures_total{topic="orders"}'), 4);
  assert.equal(sample(text, 'order_producer_orders_dead_lettered_total{topic="orders"}'), 2);
  assert.equal(sample(text, 'order_producer_orders_unsent_total{topic="orders"}'), 1);
});

Deno.test("registerProducerMetrics() records each acknowledgement's latency in seconds", async () => {
  const registry = newRegistry();
  const hooks = registerProducerMetrics(registry, { topic: "orders" });
  const [record] = generateRecords(1, { seed: 1 });
  hooks.delivered({ record, topic: "orders", partition: 0, offset: "0", latencyMs: 3 });
  const text = await registry.metrics();
  assert.equal(
    sample(text, 'order_producer_ack_latency_seconds_bucket{topic="orders",le="0.0025"}'),
    0,
  );
  assert.equal(
    sample(text, 'order_producer_ack_latency_seconds_bucket{topic="orders",le="0.005"}'),
    1,
  );
  assert.equal(sample(text, 'order_producer_ack_latency_seconds_sum{topic="orders"}'), 0.003);
});

Deno.test("registerProducerMetrics() shows zeros before the run starts", async () => {
  const registry = newRegistry();
  registerProducerMetrics(registry, { topic: "orders" });
  assert.equal(
    sample(await registry.metrics(), 'order_producer_orders_sent_total{topic="orders"}'),
    0,
  );
});
