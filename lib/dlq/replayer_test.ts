import assert from "node:assert/strict";
import type { Producer } from "kafkajs";
import { buildDlqHeaders } from "./headers.ts";
import { dlqConfig, type ReplayConfig, replayConfig } from "./options.ts";
import { emptyTally } from "./replay_decision.ts";
import { replayRecords, type ReplayResult } from "./replayer.ts";
import { ReplayWindow } from "./replay_window.ts";
import {
  dlqContext,
  fakeAdmin,
  fakeBatch,
  fakeConsumer,
  fakeMessage,
  fakeProducer,
} from "./_test_utils.ts";

const DLQ = "orders-dlq";

const CTX = dlqContext({ offset: "0" });

/** A processing failure of `orders-eu[1]@<100 + offset>` at DLQ offset `offset`. */
function failure(offset: number) {
  return fakeMessage(
    String(offset),
    buildDlqHeaders(undefined, { ...CTX, offset: String(100 + offset) }),
  );
}

/** A window over partition 0 from `from` up to `bound`. */
function window0(from: bigint, bound: bigint): ReplayWindow {
  return new ReplayWindow(new Map([[0, bound]]), new Map([[0, from]]));
}

interface Options {
  replay?: Partial<ReplayConfig>;
  /** Topics the admin knows. @default {[DLQ, "orders-eu"]} */
  topics?: string[];
  /** How each send ends. */
  send?: () => Promise<void>;
}

/** Starts a replay of `window` with fake clients and waits until it runs its consumer. */
async function start(window: ReplayWindow, options: Options = {}) {
  const log: string[] = [];
  const lines: string[] = [];
  const consumer = fakeConsumer(log);
  const replay = replayConfig(options.replay);
  const producer: Producer | undefined = replay.dryRun
    ? undefined
    : fakeProducer(log, options.send).producer;
  const controller = new AbortController();
  const result = replayRecords(
    dlqConfig({ brokers: ["fake:9092"], topic: DLQ, replay }),
    {
      admin: fakeAdmin(options.topics ?? [DLQ, "orders-eu"]),
      consumer: consumer.consumer,
      producer,
    },
    window,
    { line: (text) => lines.push(text) },
    controller.signal,
  );
  const { eachBatch } = await consumer.running;
  return { log, lines, consumer, result, eachBatch: eachBatch!, controller };
}

