import assert from "node:assert/strict";
import { generateRecords } from "../order/generator.ts";
import { formatOrder, printEvents, progressLine, summaryLines, wantsProgress } from "./output.ts";
import type { ProducerSummary } from "./run.ts";

Deno.test("formatOrder() prints orders the way the reference does", () => {
  const [valid] = generateRecords(1, { seed: 7 });
  assert.equal(
    formatOrder(valid),
    `{orderId: 'ORD-00001', product: '${valid.order.product}', price: ${
      valid.order.price.toFixed(2)
    }}`,
  );
  const corrupt = generateRecords(50, { seed: 7, corruptRate: 1 })[0];
  assert.equal(formatOrder(corrupt), `<corrupt: ${corrupt.value.length} bytes for ORD-00001>`);
});

const SUMMARY: ProducerSummary = {
  generated: 10,
  produced: 7,
  failedAttempts: 4,
  sentToDlq: 2,
  unsent: 1,
  corrupt: 1,
  invalid: 2,
  elapsedMs: 2500,
  throughput: 2.8,
  latency: { p50: 1.25, p95: 2, p99: 3, max: 4.56, mean: 1.5 },
  interrupted: true,
};

Deno.test("summaryLines() counts failed orders as dead-lettered plus unsent", () => {
  const rule = "=".repeat(60);
  assert.deepEqual(summaryLines(SUMMARY), [
    rule,
    "PRODUCER METRICS",
    rule,
    "Messages produced: 7",
    "Messages failed: 3",
    "Sent to DLQ: 2",
    "Unsent (logged in full above): 1",
    "Poison pills injected: 3 (corrupt 1, invalid 2)",
    "Throughput: 2.8 orders/s (7 in 2.50 s)",
    "Latency p50/p95/p99/max: 1.3 / 2.0 / 3.0 / 4.6 ms",
    "Interrupted: stopped generating, flushed what was in flight",
    rule,
  ]);
});

Deno.test("wantsProgress() is true only for a long unpaced text run on a terminal", () => {
  const long = { output: "text", count: 1001, rate: 0, delayMs: 0 } as const;
  assert.equal(wantsProgress(long, true), true);
  assert.equal(wantsProgress(long, false), false);
  assert.equal(wantsProgress({ ...long, count: 1000 }, true), false);
  assert.equal(wantsProgress({ ...long, rate: 5 }, true), false);
  assert.equal(wantsProgress({ ...long, delayMs: 5 }, true), false);
  assert.equal(wantsProgress({ ...long, output: "json" }, true), false);
});

Deno.test("progressLine() shows count, rate and time left at that rate", () => {
  assert.equal(progressLine(5000, 20000, 2), "\r5,000/20,000 orders  2,500/s  ETA 6.0 s   ");
  assert.equal(progressLine(0, 20000, 0), "\r0/20,000 orders  0/s  ETA 0.0 s   ");
});

/** printEvents() writing into arrays. */
function printed(output: "text" | "quiet" | "json") {
  const out: string[] = [];
  const err: string[] = [];
  const events = printEvents({
    output,
    dlqTopic: "o-dlq",
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  });
  return { out, err, events };
}

Deno.test("printEvents() prints a delivery as an [OK] line in text and nothing when quiet", () => {
  const [record] = generateRecords(1, { seed: 7 });
  const delivery = { record, topic: "o", partition: 2, offset: "9", latencyMs: 3.14159 };
  const text = printed("text");
  text.events.delivered!(delivery);
  assert.deepEqual(text.out, [`[OK] Sent: ${formatOrder(record)} -> o[2]@9 (3.1 ms)`]);
  const quiet = printed("quiet");
  quiet.events.delivered!(delivery);
  assert.deepEqual([quiet.out, quiet.err], [[], []]);
});

Deno.test("printEvents() prints retries and dead-letters on stderr in text and as JSON lines", () => {
  const [record] = generateRecords(1, { seed: 7 });
  const text = printed("text");
  text.events.retrying!(5, 1, 3, 200, new Error("timeout"));
  text.events.deadLettered!(record, new Error("gone"));
  assert.deepEqual(text.err, [
    "[WARN] send of 5 orders failed (attempt 1/3): timeout. Retrying in 200ms...",
    `[DLQ] ${formatOrder(record)} -> o-dlq: gone`,
  ]);
  const json = printed("json");
  json.events.retrying!(5, 1, 3, 200, new Error("timeout"));
  json.events.deadLettered!(record, new Error("gone"));
  assert.deepEqual(json.out.map((l) => JSON.parse(l)), [
    { event: "retrying", records: 5, attempt: 1, attempts: 3, delayMs: 200, error: "timeout" },
    { event: "dead-lettered", ...record.order, kind: "valid", error: "gone" },
  ]);
});

Deno.test("printEvents() logs a lost order in full, bytes included, in every mode", () => {
  const corrupt = generateRecords(1, { seed: 7, corruptRate: 1 })[0];
  const json = printed("json");
  json.events.lost!(corrupt, new Error("down"), new Error("dlq down"));
  assert.equal(json.out.length, 0);
  assert.equal(json.err.length, 1);
  assert.ok(json.err[0].startsWith("[UNSENT] "));
  assert.deepEqual(JSON.parse(json.err[0].slice("[UNSENT] ".length)), {
    key: "ORD-00001",
    orderId: "ORD-00001",
    kind: "corrupt",
    bytes: corrupt.value.length,
    valueBase64: corrupt.value.toString("base64"),
    error: "down",
    dlqError: "dlq down",
  });
});
