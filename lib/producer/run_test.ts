import assert from "node:assert/strict";
import type { Producer, ProducerBatch } from "kafkajs";
import { partitionFor } from "../kafka/partitioner.ts";
import { generateRecords } from "../order/generator.ts";
import { producerConfig } from "./options.ts";
import { produceOrders } from "./run.ts";

/**
 * A producer that acks every send, numbering each partition's records from
 * 0, and notes whether a send spanned partitions or overlapped another send
 * of its partition.
 */
function fakeProducer() {
  const next = new Map<number, number>();
  const sizes: number[] = [];
  const running = new Set<number>();
  let mostAtOnce = 0;
  let broken = "";
  const producer = {
    async sendBatch(batch: ProducerBatch) {
      const messages = batch.topicMessages![0].messages;
      const partitions = new Set(messages.map((m) => m.partition!));
      const partition = messages[0].partition!;
      if (partitions.size !== 1) broken ||= `a send spans partitions ${[...partitions]}`;
      if (running.has(partition)) broken ||= `two sends of partition ${partition} at once`;
      running.add(partition);
      mostAtOnce = Math.max(mostAtOnce, running.size);
      sizes.push(messages.length);
      await Promise.resolve();
      const baseOffset = next.get(partition) ?? 0;
      next.set(partition, baseOffset + messages.length);
      running.delete(partition);
      return [{ topicName: "t", partition, errorCode: 0, baseOffset: String(baseOffset) }];
    },
  };
  return {
    producer: producer as unknown as Producer,
    sizes,
    broken: () => broken,
    mostAtOnce: () => mostAtOnce,
  };
}

Deno.test("produceOrders() sends every order once, in batches, one request per partition at a time", async () => {
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
    delivered.sort(),
    truth.map((r) => {
      const partition = partitionFor(r.key, 3);
      const offset = offsets.get(partition) ?? 0;
      offsets.set(partition, offset + 1);
      return `${r.key} ${partition}@${offset}`;
    }).sort(),
  );
  // Batches of 10, 10 and 5 orders, each split into one request per partition.
  assert.equal(fake.sizes.reduce((a, b) => a + b, 0), 25);
  assert.ok(fake.sizes.length >= 3 && fake.sizes.length <= 9, `${fake.sizes}`);
  assert.equal(fake.broken(), "");
  assert.ok(fake.mostAtOnce() <= 3);
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
