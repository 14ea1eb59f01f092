import assert from "node:assert/strict";
import { AvroDecodeError, decodeOrder } from "./lib/order/codec.ts";
import { partitionFor } from "./lib/kafka/partitioner.ts";
import { generateRecords } from "./lib/order/generator.ts";
import {
  brokerEnv,
  INTEGRATION,
  jsonLines,
  readTopic,
  runScript,
  spawnScript,
  testBrokers,
  uniqueName,
  waitFor,
} from "./lib/testing/harness.ts";
import { validateOrder } from "./lib/order/validate.ts";
import { parseProducerArgs } from "./producer.ts";

Deno.test({
  name: "producer sends 500 seeded orders that read back exactly, keyed by orderId",
  ...INTEGRATION,
  async fn() {
    const topic = uniqueName("orders");
    const result = await runScript("producer.ts", [
      "--count=500",
      "--seed=7",
      `--topic=${topic}`,
      `--dlq-topic=${topic}-dlq`,
      "--quiet",
    ], await brokerEnv());
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Messages produced: 500\n/);

    const records = await readTopic(await testBrokers(), topic);
    assert.equal(records.length, 500);
    const expected = new Map(generateRecords(500, { seed: 7 }).map((r) => [r.key, r]));
    const seen = new Set<string>();
    for (const record of records) {
      const want = expected.get(record.key!);
      assert.ok(want, `unexpected key ${record.key}`);
      seen.add(record.key!);
      assert.deepEqual(record.value, want.value);
      assert.deepEqual(decodeOrder(record.value), {
        ...want.order,
        price: Math.fround(want.order.price),
      });
      assert.equal(record.partition, partitionFor(record.key!, 3));
    }
    assert.equal(seen.size, 500);
  },
});

Deno.test({
  name: "producer injects exactly the poison pills its summary reports",
  ...INTEGRATION,
  async fn() {
    const topic = uniqueName("orders");
    const result = await runScript("producer.ts", [
      "300",
      "--seed=11",
      "--corrupt-rate=0.1",
      "--invalid-rate=0.1",
      `--topic=${topic}`,
      `--dlq-topic=${topic}-dlq`,
      "--json",
    ], await brokerEnv());
    assert.equal(result.code, 0, result.stderr);
    const summary = jsonLines(result.stdout).find((l) => l.event === "summary")!;
    const truth = generateRecords(300, { seed: 11, corruptRate: 0.1, invalidRate: 0.1 });
    const corrupt = truth.filter((r) => r.kind === "corrupt").length;
    const invalid = truth.filter((r) => r.kind === "invalid").length;
    assert.ok(corrupt > 0 && invalid > 0);
    assert.equal(summary.corrupt, corrupt);
    assert.equal(summary.invalid, invalid);
    assert.equal(summary.produced, 300);

    let undecodable = 0;
    let rejected = 0;
    for (const record of await readTopic(await testBrokers(), topic)) {
      try {
        validateOrder(decodeOrder(record.value));
      } catch (error) {
        if (error instanceof AvroDecodeError) undecodable += 1;
        else rejected += 1;
      }
    }
    assert.equal(undecodable, corrupt);
    assert.equal(rejected, invalid);
  },
});

Deno.test({
  name: "producer exits 1 with one line when the broker port is closed",
  ...INTEGRATION,
  async fn() {
    const started = performance.now();
    const result = await runScript("producer.ts", [
      "10",
      "--brokers=127.0.0.1:1",
      "--connect-timeout=5",
    ]);
    const seconds = (performance.now() - started) / 1000;
    assert.equal(result.code, 1);
    const lines = result.stderr.trim().split("\n");
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0], /^error: cannot reach Kafka at 127\.0\.0\.1:1: /);
    // The bound is the connect timeout plus process start-up, not kafkajs's minutes of retries.
    assert.ok(seconds < 15, `took ${seconds.toFixed(1)} s`);
  },
});