/** Lets every pending promise callback run: a turn of the event loop, not a wait on time. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function tally(result: ReplayResult) {
  return { ...emptyTally(), ...result.tally };
}

Deno.test("replayRecords() commits a batch only after the target acknowledged it", async () => {
  const run = await start(window0(0n, 3n));
  run.consumer.join(DLQ, [0]);
  const batch = fakeBatch(DLQ, 0, [failure(0), failure(1), failure(2)]);
  await run.eachBatch(batch.payload);
  const result = await run.result;
  assert.deepEqual(run.log, [
    `seek ${DLQ}[0]@0`,
    "send orders-eu:3",
    `commit ${DLQ}[0]@3`,
    `pause ${DLQ}[0]`,
    "stop",
  ]);
  assert.deepEqual(batch.resolved, ["2"]);
  assert.equal(result.fatal, undefined);
  assert.deepEqual(tally(result), {
    ...emptyTally(),
    examined: 3,
    replayed: 3,
    byTarget: { "orders-eu": 3 },
  });
  assert.deepEqual(run.lines, [
    `Replayed k-0 (${DLQ}[0]@0, processing) -> orders-eu, replay 1`,
    `Replayed k-1 (${DLQ}[0]@1, processing) -> orders-eu, replay 1`,
    `Replayed k-2 (${DLQ}[0]@2, processing) -> orders-eu, replay 1`,
  ]);
});

Deno.test("replayRecords() commits past the transaction markers after a batch's last record", async () => {
  const run = await start(window0(0n, 5n));
  run.consumer.join(DLQ, [0]);
  await run.eachBatch(fakeBatch(DLQ, 0, [failure(0), failure(1)], "3").payload);
  assert.deepEqual(run.log, [`seek ${DLQ}[0]@0`, "send orders-eu:2", `commit ${DLQ}[0]@4`]);
  // A batch of markers only carries the partition to its bound: the run is done.
  run.consumer.emit("END_BATCH_PROCESS", {
    topic: DLQ,
    partition: 0,
    batchSize: 0,
    lastOffset: "4",
  });
  const result = await run.result;
  assert.equal(result.fatal, undefined);
  assert.equal(run.log.at(-1), "stop");
  assert.deepEqual(run.consumer.commits, [`${DLQ}[0]@4`]);
});

Deno.test("replayRecords() commits nothing and stops with the reason when the send fails", async () => {
  const run = await start(window0(0n, 3n), {
    send: () => Promise.reject(new Error("broker down")),
  });
  run.consumer.join(DLQ, [0]);
  const batch = fakeBatch(DLQ, 0, [failure(0), failure(1), failure(2)]);
  await run.eachBatch(batch.payload);
  const result = await run.result;
  assert.equal(
    result.fatal,
    `cannot replay ${DLQ}[0] from offset 0: broker down; its offsets were not committed, so the next run starts there again`,
  );
  assert.deepEqual(run.log, [`seek ${DLQ}[0]@0`, "send orders-eu:3", "stop"]);
  assert.deepEqual(batch.resolved, []);
  assert.deepEqual(run.lines, []);
  assert.deepEqual(tally(result), emptyTally());
});

Deno.test("replayRecords() stops before sending when a target topic does not exist", async () => {
  const run = await start(window0(0n, 1n), { topics: [DLQ] });
  run.consumer.join(DLQ, [0]);
  await run.eachBatch(fakeBatch(DLQ, 0, [failure(0)]).payload);
  const result = await run.result;
  assert.equal(
    result.fatal,
    "target topic orders-eu does not exist; create it, or give --target-topic for records that do not name their topic",
  );
  assert.deepEqual(run.log, [`seek ${DLQ}[0]@0`, "stop"]);
});

Deno.test("replayRecords() refuses to run when another member holds part of the DLQ", async () => {
  const window = new ReplayWindow(new Map([[0, 3n], [1, 3n]]), new Map([[0, 0n], [1, 0n]]));
  const run = await start(window);
  run.consumer.join(DLQ, [0]);
  const result = await run.result;
  assert.equal(
    result.fatal,
    `another member of group orders-dlq-replayer holds part of ${DLQ}: run one replay at a time`,
  );
  assert.deepEqual(run.log, ["stop"]);
});

Deno.test("replayRecords() seeks to its own positions on a join and pauses what has nothing to replay", async () => {
  const window = new ReplayWindow(new Map([[0, 5n], [1, 3n]]), new Map([[0, 2n], [1, 3n]]));
  const run = await start(window);
  run.consumer.join(DLQ, [0, 1, 2]);
  assert.deepEqual(run.log, [`seek ${DLQ}[0]@2`, `seek ${DLQ}[1]@3`, `pause ${DLQ}[1,2]`]);
  run.controller.abort();
  const result = await run.result;
  assert.equal(result.fatal, undefined);
  assert.equal(run.log.at(-1), "stop");
});

Deno.test("replayRecords() waits for the batch in flight before it stops the consumer", async () => {
  let acknowledge!: () => void;
  const run = await start(window0(0n, 3n), {
    send: () => new Promise<void>((resolve) => (acknowledge = resolve)),
  });
  run.consumer.join(DLQ, [0]);
  const work = run.eachBatch(fakeBatch(DLQ, 0, [failure(0), failure(1), failure(2)]).payload);
  await nextTurn();
  run.controller.abort();
  await nextTurn();
  // Stopping now would drop the commit that follows the acknowledgement.
  assert.deepEqual(run.log, [`seek ${DLQ}[0]@0`, "send orders-eu:3"]);
  acknowledge();
  await work;
  const result = await run.result;
  assert.deepEqual(run.consumer.commits, [`${DLQ}[0]@3`]);
  assert.deepEqual(run.log.slice(2), [`commit ${DLQ}[0]@3`, `pause ${DLQ}[0]`, "stop"]);
  assert.equal(result.tally.replayed, 3);
});

Deno.test("replayRecords() on a dry run sends and commits nothing but shows every record", async () => {
  const run = await start(window0(0n, 2n), { replay: { dryRun: true } });
  run.consumer.join(DLQ, [0]);
  const batch = fakeBatch(DLQ, 0, [failure(0), failure(1)]);
  await run.eachBatch(batch.payload);
  const result = await run.result;
  assert.deepEqual(run.log, [`seek ${DLQ}[0]@0`, `pause ${DLQ}[0]`, "stop"]);
  assert.deepEqual(batch.resolved, ["1"]);
  assert.deepEqual(tally(result), {
    ...emptyTally(),
    examined: 2,
    wouldReplay: 2,
    byTarget: { "orders-eu": 2 },
  });
  assert.deepEqual(run.lines, [
    `Would replay k-0 (${DLQ}[0]@0, processing) -> orders-eu, replay 1`,
    `Would replay k-1 (${DLQ}[0]@1, processing) -> orders-eu, replay 1`,
  ]);
});

Deno.test("replayRecords() replays only the records between its position and its bound", async () => {
  const run = await start(window0(1n, 3n));
  run.consumer.join(DLQ, [0]);
  const batch = fakeBatch(DLQ, 0, [failure(0), failure(1), failure(2), failure(3)]);
  await run.eachBatch(batch.payload);
  const result = await run.result;
  assert.deepEqual(run.log, [
    `seek ${DLQ}[0]@1`,
    "send orders-eu:2",
    `commit ${DLQ}[0]@3`,
    `pause ${DLQ}[0]`,
    "stop",
  ]);
  assert.deepEqual(batch.resolved, ["2"]);
  assert.equal(result.tally.examined, 2);
});

Deno.test("replayRecords() moves to its bound past records deleted by retention", async () => {
  const run = await start(window0(2n, 5n));
  run.consumer.join(DLQ, [0]);
  // Nothing in the window yet: a batch that re-reads passed records leaves it there.
  await run.eachBatch(fakeBatch(DLQ, 0, [failure(0), failure(1)]).payload);
  assert.deepEqual(run.log, [`seek ${DLQ}[0]@2`]);
  // The next fetch begins past the bound: offsets 2 to 4 are gone.
  const batch = fakeBatch(DLQ, 0, [failure(7), failure(8)]);
  await run.eachBatch(batch.payload);
  const result = await run.result;
  assert.deepEqual(run.log, [`seek ${DLQ}[0]@2`, `pause ${DLQ}[0]`, "stop"]);
  assert.deepEqual(batch.resolved, []);
  assert.deepEqual(tally(result), emptyTally());
});

Deno.test("replayRecords() ignores batches of partitions outside the run", async () => {
  const run = await start(window0(0n, 1n));
  run.consumer.join(DLQ, [0, 4]);
  await run.eachBatch(fakeBatch(DLQ, 4, [failure(0)]).payload);
  assert.deepEqual(run.log, [`seek ${DLQ}[0]@0`, `pause ${DLQ}[4]`]);
  run.controller.abort();
  const result = await run.result;
  assert.deepEqual(tally(result), emptyTally());
  assert.deepEqual(run.log.slice(2), ["stop"]);
});

Deno.test("replayRecords() sends one copy of a failure dead-lettered twice", async () => {
  const run = await start(window0(0n, 2n));
  run.consumer.join(DLQ, [0]);
  const copy = fakeMessage("1", failure(0).headers as Record<string, string>);
  await run.eachBatch(fakeBatch(DLQ, 0, [failure(0), copy]).payload);
  const result = await run.result;
  assert.deepEqual(run.log.slice(1, 3), ["send orders-eu:1", `commit ${DLQ}[0]@2`]);
  assert.equal(result.tally.skippedDuplicates, 1);
  assert.equal(
    run.lines[1],
    `Skipped k-1 (${DLQ}[0]@1, processing): a copy of orders-eu/1/100 was replayed already`,
  );
});
