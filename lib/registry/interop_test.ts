/**
 * The registry mode end to end, through a real Confluent-compatible registry
 * and a real broker. Interop with confluent-kafka's own Avro serde: what
 * either side writes, the other reads exactly; an evolved writer schema reads
 * as ours; an incompatible schema is refused before anything is sent. And the
 * failures: plain records on a registry topic, unknown schema ids and framed
 * records on a plain topic are deserialization failures, kept byte for byte
 * in the DLQ and replayed unchanged.
 *
 * @module
 */
import assert from "node:assert/strict";
import { encodeOrder, ORDER_SCHEMA } from "../order/codec.ts";
import { parseDlqHeaders } from "../dlq/headers.ts";
import { frame } from "../order/wire.ts";
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
  produceOrders,
  readTopic,
  runScript,
  sendMessages,
  spawnScript,
  testBrokers,
  uniqueName,
  waitFor,
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

/** Our producer's `count` orders of `seed`, framed with the test registry's schema id. */
async function ourProducer(topic: string, count: number, seed: number): Promise<void> {
  await produceOrders(topic, count, { seed }, [`--schema-registry=${await testRegistry()}`]);
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
    await ourProducer(topic, 300, 12);
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
    await ourProducer(topic, 100, 13);
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
    const refused = await runScript("producer.ts", [
      "10",
      `--topic=${topic}`,
      `--dlq-topic=${topic}-dlq`,
      `--schema-registry=${await testRegistry()}`,
      "--quiet",
    ], await brokerEnv());
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

/** The DLQ records of `topic`, with their parsed headers. */
async function deadLetters(topic: string) {
  const records = await readTopic(await testBrokers(), `${topic}-dlq`);
  return records.map((r) => ({ ...r, parsed: parseDlqHeaders(r.headers) }));
}

Deno.test({
  name: "consumer dead-letters 5 plain and 3 unknown-id records on a registry topic, byte for byte",
  ...REGISTRY_TEST,
  async fn() {
    const topic = uniqueName("sr-orders");
    await ourProducer(topic, 20, 15);
    const orders = generateRecords(8, { seed: 16 }).map((r) => r.order);
    const plain = orders.slice(0, 5).map((o) => encodeOrder(o));
    const unknown = orders.slice(5).map((o) => frame(999_999, encodeOrder(o)));
    await sendMessages(
      await testBrokers(),
      topic,
      [...plain, ...unknown].map((value, i) => ({ key: `BAD-${i}`, value })),
    );

    const summary = await ourConsumer(topic);
    assert.equal(summary.consumed, 28);
    assert.equal(summary.processed, 20);
    assert.equal(summary.sentToDlq, 8);
    assert.deepEqual(summary.aggregate, groundTruth(20, { seed: 15 }).aggregate);
    const dlq = await deadLetters(topic);
    assert.equal(dlq.length, 8);
    for (const record of dlq) {
      const i = Number(record.key!.slice("BAD-".length));
      assert.ok(record.value!.equals([...plain, ...unknown][i]), `bytes of ${record.key}`);
      assert.equal(record.parsed.errorType, "deserialization");
      assert.match(
        record.parsed.errorMessage!,
        i < 5
          ? /not in the Confluent wire format \(first byte \d+, expected magic byte 0/
          : /unknown schema id 999999: the registry answered .* \(HTTP 404\)/,
      );
    }
  },
});

Deno.test({
  name:
    "a plain consumer dead-letters 10 framed records; the DLQ tool shows them and replays their bytes unchanged",
  ...REGISTRY_TEST,
  async fn() {
    const topic = uniqueName("sr-orders");
    await ourProducer(topic, 10, 17);
    const plainRun = await runScript("consumer.ts", [
      `--topic=${topic}`,
      `--dlq-topic=${topic}-dlq`,
      `--group=${uniqueName("group")}`,
      "--json",
      "--idle-exit=2",
    ], await brokerEnv());
    assert.equal(plainRun.code, 0, plainRun.stderr);
    const dlq = await deadLetters(topic);
    assert.equal(dlq.length, 10);
    for (const record of dlq) {
      assert.equal(record.parsed.errorType, "deserialization");
      assert.match(
        record.parsed.errorMessage!,
        /looks like the Confluent wire format \(schema id \d+\)/,
      );
    }

    const dlqArgs = [`--topic=${topic}-dlq`, `--schema-registry=${await testRegistry()}`, "--json"];
    const watched = await runScript(
      "dlq_consumer.ts",
      [...dlqArgs, "--from-beginning", "--idle-exit=1"],
      await brokerEnv(),
    );
    assert.equal(watched.code, 0, watched.stderr);
    const shown = jsonLines(watched.stdout).filter((l) => l.event === "record");
    const want = new Set(generateRecords(10, { seed: 17 }).map((r) => r.key));
    assert.deepEqual(new Set(shown.map((l) => (l.order as { orderId: string }).orderId)), want);

    const replay = await runScript(
      "dlq_consumer.ts",
      [...dlqArgs, "--replay", `--group=${uniqueName("replayer")}`, "--error-type=deserialization"],
      await brokerEnv(),
    );
    assert.equal(replay.code, 0, replay.stderr);
    const after = await readTopic(await testBrokers(), topic);
    const replayed = after.filter((r) => r.headers["replay-count"] !== undefined);
    assert.equal(replayed.length, 10);
    const dlqBytes = new Map(dlq.map((r) => [r.key, r.value!]));
    for (const r of replayed) assert.ok(r.value!.equals(dlqBytes.get(r.key)!), `bytes of ${r.key}`);
    const summary = await ourConsumer(topic);
    assert.equal(summary.processed, 20);
    assert.equal(summary.sentToDlq, 0);
  },
});

Deno.test({
  name:
    "consumer dead-letters nothing while the registry is down, and aggregates all 5 orders once it is back",
  ...REGISTRY_TEST,
  async fn() {
    const topic = uniqueName("sr-orders");
    const group = uniqueName("group");
    await ourProducer(topic, 5, 18);
    const args = [`--topic=${topic}`, `--dlq-topic=${topic}-dlq`, `--group=${group}`, "--json"];
    // Nothing listens on 18099: every schema fetch is refused.
    const down = spawnScript(
      "consumer.ts",
      [...args, "--schema-registry=http://127.0.0.1:18099/apis/ccompat/v7"],
      await brokerEnv(),
    );
    await waitFor(() => down.stderr().includes("will be retried"), {
      timeoutMs: 60_000,
      message: "the consumer to fail its first batch for want of the registry",
    });
    assert.match(down.stderr(), /schema registry call 5\/6 .* failed, retrying in 3200 ms/);
    down.child.kill("SIGTERM");
    const stopped = await down.done;
    const summary = jsonLines(stopped.stdout).find((l) => l.event === "summary")!;
    assert.equal(summary.processed, 0);
    assert.equal(summary.sentToDlq, 0);
    assert.equal((await readTopic(await testBrokers(), `${topic}-dlq`)).length, 0);

    const back = await runScript(
      "consumer.ts",
      [...args, `--schema-registry=${await testRegistry()}`, "--idle-exit=2"],
      await brokerEnv(),
    );
    assert.equal(back.code, 0, back.stderr);
    const after = jsonLines(back.stdout).find((l) => l.event === "summary")!;
    assert.equal(after.processed, 5);
    assert.equal(after.sentToDlq, 0);
    assert.deepEqual(after.aggregate, groundTruth(5, { seed: 18 }).aggregate);
  },
});