Deno.test({
  name: "producer on SIGTERM flushes, exits 0 and reports exactly what the topic holds",
  ...INTEGRATION,
  async fn() {
    const topic = uniqueName("orders");
    const run = spawnScript("producer.ts", [
      "--count=100000",
      "--rate=300",
      `--topic=${topic}`,
      `--dlq-topic=${topic}-dlq`,
      "--json",
    ], await brokerEnv());
    await waitFor(
      () => run.stdout().split("\n").filter((l) => l.includes("delivered")).length >= 50,
      {
        message: "50 deliveries",
      },
    );
    run.child.kill("SIGTERM");
    const result = await run.done;
    assert.equal(result.code, 0, result.stderr);
    const summary = jsonLines(result.stdout).find((l) => l.event === "summary")!;
    assert.equal(summary.interrupted, true);
    const produced = summary.produced as number;
    assert.ok(produced >= 50 && produced < 100000);
    assert.equal(summary.generated, produced);
    const records = await readTopic(await testBrokers(), topic);
    assert.equal(records.length, produced);
  },
});

Deno.test("producer exits 2 with usage on a bad flag or value", async () => {
  for (const args of [["--no-such-flag"], ["--rate=-1"], ["--compression=lz4"], ["ten"]]) {
    const result = await runScript("producer.ts", args);
    assert.equal(result.code, 2, `args ${args}`);
    assert.match(result.stderr, /^error: .+\n\nUsage: deno task produce/);
  }
  const help = await runScript("producer.ts", ["--", "--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: deno task produce/);
});

Deno.test("parseProducerArgs() reads --replication-factor and --verbose", () => {
  const config = parseProducerArgs(["--replication-factor=3", "--verbose"]);
  assert.ok(config !== "help");
  assert.deepEqual([config.replicationFactor, config.verbose], [3, true]);
  const plain = parseProducerArgs([]);
  assert.ok(plain !== "help");
  assert.deepEqual([plain.replicationFactor, plain.verbose], [undefined, false]);
});

Deno.test({
  name: "producer --verbose and stats print the topic's leader and replicas per partition",
  ...INTEGRATION,
  async fn() {
    const topic = uniqueName("orders");
    const brokers = await testBrokers();
    const produced = await runScript("producer.ts", [
      "--count=10",
      `--topic=${topic}`,
      `--dlq-topic=${topic}-dlq`,
      "--quiet",
      "--verbose",
    ], await brokerEnv());
    assert.equal(produced.code, 0, produced.stderr);
    // One broker gives 1 replica; a cluster of three or more gives 3.
    const replicas = brokers.length >= 3 ? 3 : 1;
    const heading = `Topic ${topic}: 3 partitions, replication factor ${replicas}, ` +
      `min.insync.replicas ${Math.min(2, replicas)}`;
    const partition = (p: number) =>
      new RegExp(`^ {2}${topic}\\[${p}\\]: leader \\d+, replicas [\\d,]+, in sync [\\d,]+$`, "m");
    assert.match(produced.stdout, new RegExp(`^${heading}$`, "m"));
    for (const p of [0, 1, 2]) assert.match(produced.stdout, partition(p));
    const stats = await runScript("stats.ts", [`--topic=${topic}`, `--group=${uniqueName("g")}`], {
      KAFKA_BROKERS: brokers.join(","),
    });
    assert.equal(stats.code, 0, stats.stderr);
    assert.match(stats.stdout, new RegExp(`^${heading}$`, "m"));
  },
});

Deno.test("parseProducerArgs() takes count and delay positionally, as the reference does", () => {
  const config = parseProducerArgs(["--", "100", "0.5", "--seed=3"]);
  assert.ok(config !== "help");
  assert.equal(config.count, 100);
  assert.equal(config.delayMs, 500);
  assert.equal(config.seed, 3);
  assert.equal(config.compression, "snappy");
  assert.throws(
    () => parseProducerArgs(["--delay=1", "--rate=5"]),
    /give --delay or --rate, not both/,
  );
  assert.throws(
    () => parseProducerArgs(["--corrupt-rate=0.6", "--invalid-rate=0.6"]),
    /--corrupt-rate plus --invalid-rate must be at most 1: current sum is 1\.2/,
  );
});
