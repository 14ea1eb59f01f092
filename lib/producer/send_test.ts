import assert from "node:assert/strict";
import type { Message, ProducerBatch, RecordMetadata } from "kafkajs";
import { DLQ_HEADERS, parseDlqHeaders } from "../dlq/headers.ts";
import { generateRecords } from "../order/generator.ts";
import { producerConfig } from "./options.ts";
import { BatchSender, deliveredOffsets, type Pending } from "./send.ts";

const SETTINGS = producerConfig({ brokers: ["b:1"], topic: "t", dlqTopic: "t-dlq" });

/** Pending orders on partitions 0, 1, 0, made at time 10. */
function pending(): Pending[] {
  return generateRecords(3, { seed: 7 }).map((record, i) => ({
    record,
    partition: i % 2,
    enqueuedAt: 10,
  }));
}

/**
 * A producer whose sends follow a script per `topic/partition` (every send
 * must be to one partition): an Error fails that call.
 */
function fakeProducer(script: Record<string, (RecordMetadata[] | Error)[]>) {
  const calls: { topic: string; messages: Message[] }[] = [];
  return {
    calls,
    sendBatch(batch: ProducerBatch) {
      const { topic, messages } = batch.topicMessages![0];
      calls.push({ topic, messages });
      const partitions = new Set(messages.map((m) => m.partition));
      assert.equal(partitions.size, 1, `one send spans partitions ${[...partitions]}`);
      const next = script[`${topic}/${messages[0].partition}`].shift()!;
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
    },
  };
}

const ACK_0: RecordMetadata[] = [{ topicName: "t", partition: 0, errorCode: 0, baseOffset: "40" }];
const ACK_1: RecordMetadata[] = [{ topicName: "t", partition: 1, errorCode: 0, baseOffset: "7" }];
const ACKS: RecordMetadata[] = [...ACK_0, ...ACK_1];

/** A sleep that records its delays and returns at once. */
function fakeSleep() {
  const delays: number[] = [];
  return { delays, sleep: (ms: number) => (delays.push(ms), Promise.resolve()) };
}

Deno.test("deliveredOffsets() numbers each partition's records up from its base offset", () => {
  assert.deepEqual(
    deliveredOffsets(
      [{ partition: 0 }, { partition: 1 }, { partition: 0 }, { partition: 2 }],
      ACKS,
    ),
    ["40", "7", "41", "-1"],
  );
});

Deno.test("BatchSender sends each partition in a request of its own, with offsets and latency", async () => {
  const producer = fakeProducer({ "t/0": [ACK_0], "t/1": [ACK_1] });
  const delivered: string[] = [];
  const sender = new BatchSender(producer, SETTINGS, {
    events: { delivered: (d) => delivered.push(`${d.partition}@${d.offset} ${d.latencyMs}`) },
    now: () => 25,
  });
  await sender.send(pending());
  assert.deepEqual(delivered.sort(), ["0@40 15", "0@41 15", "1@7 15"]);
  assert.deepEqual(sender.counts, { produced: 3, failedAttempts: 0, sentToDlq: 0, unsent: 0 });
  assert.equal(sender.latency.count, 3);
  assert.deepEqual(producer.calls.map((c) => c.messages.map((m) => m.partition)), [[0, 0], [1]]);
});

Deno.test("BatchSender retries with SEND_RETRY's doubling waits and counts every failed attempt", async () => {
  const producer = fakeProducer({ "t/0": [new Error("a"), new Error("b"), ACK_0], "t/1": [ACK_1] });
  const { delays, sleep } = fakeSleep();
  const retrying: unknown[][] = [];
  const sender = new BatchSender(producer, SETTINGS, {
    events: { retrying: (...args) => retrying.push(args.slice(0, 4)) },
    sleep,
  });
  await sender.send(pending());
  assert.deepEqual(retrying, [[2, 1, 3, 200], [2, 2, 3, 400]]);
  assert.deepEqual(delays, [200, 400]);
  assert.deepEqual(sender.counts, { produced: 3, failedAttempts: 4, sentToDlq: 0, unsent: 0 });
  const sends = producer.calls.filter((c) => c.messages[0].partition === 0);
  // The same records every time, so idempotence can de-duplicate them.
  assert.deepEqual(sends[2].messages, sends[0].messages);
});

