import assert from "node:assert/strict";
import { newRegistry } from "../metrics/registry.ts";
import { addCents, emptyAggregate } from "../order/aggregate.ts";
import type { CommittedView } from "./assignment.ts";
import { registerConsumerMetrics } from "./metrics.ts";
import { emptyConsumerMetrics } from "./report.ts";
import { encodeState } from "./state_codec.ts";

function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const L = 'topic="orders",group="g"';

function view(): CommittedView {
  const agg = emptyAggregate();
  addCents(agg, 2999);
  addCents(agg, 79999);
  return {
    committed: new Map([[0, { offset: "2", metadata: encodeState({ next: "2", agg }) }]]),
    logs: [{ partition: 0, low: "0", high: "5" }, { partition: 1, low: "0", high: "3" }],
  };
}

Deno.test("registerConsumerMetrics() reads the run's counters when scraped", async () => {
  const registry = newRegistry();
  const hooks = registerConsumerMetrics(registry, { topic: "orders", group: "g" });
  const metrics = emptyConsumerMetrics();
  hooks.started({
    metrics,
    group: { assigned: [0, 1], generation: 1 },
    readOffsets: () => Promise.resolve(view()),
  });
  Object.assign(metrics, { consumed: 10, processed: 7, retries: 4, joins: 2, commits: 3 });
  metrics.deadLetteredByType.validation = 2;
  metrics.deadLetteredByType.deserialization = 1;
  const text = await registry.metrics();
  assert.equal(sample(text, `order_consumer_records_received_total{${L}}`), 10);
  assert.equal(sample(text, `order_consumer_records_processed_total{${L}}`), 7);
  assert.equal(sample(text, `order_consumer_retries_total{${L}}`), 4);
  assert.equal(sample(text, `order_consumer_rebalances_total{${L}}`), 2);
  assert.equal(sample(text, `order_consumer_commits_total{${L}}`), 3);
  assert.equal(sample(text, `order_consumer_commit_failures_total{${L}}`), 0);
  assert.equal(
    sample(text, `order_consumer_records_dead_lettered_total{${L},error_type="validation"}`),
    2,
  );
  assert.equal(
    sample(text, `order_consumer_records_dead_lettered_total{${L},error_type="deserialization"}`),
    1,
  );
  assert.equal(sample(text, `order_consumer_assigned_partitions{${L}}`), 2);
});

Deno.test("registerConsumerMetrics() shows lag and the committed aggregate per partition and in all", async () => {
  const registry = newRegistry();
  const hooks = registerConsumerMetrics(registry, { topic: "orders", group: "g" });
  hooks.started({
    metrics: emptyConsumerMetrics(),
    group: { assigned: [0, 1], generation: 1 },
    readOffsets: () => Promise.resolve(view()),
  });
  const text = await registry.metrics();
  assert.equal(sample(text, `kafka_consumergroup_group_lag{${L},partition="0"}`), 3);
  assert.equal(sample(text, `kafka_consumergroup_group_lag{${L},partition="1"}`), 3);
  assert.equal(sample(text, `kafka_consumergroup_group_sum_lag{${L}}`), 6);
  assert.equal(sample(text, `kafka_consumergroup_group_offset{${L},partition="0"}`), 2);
  assert.equal(sample(text, `kafka_consumergroup_group_offset{${L},partition="1"}`), undefined);
  assert.equal(sample(text, `kafka_partition_latest_offset{topic="orders",partition="0"}`), 5);
  assert.equal(sample(text, `order_aggregate_orders{${L}}`), 2);
  assert.equal(sample(text, `order_aggregate_revenue_dollars{${L}}`), 829.98);
  assert.equal(sample(text, `order_aggregate_min_price_dollars{${L}}`), 29.99);
  assert.equal(sample(text, `order_aggregate_max_price_dollars{${L}}`), 799.99);
  assert.equal(sample(text, `order_aggregate_average_price_dollars{${L}}`), 414.99);
  assert.equal(sample(text, `order_aggregate_partition_orders{${L},partition="0"}`), 2);
  assert.equal(sample(text, `order_aggregate_partition_orders{${L},partition="1"}`), undefined);
});

Deno.test("registerConsumerMetrics() leaves lag and aggregate out and counts it when the offsets cannot be read", async () => {
  const registry = newRegistry();
  const hooks = registerConsumerMetrics(registry, { topic: "orders", group: "g" });
  hooks.started({
    metrics: emptyConsumerMetrics(),
    group: { assigned: [], generation: 1 },
    readOffsets: () => Promise.reject(new Error("broker gone")),
  });
  const first = await registry.metrics();
  assert.equal(sample(first, `kafka_consumergroup_group_sum_lag{${L}}`), undefined);
  assert.equal(sample(first, `order_aggregate_orders{${L}}`), undefined);
  const second = await registry.metrics();
  assert.equal(sample(second, `order_consumer_offset_read_failures_total{${L}}`), 1);
});

Deno.test("registerConsumerMetrics() records processing time and latency in seconds", async () => {
  const registry = newRegistry();
  const hooks = registerConsumerMetrics(registry, { topic: "orders", group: "g" });
  hooks.timed(0.2, 1);
  hooks.timed(2000, 1);
  hooks.aggregated(12);
  const text = await registry.metrics();
  assert.equal(
    sample(text, `order_consumer_processing_duration_seconds_bucket{${L},le="0.00025"}`),
    1,
  );
  assert.equal(sample(text, `order_consumer_processing_duration_seconds_bucket{${L},le="2.5"}`), 2);
  assert.equal(sample(text, `order_consumer_processing_duration_seconds_count{${L}}`), 2);
  assert.equal(sample(text, `order_consumer_end_to_end_latency_seconds_bucket{${L},le="0.01"}`), 0);
  assert.equal(
    sample(text, `order_consumer_end_to_end_latency_seconds_bucket{${L},le="0.025"}`),
    1,
  );
  assert.equal(sample(text, `order_consumer_end_to_end_latency_seconds_sum{${L}}`), 0.012);
});
