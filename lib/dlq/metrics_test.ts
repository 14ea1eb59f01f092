import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { newRegistry } from "../metrics/registry.ts";
import { dlqProgram, registerDlqMetrics } from "./metrics.ts";
import { replayConfig } from "./options.ts";
import type { ReplayDecision } from "./replay_decision.ts";
import { inspectDlqRecord } from "./summary.ts";

function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const L = 'topic="orders-dlq",group="r"';
const RECORD = { offset: "0", timestamp: "0", key: Buffer.from("k"), value: null };

Deno.test("registerDlqMetrics() counts the replayer's decisions as its tally does", async () => {
  const registry = newRegistry();
  const config = { topic: "orders-dlq", group: "r", replay: replayConfig() };
  const hooks = registerDlqMetrics(registry, config);
  const decisions: ReplayDecision[] = [
    { action: "replay", topic: "orders", replayCount: 1 },
    { action: "replay", topic: "orders", replayCount: 1 },
    { action: "parked", detail: "limit" },
    { action: "skipped", reason: "duplicate", detail: "copy" },
    { action: "skipped", reason: "error-type", detail: "type" },
  ];
  for (const decision of decisions) {
    hooks.decided!({
      partition: 0,
      record: RECORD,
      decision,
      errorType: "processing",
      dryRun: false,
    });
  }
  const text = await registry.metrics();
  assert.equal(sample(text, `order_dlq_replay_records_examined_total{${L}}`), 5);
  assert.equal(sample(text, `order_dlq_replay_records_replayed_total{${L}}`), 2);
  assert.equal(sample(text, `order_dlq_replay_records_would_replay_total{${L}}`), 0);
  assert.equal(sample(text, `order_dlq_replay_records_parked_total{${L}}`), 1);
  assert.equal(sample(text, `order_dlq_replay_records_skipped_total{${L},reason="duplicate"}`), 1);
  assert.equal(sample(text, `order_dlq_replay_records_skipped_total{${L},reason="error-type"}`), 1);
  assert.equal(sample(text, `order_dlq_replay_records_skipped_total{${L},reason="since"}`), 0);
  assert.equal(dlqProgram(config), "dlq-replayer");
});

Deno.test("registerDlqMetrics() counts a dry run's replays as would-replay", async () => {
  const registry = newRegistry();
  const hooks = registerDlqMetrics(registry, {
    topic: "orders-dlq",
    group: "r",
    replay: replayConfig({ dryRun: true }),
  });
  hooks.decided!({
    partition: 0,
    record: RECORD,
    decision: { action: "replay", topic: "orders", replayCount: 1 },
    errorType: "processing",
    dryRun: true,
  });
  const text = await registry.metrics();
  assert.equal(sample(text, `order_dlq_replay_records_would_replay_total{${L}}`), 1);
  assert.equal(sample(text, `order_dlq_replay_records_replayed_total{${L}}`), 0);
});

Deno.test("registerDlqMetrics() counts the dead letters a watch shows by error type", async () => {
  const registry = newRegistry();
  const config = { topic: "orders-dlq", group: "m", replay: undefined };
  const hooks = registerDlqMetrics(registry, config);
  const view = inspectDlqRecord({
    partition: 0,
    offset: "0",
    timestamp: "0",
    key: null,
    value: null,
    headers: { "dlq-error-type": "validation" },
  });
  hooks.seen!(view);
  hooks.seen!(view);
  const text = await registry.metrics();
  assert.equal(
    sample(
      text,
      'order_dlq_monitor_records_total{topic="orders-dlq",group="m",error_type="validation"}',
    ),
    2,
  );
  assert.equal(dlqProgram(config), "dlq-monitor");
});
