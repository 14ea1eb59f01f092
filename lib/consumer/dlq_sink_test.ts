import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import type { Producer } from "kafkajs";
import { parseDlqHeaders } from "../dlq/headers.ts";
import { dlqMessage, DlqSink } from "./dlq_sink.ts";

Deno.test("dlqMessage() keeps the original bytes and headers and adds the failure's context", () => {
  const message = {
    key: Buffer.from("ORD-00009"),
    value: Buffer.from([1, 2, 3]),
    headers: { "trace-id": Buffer.from("abc") },
    offset: "17",
    timestamp: "1700000000000",
  };
  const failedAt = new Date("2026-11-27T07:00:00.000Z");
  const out = dlqMessage(
    message,
    { topic: "orders", partition: 2, group: "g" },
    { type: "deserialization", error: new Error("truncated buffer"), attempts: 1 },
    failedAt,
  );
  assert.equal(out.key, message.key);
  assert.equal(out.value, message.value);
  assert.deepEqual(out.headers["trace-id"], Buffer.from("abc"));
  const parsed = parseDlqHeaders(out.headers);
  assert.equal(parsed.topic, "orders");
  assert.equal(parsed.partition, 2);
  assert.equal(parsed.offset, "17");
  assert.equal(parsed.group, "g");
  assert.equal(parsed.errorType, "deserialization");
  assert.equal(parsed.errorMessage, "truncated buffer");
  assert.equal(parsed.attempts, 1);
});

Deno.test("DlqSink.send() sends one batch at a time, in order, even after a failure", async () => {
  const log: string[] = [];
  const releases: (() => void)[] = [];
  let calls = 0;
  const producer = {
    sendBatch: ({ topicMessages }: { topicMessages: { topic: string; messages: unknown[] }[] }) => {
      const n = ++calls;
      log.push(`start ${n} ${topicMessages[0].topic} ${topicMessages[0].messages.length}`);
      return new Promise((resolve, reject) => {
        releases.push(() => {
          log.push(`end ${n}`);
          if (n === 1) reject(new Error("broker gone"));
          else resolve([]);
        });
      });
    },
  } as unknown as Producer;
  const sink = new DlqSink(producer, "orders-dlq", 3);
  const first = sink.send(0, [{ key: null, value: null, headers: {} }]);
  const second = sink.send(1, []);
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(log, ["start 1 orders-dlq 1"]);
  releases[0]();
  await assert.rejects(first, { message: "broker gone" });
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(log, ["start 1 orders-dlq 1", "end 1", "start 2 orders-dlq 0"]);
  releases[1]();
  await second;
  assert.deepEqual(log.at(-1), "end 2");
});

Deno.test("DlqSink sends an input partition's dead letters to one DLQ partition, modulo its count", async () => {
  const sent: { partition?: number; key: unknown }[][] = [];
  const producer = {
    sendBatch: (
      { topicMessages }: { topicMessages: { messages: { partition?: number; key: unknown }[] }[] },
    ) => {
      sent.push(topicMessages[0].messages.map(({ partition, key }) => ({ partition, key })));
      return Promise.resolve([]);
    },
  } as unknown as Producer;
  const sink = new DlqSink(producer, "orders-dlq", 2);
  const letter = (key: string) => ({ key: Buffer.from(key), value: null, headers: {} });
  await sink.send(5, [letter("a"), letter("b")]);
  await sink.send(2, [letter("c")]);
  assert.deepEqual(sent, [
    [{ partition: 1, key: Buffer.from("a") }, { partition: 1, key: Buffer.from("b") }],
    [{ partition: 0, key: Buffer.from("c") }],
  ]);
});
