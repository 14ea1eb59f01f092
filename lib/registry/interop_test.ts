/**
 * Interop of our wire format with confluent-kafka's own Avro serde, through
 * a real Confluent-compatible registry and a real broker: what either side
 * writes, the other reads exactly; an evolved writer schema reads as ours;
 * an incompatible schema is refused before anything is sent.
 *
 * @module
 */
import assert from "node:assert/strict";
import { ORDER_SCHEMA } from "../order/codec.ts";
import { HttpSchemaRegistry } from "./client.ts";
import { addCents, emptyAggregate, summarize } from "../order/aggregate.ts";
import { generateRecords } from "../order/generator.ts";
import { toCents } from "../order/money.ts";
import {
  brokerEnv,
  createTopic,
  groundTruth,
  INTEGRATION,
  jsonLines,
  readTopic,
  runScript,
  testBrokers,
  uniqueName,
} from "../testing/harness.ts";
import { confluentAvro, registryRequirements, testRegistry } from "../testing/registry.ts";
import { needs } from "../testing/tools.ts";

const REGISTRY_TEST = { ...INTEGRATION, ...needs(...registryRequirements()) };

/** Our schema with `currency` added, defaulted: a BACKWARD-compatible evolution. */
const EVOLVED_SCHEMA = {
  ...ORDER_SCHEMA,
  fields: [...ORDER_SCHEMA.fields, { name: "currency", type: "string", default: "USD" }],
};

async function schemaFile(schema: unknown): Promise<string> {
  const path = await Deno.makeTempFile({ suffix: ".avsc" });
  await Deno.writeTextFile(path, JSON.stringify(schema));
  return path;
}

/** Writes the valid orders of `seed` with confluent-kafka's AvroSerializer; returns how many. */
async function pythonProduce(topic: string, count: number, seed: number, schema: unknown) {
  const orders = generateRecords(count, { seed }).map((r) =>
    schema === EVOLVED_SCHEMA ? { ...r.order, currency: "EUR" } : r.order
  );
  const result = await confluentAvro([
    "produce",
    `--bootstrap=${(await testBrokers()).join(",")}`,
    `--registry=${await testRegistry()}`,
    `--topic=${topic}`,
    `--schema=${await schemaFile(schema)}`,
  ], orders.map((o) => JSON.stringify(o)).join("\n") + "\n");
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(result.lines.at(-1), { event: "produced", sent: count, unflushed: 0 });
}

async function ourProducer(topic: string, args: string[]) {
  return await runScript("producer.ts", [
    `--topic=${topic}`,
    `--dlq-topic=${topic}-dlq`,
    `--schema-registry=${await testRegistry()}`,
    "--quiet",
    ...args,
  ], await brokerEnv());
}

async function ourConsumer(topic: string, extra: string[] = []) {
  const result = await runScript("consumer.ts", [
    `--topic=${topic}`,
    `--dlq-topic=${topic}-dlq`,
    `--group=${uniqueName("group")}`,
    `--schema-registry=${await testRegistry()}`,
    "--json",
    "--idle-exit=2",
    ...extra,
  ], await brokerEnv());
  assert.equal(result.code, 0, result.stderr);
  return jsonLines(result.stdout).find((l) => l.event === "summary")!;
}

Deno.test({
  name: "consumer aggregates exactly the 500 orders confluent-kafka's AvroSerializer wrote",
  ...REGISTRY_TEST,
  async fn() {
    const topic = uniqueName("sr-orders");
    await createTopic(await testBrokers(), topic);
    await pythonProduce(topic, 500, 11, ORDER_SCHEMA);
    const summary = await ourConsumer(topic);
    const truth = groundTruth(500, { seed: 11 });
    assert.equal(summary.consumed, 500);
    assert.equal(summary.processed, 500);
    assert.equal(summary.sentToDlq, 0);
    assert.deepEqual(summary.aggregate, truth.aggregate);
  },
});

Deno.test({
  name: "confluent-kafka's AvroDeserializer reads the 300 orders our producer framed",
  ...REGISTRY_TEST,
  async fn() {
    const topic = uniqueName("sr-orders");
    const produced = await ourProducer(topic, ["300", "--seed=12"]);
    assert.equal(produced.code, 0, produced.stderr);
    const result = await confluentAvro([
      "consume",
      `--bootstrap=${(await testBrokers()).join(",")}`,
      `--registry=${await testRegistry()}`,
      `--topic=${topic}`,
      `--group=${uniqueName("py")}`,
      "--count=300",
    ]);
    assert.equal(result.code, 0, result.stderr);
    const read = result.lines.filter((l) => l.event === "order");
    assert.equal(read.length, 300);
    // Avro `float`: Python sees the float32 value our producer wrote.
    const want = new Map(
      generateRecords(300, { seed: 12 }).map((
        r,
      ) => [r.key, { ...r.order, price: Math.fround(r.order.price) }]),
    );
    for (const { event: _, ...order } of read) {
      assert.deepEqual(order, want.get(order.orderId as string));
      want.delete(order.orderId as string);
    }
    assert.equal(want.size, 0);
  },
});

Deno.test({
  name: "consumer reads 200 orders under two writer schemas, the newer with an added currency",
  ...REGISTRY_TEST,
  async fn() {
    const topic = uniqueName("sr-orders");
    const v1 = await ourProducer(topic, ["100", "--seed=13"]);
    assert.equal(v1.code, 0, v1.stderr);
    // The same 100 orders again, written by confluent-kafka with currency "EUR".
    await pythonProduce(topic, 100, 13, EVOLVED_SCHEMA);
    const ids = new Set(
      (await readTopic(await testBrokers(), topic)).map((r) => r.value!.readUInt32BE(1)),
    );
    assert.equal(ids.size, 2, "two writer schema ids on the topic");
    const summary = await ourConsumer(topic);
    // Every order twice: once as written by us, once by confluent-kafka.
    const twice = emptyAggregate();
    for (const r of generateRecords(100, { seed: 13 })) {
      for (const _ of [1, 2]) addCents(twice, toCents(Math.fround(r.order.price)));
    }
    assert.equal(summary.consumed, 200);
    assert.equal(summary.processed, 200);
    assert.equal(summary.sentToDlq, 0);
    assert.deepEqual(summary.aggregate, summarize(twice));
  },
});

Deno.test({
  name:
    "producer refuses to start, in the registry's words, when the subject holds an incompatible schema",
  ...REGISTRY_TEST,
  async fn() {
    const topic = uniqueName("sr-orders");
    const incompatible = {
      ...ORDER_SCHEMA,
      fields: ORDER_SCHEMA.fields.map((f: { name: string }) =>
        f.name === "price" ? { name: "price", type: "string" } : f
      ),
    };
    // An earlier writer registered price as a string; ours has a float.
    const registry = new HttpSchemaRegistry({ url: await testRegistry() });
    await registry.register(`${topic}-value`, JSON.stringify(incompatible));
    const refused = await ourProducer(topic, ["10"]);
    assert.equal(refused.code, 1);
    const lines = refused.stderr.trim().split("\n");
    assert.equal(lines.length, 1, refused.stderr);
    assert.match(
      lines[0],
      new RegExp(
        `^error: Cannot start producer as the schema registry refused the schema for subject ${topic}-value: .*Incompatible.* \\(HTTP 409\\)$`,
      ),
    );
    assert.equal((await readTopic(await testBrokers(), topic)).length, 0);
  },
});
