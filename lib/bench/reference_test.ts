import assert from "node:assert/strict";
import { partitionFor } from "../kafka/partitioner.ts";
import { generateRecords } from "../order/generator.ts";
import {
  createTopic,
  INTEGRATION,
  readTopic,
  testBrokers,
  uniqueName,
} from "../testing/harness.ts";
import { hasCommand, needs } from "../testing/tools.ts";
import {
  eventLine,
  prepareReferenceStack,
  referenceConsume,
  referenceProduce,
} from "./reference.ts";
import { expectedCents } from "./reference_step.ts";

const PYTHON = {
  name: "python3",
  available: hasCommand("python3"),
  install: "apt-get install -y python3 python3-venv python3-pip",
};

Deno.test("`eventLine()` finds the JSON line of an event among other output", () => {
  const stdout = 'warming up\n{"event": "other"}\n{"event": "consumed", "consumed": 5}\n';
  assert.deepEqual(eventLine(stdout, "consumed"), { event: "consumed", consumed: 5 });
  assert.throws(() => eventLine("nothing", "produced"), {
    name: "FatalError",
    message: "the reference stack printed no 'produced' line:\nnothing",
  });
});

Deno.test({
  name:
    "the reference stack writes our seeded orders to our partitions and aggregates them exactly",
  ...INTEGRATION,
  ...needs(PYTHON),
  async fn() {
    const brokers = await testBrokers();
    const ref = await prepareReferenceStack(() => {});
    assert.match(ref.versions, /^confluent-kafka 2\.16\.1, librdkafka [\d.]+, fastavro 1\.13\.1$/);
    const topic = uniqueName("reference");
    await createTopic(brokers, topic, 3);
    await createTopic(brokers, `${topic}-dlq`, 3);
    const orders = 600;
    const { produced, process } = await referenceProduce(ref, { brokers, topic, orders }, 7);
    assert.equal(produced.delivered, orders);
    assert.ok(process.peakRssMb > 0 && process.cpuMs > 0);

    // The same orders as ours, keyed by order id, on the partitions murmur2 gives.
    const expected = generateRecords(orders, { seed: 7 });
    const read = await readTopic(brokers, topic);
    const byKey = new Map(read.map((r) => [r.key, r]));
    for (const record of expected) {
      const got = byKey.get(record.key);
      assert.ok(got, record.key);
      assert.equal(got.partition, partitionFor(record.key, 3), record.key);
      assert.deepEqual([...got.value!], [...record.value], record.key);
    }

    const { consumed } = await referenceConsume(
      ref,
      { brokers, topic, orders },
      uniqueName("reference-group"),
    );
    assert.deepEqual([consumed.consumed, consumed.aggregated], [orders, orders]);
    assert.equal(consumed.sumCents, expectedCents(orders, 7));
  },
});
