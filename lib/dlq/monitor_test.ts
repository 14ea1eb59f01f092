import assert from "node:assert/strict";
import { buildDlqHeaders, type Headers } from "./headers.ts";
import { caughtUp, watchDlq } from "./monitor.ts";
import { type DlqConfig, dlqConfig } from "./options.ts";
import { dlqRecordJson, formatDlqLine, inspectDlqRecord } from "./summary.ts";
import { waitFor } from "../testing/harness.ts";
import { fakeAdmin, fakeConsumer, fakeMessage, messagePayload } from "./_test_utils.ts";

const DLQ = "orders-dlq";

const HEADERS: Headers = buildDlqHeaders(undefined, {
  topic: "orders",
  partition: 2,
  offset: "40",
  timestamp: "1700000000000",
  group: "order-processors",
  errorClass: "ValidationError",
  errorMessage: "price must be above 0: got -1",
  errorType: "validation",
  attempts: 1,
  failedAt: new Date("2024-05-01T12:00:00.000Z"),
});

/** Starts a watch from `start` with fake clients and waits until it runs its consumer. */
async function start(
  start: Map<number, bigint>,
  config: Partial<DlqConfig> = {},
  high: Map<number, bigint> = new Map(),
) {
  const log: string[] = [];
  const lines: string[] = [];
  const warnings: string[] = [];
  const consumer = fakeConsumer(log);
  const controller = new AbortController();
  const result = watchDlq(
    dlqConfig({ brokers: ["fake:9092"], topic: DLQ, group: "g", ...config }),
    { admin: fakeAdmin([DLQ], high), consumer: consumer.consumer },
    start,
    { line: (text) => lines.push(text), warn: (text) => warnings.push(text) },
    controller.signal,
  );
  const { eachMessage } = await consumer.running;
  const show = (partition: number, offset: string) =>
    eachMessage!(messagePayload(DLQ, partition, fakeMessage(offset, HEADERS)));
  return { log, lines, warnings, consumer, result, show, controller };
}

/** The line the monitor shows for record number `n`, at `partition`@`offset`. */
function expectedLine(n: number, partition: number, offset: string): string {
  const message = fakeMessage(offset, HEADERS);
  return formatDlqLine(n, inspectDlqRecord({ ...message, partition, headers: HEADERS }));
}

Deno.test("caughtUp() is true once every assigned partition reached its high watermark", () => {
  const positions = new Map([[0, 5n], [1, 3n]]);
  const ends = new Map([[0, { high: 5n }], [1, { high: 4n }], [2, { high: 9n }]]);
  assert.equal(caughtUp([0], positions, ends), true);
  assert.equal(caughtUp([0, 1], positions, ends), false);
  assert.equal(caughtUp([], positions, ends), true);
});

Deno.test("caughtUp() counts a partition without a position as at 0", () => {
  assert.equal(caughtUp([3], new Map(), new Map([[3, { high: 0n }]])), true);
  assert.equal(caughtUp([3], new Map(), new Map([[3, { high: 1n }]])), false);
  assert.equal(caughtUp([3], new Map(), new Map()), true);
});

Deno.test("watchDlq() seeks each assigned partition to where the run starts", async () => {
  const run = await start(new Map([[0, 5n], [1, 0n]]));
  run.consumer.join(DLQ, [0, 1, 2]);
  assert.deepEqual(run.log, [`seek ${DLQ}[0]@5`, `seek ${DLQ}[1]@0`, `seek ${DLQ}[2]@0`]);
  run.controller.abort();
  await run.result;
});

Deno.test("watchDlq() shows each record once, numbered, and counts it in the summary", async () => {
  const run = await start(new Map([[0, 5n]]));
  run.consumer.join(DLQ, [0]);
  await run.show(0, "5");
  await run.show(0, "5");
  await run.show(0, "4");
  await run.show(0, "6");
  run.controller.abort();
  const result = await run.result;
  assert.deepEqual(run.lines, [expectedLine(1, 0, "5"), expectedLine(2, 0, "6")]);
  assert.ok(run.lines[0].startsWith("DLQ Message #1: Key=k-5, "), run.lines[0]);
  assert.equal(result.summary.total, 2);
  assert.deepEqual(result.summary.byType, { validation: 2 });
  assert.equal(result.fatal, undefined);
  assert.deepEqual(run.log, [`seek ${DLQ}[0]@5`, "stop"]);
});

Deno.test("watchDlq() seeks to where the run is after a rebalance, not back to the start", async () => {
  const run = await start(new Map([[0, 5n]]));
  run.consumer.join(DLQ, [0]);
  await run.show(0, "5");
  await run.show(0, "6");
  run.consumer.join(DLQ, [0]);
  assert.deepEqual(run.log, [`seek ${DLQ}[0]@5`, `seek ${DLQ}[0]@7`]);
  run.controller.abort();
  await run.result;
});

Deno.test("watchDlq() prints one JSON object per record in JSON mode and nothing when quiet", async () => {
  const json = await start(new Map([[1, 0n]]), { output: "json" });
  json.consumer.join(DLQ, [1]);
  await json.show(1, "0");
  json.controller.abort();
  await json.result;
  const message = fakeMessage("0", HEADERS);
  const view = inspectDlqRecord({ ...message, partition: 1, headers: HEADERS });
  assert.deepEqual(json.lines.map((l) => JSON.parse(l)), [
    JSON.parse(JSON.stringify(dlqRecordJson(1, view))),
  ]);
  assert.equal(JSON.parse(json.lines[0]).event, "record");

  const quiet = await start(new Map([[1, 0n]]), { output: "quiet" });
  quiet.consumer.join(DLQ, [1]);
  await quiet.show(1, "0");
  quiet.controller.abort();
  assert.equal((await quiet.result).summary.total, 1);
  assert.deepEqual(quiet.lines, []);
});

Deno.test("watchDlq() exits when idle once caught up, filtered batches included", async () => {
  const run = await start(new Map([[0, 5n]]), { idleExitMs: 0 }, new Map([[0, 9n]]));
  run.consumer.join(DLQ, [0]);
  await run.show(0, "5");
  await run.show(0, "6");
  // Offsets 7 and 8 hold only transaction markers: kafkajs hands over no record.
  run.consumer.emit("END_BATCH_PROCESS", {
    topic: DLQ,
    partition: 0,
    batchSize: 0,
    lastOffset: "8",
  });
  let exited = false;
  run.result.finally(() => (exited = true));
  try {
    await waitFor(() => exited, { timeoutMs: 5000, message: "the idle exit" });
  } finally {
    run.controller.abort();
  }
  const result = await run.result;
  assert.equal(result.fatal, undefined);
  assert.equal(result.summary.total, 2);
  assert.deepEqual(run.log, [`seek ${DLQ}[0]@5`, "stop"]);
});

Deno.test("watchDlq() stops with the reason when the consumer crashes for good", async () => {
  const run = await start(new Map([[0, 0n]]));
  run.consumer.emit("CRASH", { error: new Error("disk full"), restart: true });
  run.consumer.emit("CRASH", { error: new Error("broker gone"), restart: false });
  const result = await run.result;
  assert.equal(result.fatal, "consumer crashed: broker gone");
  assert.deepEqual(run.warnings, ["consumer error, restarting: disk full"]);
  assert.deepEqual(run.log, ["stop"]);
});