Deno.test("BatchSender never sends a partition again once it is stored, when another fails", async () => {
  const producer = fakeProducer({ "t/0": [new Error("leader gone"), ACK_0], "t/1": [ACK_1] });
  const sender = new BatchSender(producer, SETTINGS, { sleep: fakeSleep().sleep });
  await sender.send(pending());
  assert.deepEqual(producer.calls.map((c) => c.messages[0].partition).sort(), [0, 0, 1]);
  assert.deepEqual(sender.counts, { produced: 3, failedAttempts: 2, sentToDlq: 0, unsent: 0 });
});

Deno.test("BatchSender dead-letters a partition's orders to its DLQ partition after the last attempt", async () => {
  const last = new TypeError("broker gone");
  const producer = fakeProducer({
    "t/0": [ACK_0],
    "t/1": [new Error("a"), new Error("b"), last],
    "t-dlq/1": [[]],
  });
  const deadLettered: unknown[] = [];
  const sender = new BatchSender(producer, SETTINGS, {
    events: { deadLettered: (record, error) => deadLettered.push([record.key, error]) },
    sleep: fakeSleep().sleep,
  });
  const batch = pending();
  await sender.send(batch);
  assert.deepEqual(sender.counts, { produced: 2, failedAttempts: 3, sentToDlq: 1, unsent: 0 });
  assert.deepEqual(deadLettered, [[batch[1].record.key, last]]);
  const dlq = producer.calls.find((c) => c.topic === "t-dlq")!;
  assert.deepEqual(dlq.messages.map((m) => [m.partition, m.value]), [[1, batch[1].record.value]]);
  const headers = parseDlqHeaders(dlq.messages[0].headers as never);
  assert.equal(headers.topic, "t");
  assert.equal(headers.partition, 1);
  assert.equal(headers.offset, "-1");
  assert.equal(headers.errorClass, "TypeError");
  assert.equal(headers.errorMessage, "send failed after 3 attempts: broker gone");
  assert.equal(headers.errorType, "production");
  assert.equal(headers.attempts, 3);
  assert.equal(
    headers.timestamp,
    String(Math.round(performance.timeOrigin + 10)),
  );
  assert.ok(DLQ_HEADERS.failedAt in dlq.messages[0].headers!);
});

Deno.test("BatchSender puts a dead letter in its partition modulo the DLQ's partition count", async () => {
  const producer = fakeProducer({ "t/0": [ACK_0], "t/1": [new Error("down")], "t-dlq/0": [[]] });
  const sender = new BatchSender(producer, { ...SETTINGS, attempts: 1, dlqPartitions: 1 });
  await sender.send(pending());
  assert.deepEqual(producer.calls.at(-1)!.messages.map((m) => m.partition), [0]);
  assert.equal(sender.counts.sentToDlq, 1);
});

Deno.test("BatchSender reports every order lost when the DLQ send fails too", async () => {
  const producer = fakeProducer({
    "t/0": [new Error("down")],
    "t/1": [new Error("down")],
    "t-dlq/0": [new Error("dlq down")],
    "t-dlq/1": [new Error("dlq down")],
  });
  const lost: string[] = [];
  const sender = new BatchSender(producer, { ...SETTINGS, attempts: 1 }, {
    events: {
      lost: (record, error, dlqError) =>
        lost.push(`${record.key} ${(error as Error).message} ${(dlqError as Error).message}`),
    },
  });
  await sender.send(pending());
  assert.deepEqual(sender.counts, { produced: 0, failedAttempts: 3, sentToDlq: 0, unsent: 3 });
  assert.deepEqual(lost.sort(), [
    "ORD-00001 down dlq down",
    "ORD-00002 down dlq down",
    "ORD-00003 down dlq down",
  ]);
});
