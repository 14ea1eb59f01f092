import assert from "node:assert/strict";
import type { Producer, ProducerBatch } from "kafkajs";
import { partitionFor } from "../kafka/partitioner.ts";
import { generateRecords } from "../order/generator.ts";
import { producerConfig } from "./options.ts";
import { produceOrders } from "./run.ts";

/** A producer that acks every send, numbering each partition's records from 0. */
function fakeProducer() {
  const next = new Map<number, number>();
  const sizes: number[] = [];
  let running = 0;
  let overlapped = false;
  const producer = {
    async sendBatch(batch: ProducerBatch) {
      overlapped ||= running > 0;
      running += 1;
      const messages = batch.topicMessages![0].messages;
      sizes.push(messages.length);
      await Promise.resolve();
      const acks = [...new Set(messages.map((m) => m.partition!))].map((partition) => {
        const baseOffset = next.get(partition) ?? 0;
        next.set(partition, baseOffset + messages.filter((m) => m.partition === partition).length);
        return { topicName: "t", partition, errorCode: 0, baseOffset: String(baseOffset) };
      });
      running -= 1;
      return acks;
    },
  };
  return { producer: producer as unknown as Producer, sizes, overlapped: () => overlapped };
}

Deno.test("produceOrders() sends every generated order once, in batches, one send at a time", async () => {
  const fake = fakeProducer();
  const config = producerConfig({
    brokers: ["b:1"],
    topic: "t",
    count: 25,
    seed: 3,
    batchSize: 10,
    corruptRate: 0.2,
  });
  const delivered: string[] = [];
  const summary = await produceOrders(fake.producer, config, {
    delivered: (d) => delivered.push(`${d.record.key} ${d.partition}@${d.offset}`),
  });
  const truth = generateRecords(25, { seed: 3, corruptRate: 0.2 });
  const offsets = new Map<number, number>();
  assert.deepEqual(
    delivered,
    truth.map((r) => {
      const partition = partitionFor(r.key, 3);
      const offset = offsets.get(partition) ?? 0;
      offsets.set(partition, offset + 1);
      return `${r.key} ${partition}@${offset}`;
    }),
  );
  assert.deepEqual(fake.sizes, [10, 10, 5]);
  assert.equal(fake.overlapped(), false);
  assert.equal(summary.generated, 25);
  assert.equal(summary.produced, 25);
  assert.equal(summary.corrupt, truth.filter((r) => r.kind === "corrupt").length);
  assert.deepEqual(
    [summary.failedAttempts, summary.sentToDlq, summary.unsent, summary.interrupted],
    [0, 0, 0, false],
  );
});

Deno.test("produceOrders() generates nothing more once the signal has aborted", async () => {
  const fake = fakeProducer();
  const controller = new AbortController();
  controller.abort();
  const summary = await produceOrders(
    fake.producer,
    producerConfig({ brokers: ["b:1"], count: 10 }),
    {},
    controller.signal,
  );
  assert.deepEqual([summary.generated, summary.produced, summary.interrupted], [0, 0, true]);
  assert.deepEqual(fake.sizes, []);
});
