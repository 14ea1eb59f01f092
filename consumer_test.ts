import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { addCents, emptyAggregate, summarize } from "./lib/order/aggregate.ts";
import { toCents } from "./lib/order/money.ts";
import { DLQ_HEADERS, parseDlqHeaders } from "./lib/dlq/headers.ts";
import {
  brokerEnv,
  createTopic,
  groundTruth,
  INTEGRATION,
  jsonLines,
  readTopic,
  runScript,
  spawnScript,
  testBrokers,
  testKafka,
  uniqueName,
  waitFor,
} from "./lib/testing/harness.ts";

async function produce(topic: string, args: string[]): Promise<void> {
  const result = await runScript("producer.ts", [
    `--topic=${topic}`,
    `--dlq-topic=${topic}-dlq`,
    "--quiet",
    ...args,
  ], await brokerEnv());
  assert.equal(result.code, 0, result.stderr);
}

async function stats(topic: string, group: string): Promise<unknown> {
  const result = await runScript("stats.ts", [
    "--",
    "--json",
    `--topic=${topic}`,
    `--group=${group}`,
  ], await brokerEnv());
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout);
}

function consumerArgs(topic: string, group: string, extra: string[]): string[] {
  return [`--topic=${topic}`, `--dlq-topic=${topic}-dlq`, `--group=${group}`, ...extra];
}

Deno.test({
  name: "pipeline: 1,000 orders through the broker are counted exactly, with the exact average",
  ...INTEGRATION,
  async fn() {
    const topic = uniqueName("orders");
    const group = uniqueName("group");
    await produce(topic, ["1000", "--seed=3"]);
    const result = await runScript(
      "consumer.ts",
      consumerArgs(topic, group, ["--quiet", "--idle-exit=2"]),
      await brokerEnv(),
    );
    assert.equal(result.code, 0, result.stderr);
    const truth = groundTruth(1000, { seed: 3 });
    assert.equal(truth.aggregate.count, 1000);
    assert.match(result.stdout, /Messages consumed: 1000\n/);
    assert.match(result.stdout, /Total orders aggregated: 1000\n/);
    const avg = truth.aggregate.average.toLocaleString("en-US", { minimumFractionDigits: 2 });
    assert.ok(result.stdout.includes(`Running average price: $${avg}\n`), result.stdout);
    assert.deepEqual(await stats(topic, group), truth.aggregate);
  },
});

Deno.test({
  name: "consumer aggregates exactly the valid orders and dead-letters bad records byte for byte",
  ...INTEGRATION,
  async fn() {
    const topic = uniqueName("orders");
    const group = uniqueName("group");
    await produce(topic, ["1000", "--seed=5", "--corrupt-rate=0.05", "--invalid-rate=0.05"]);
    const result = await runScript(
      "consumer.ts",
      consumerArgs(topic, group, ["--json", "--idle-exit=2"]),
      await brokerEnv(),
    );
    assert.equal(result.code, 0, result.stderr);
    const truth = groundTruth(1000, { seed: 5, corruptRate: 0.05, invalidRate: 0.05 });
    const bad = truth.records.filter((r) => r.kind !== "valid");
    const summary = jsonLines(result.stdout).find((l) => l.event === "summary")!;
    assert.equal(summary.consumed, 1000);
    assert.equal(summary.processed, 1000 - bad.length);
    assert.equal(summary.sentToDlq, bad.length);
    assert.equal(summary.retries, 0);
    assert.deepEqual(summary.aggregate, truth.aggregate);
    assert.deepEqual(await stats(topic, group), truth.aggregate);

    const dlq = await readTopic(await testBrokers(), `${topic}-dlq`);
    assert.equal(dlq.length, bad.length);
    const source = new Map(
      (await readTopic(await testBrokers(), topic)).map((r) => [`${r.partition}@${r.offset}`, r]),
    );
    const byKey = new Map(bad.map((r) => [r.key, r]));
    for (const record of dlq) {
      const want = byKey.get(record.key!);
      assert.ok(want, `unexpected DLQ key ${record.key}`);
      byKey.delete(record.key!);
      assert.ok(Buffer.from(want.value).equals(record.value!), `bytes of ${record.key}`);
      const h = parseDlqHeaders(record.headers);
      assert.equal(h.topic, topic);
      assert.equal(h.group, group);
      assert.equal(h.errorType, want.kind === "corrupt" ? "deserialization" : "validation");
      assert.equal(h.errorClass, want.kind === "corrupt" ? "AvroDecodeError" : "ValidationError");
      assert.equal(h.attempts, 1);
      assert.ok(h.failedAt instanceof Date);
      assert.equal((record.headers[DLQ_HEADERS.partition] as Buffer).length, 4);
      assert.equal((record.headers[DLQ_HEADERS.offset] as Buffer).length, 8);
      const original = source.get(`${h.partition}@${h.offset}`);
      assert.ok(original, `original record ${h.partition}@${h.offset}`);
      assert.equal(original.key, record.key);
      assert.equal(h.timestamp, original.timestamp);
    }
    assert.equal(byKey.size, 0);
  },
});

Deno.test({
  name: "consumer retries and dead-letters exactly what the seeded failures imply",
  ...INTEGRATION,
  async fn() {
    const topic = uniqueName("orders");
    const group = uniqueName("group");
    await produce(topic, ["400", "--seed=9"]);
    const result = await runScript(
      "consumer.ts",
      consumerArgs(topic, group, [
        "--json",
        "--idle-exit=2",
        "--fail-rate=0.3",
        "--seed=21",
        "--backoff-ms=1",
        "--backoff-multiplier=2",
      ]),
      await brokerEnv(),
    );
    assert.equal(result.code, 0, result.stderr);
    const truth = groundTruth(400, { seed: 9 }, { failRate: 0.3, seed: 21, maxRetries: 3 });
    assert.ok(truth.deadLetters.processing > 0);
    const summary = jsonLines(result.stdout).find((l) => l.event === "summary")!;
    assert.equal(summary.retries, truth.retries);
    assert.equal(summary.sentToDlq, truth.deadLetters.processing);
    assert.deepEqual(summary.aggregate, truth.aggregate);
    const dlq = await readTopic(await testBrokers(), `${topic}-dlq`);
    assert.equal(dlq.length, truth.deadLetters.processing);
    for (const record of dlq) {
      const h = parseDlqHeaders(record.headers);
      assert.equal(h.errorType, "processing");
      assert.equal(h.attempts, 4);
      assert.equal(h.errorMessage, "max retries exceeded: Simulated processing failure");
    }
  },
});

Deno.test({
  name: "consumer killed with SIGKILL at three points ends with the exact aggregate",
  ...INTEGRATION,
  async fn() {
    const topic = uniqueName("orders");
    const group = uniqueName("group");
    await produce(topic, ["1500", "--seed=13"]);
    // Retries with short backoffs slow the run and add commits mid-batch,
    // so the kills land while work is in flight.
    const args = consumerArgs(topic, group, [
      "--json",
      "--fail-rate=0.25",
      "--seed=4",
      "--retries=8",
      "--backoff-ms=5",
      "--backoff-multiplier=1",
      // A killed member stays in the group until its session times out, and
      // the next instance's join waits for that: keep it short.
      "--session-timeout=6000",
      "--heartbeat-interval=1000",
    ]);
    for (let kill = 1; kill <= 3; kill++) {
      const run = spawnScript("consumer.ts", args, await brokerEnv());
      await waitFor(
        () => run.stdout().split("\n").filter((l) => l.includes('"processed"')).length >= 150,
        { timeoutMs: 60_000, message: `150 orders processed before kill ${kill}` },
      );
      run.child.kill("SIGKILL");
      const { code } = await run.done;
      assert.notEqual(code, 0);
    }
    const final = await runScript("consumer.ts", [...args, "--idle-exit=3"], await brokerEnv());
    assert.equal(final.code, 0, final.stderr);
    const truth = groundTruth(1500, { seed: 13 }, { failRate: 0.25, seed: 4, maxRetries: 8 });
    assert.deepEqual(await stats(topic, group), truth.aggregate);
  },
});

Deno.test({
  name: "consumer on SIGTERM commits the records it processed and exits 0",
  ...INTEGRATION,
  async fn() {
    const topic = uniqueName("orders");
    const group = uniqueName("group");
    await produce(topic, ["1000", "--seed=19"]);
    const run = spawnScript(
      "consumer.ts",
      consumerArgs(topic, group, [
        "--json",
        "--fail-rate=0.3",
        "--backoff-ms=20",
        "--backoff-multiplier=1",
      ]),
      await brokerEnv(),
    );
    await waitFor(
      () => run.stdout().split("\n").filter((l) => l.includes('"processed"')).length >= 100,
      { message: "100 orders processed" },
    );
    run.child.kill("SIGTERM");
    const result = await run.done;
    assert.equal(result.code, 0, result.stderr);
    const lines = jsonLines(result.stdout);
    const summary = lines.find((l) => l.event === "summary")!;
    const processed = lines.filter((l) => l.event === "processed").length;
    assert.ok((summary.processed as number) < 1000);
    // Every order it reported is in the committed aggregate, and nothing else.
    assert.equal(processed, summary.processed);
    assert.deepEqual(await stats(topic, group), summary.aggregate);
    assert.equal((summary.aggregate as { count: number }).count, processed);
  },
});

Deno.test({
  name: "two consumer instances on a 3-partition topic give one exact global aggregate",
  ...INTEGRATION,
  async fn() {
    const topic = uniqueName("orders");
    const group = uniqueName("group");
    await produce(topic, ["2000", "--seed=17", "--invalid-rate=0.02"]);
    const args = consumerArgs(topic, group, ["--quiet", "--idle-exit=4"]);
    const a = spawnScript("consumer.ts", args, await brokerEnv());
    const b = spawnScript("consumer.ts", args, await brokerEnv());
    const [ra, rb] = await Promise.all([a.done, b.done]);
    assert.equal(ra.code, 0, ra.stderr);
    assert.equal(rb.code, 0, rb.stderr);
    const truth = groundTruth(2000, { seed: 17, invalidRate: 0.02 });
    assert.deepEqual(await stats(topic, group), truth.aggregate);
  },
});

Deno.test({
  name: "consumer keeps its group membership through a backoff longer than the session timeout",
  ...INTEGRATION,
  async fn() {
    const topic = uniqueName("orders");
    const group = uniqueName("group");
    await produce(topic, ["1", "--seed=1"]);
    const result = await runScript(
      "consumer.ts",
      consumerArgs(topic, group, [
        "--json",
        "--idle-exit=2",
        "--fail-rate=1",
        "--retries=1",
        "--backoff-ms=9000",
        "--session-timeout=6000",
        "--heartbeat-interval=1000",
      ]),
      await brokerEnv(),
    );
    assert.equal(result.code, 0, result.stderr);
    const lines = jsonLines(result.stdout);
    assert.equal(lines.filter((l) => l.event === "joined").length, 1, result.stdout);
    const summary = lines.find((l) => l.event === "summary")!;
    assert.equal(summary.joins, 1);
    assert.equal(summary.retries, 1);
    assert.equal(summary.sentToDlq, 1);
    assert.equal((await readTopic(await testBrokers(), `${topic}-dlq`)).length, 1);
  },
});

Deno.test({
  name: "consumer refuses a partition whose committed offset carries no aggregate state",
  ...INTEGRATION,
  async fn() {
    const topic = uniqueName("orders");
    const group = uniqueName("group");
    await produce(topic, ["50", "--seed=23"]);
    // setOffsets commits through kafkajs's seek, without metadata: the
    // foreign commit the consumer must not trust.
    const admin = testKafka(await testBrokers()).admin();
    await admin.connect();
    try {
      await admin.setOffsets({
        groupId: group,
        topic,
        partitions: [{ partition: 1, offset: "5" }],
      });
    } finally {
      await admin.disconnect();
    }
    const result = await runScript(
      "consumer.ts",
      consumerArgs(topic, group, ["--quiet", "--idle-exit=2"]),
      await brokerEnv(),
    );
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      new RegExp(`${topic}\\[1\\]: offset 5 was committed without aggregate state`),
    );
  },
});

Deno.test({
  name: "consumer says which records retention deleted before it processed them",
  ...INTEGRATION,
  async fn() {
    const topic = uniqueName("orders");
    const group = uniqueName("group");
    await produce(topic, ["30", "--seed=29", "--partitions=1"]);
    const args = consumerArgs(topic, group, ["--quiet", "--idle-exit=2", "--partitions=1"]);
    assert.equal((await runScript("consumer.ts", args, await brokerEnv())).code, 0);
    await produce(topic, ["30", "--seed=31", "--partitions=1"]);
    const admin = testKafka(await testBrokers()).admin();
    await admin.connect();
    try {
      // What retention would do: records 30..44 go before the group reads them.
      await admin.fetchTopicMetadata({ topics: [topic] });
      await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: "45" }] });
    } finally {
      await admin.disconnect();
    }
    const result = await runScript("consumer.ts", args, await brokerEnv());
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stderr,
      /\[0\]: records 30\.\.44 were deleted by retention before this group processed them/,
    );
    const first = groundTruth(30, { seed: 29 }).records;
    const second = groundTruth(30, { seed: 31 }).records.slice(15);
    const agg = emptyAggregate();
    for (const r of [...first, ...second]) addCents(agg, toCents(Math.fround(r.order.price)));
    assert.deepEqual(await stats(topic, group), summarize(agg));
  },
});

Deno.test({
  name: "consumer moves past transaction markers without reporting them as lost records",
  ...INTEGRATION,
  async fn() {
    const topic = uniqueName("orders");
    const group = uniqueName("group");
    const brokers = await testBrokers();
    await createTopic(brokers, topic, 1);
    const records = groundTruth(60, { seed: 37 }).records;
    const producer = testKafka(brokers).producer({
      transactionalId: uniqueName("txn"),
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    try {
      // Three transactions: each leaves a commit marker at an offset of its own.
      for (let i = 0; i < 3; i++) {
        const txn = await producer.transaction();
        await txn.send({
          topic,
          messages: records.slice(i * 20, i * 20 + 20).map((r) => ({ key: r.key, value: r.value })),
        });
        await txn.commit();
      }
    } finally {
      await producer.disconnect();
    }
    const result = await runScript(
      "consumer.ts",
      consumerArgs(topic, group, ["--quiet", "--idle-exit=2", "--partitions=1"]),
      await brokerEnv(),
    );
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, "");
    assert.match(result.stdout, /Messages consumed: 60\n/);
    assert.deepEqual(await stats(topic, group), groundTruth(60, { seed: 37 }).aggregate);
  },
});

Deno.test({
  name: "consumer with --idle-exit stops after a tail of aborted transactional records",
  ...INTEGRATION,
  async fn() {
    const topic = uniqueName("orders");
    const group = uniqueName("group");
    const brokers = await testBrokers();
    await produce(topic, ["20", "--seed=41", "--partitions=1"]);
    const args = consumerArgs(topic, group, ["--quiet", "--idle-exit=2", "--partitions=1"]);
    assert.equal((await runScript("consumer.ts", args, await brokerEnv())).code, 0);
    const records = groundTruth(5, { seed: 43 }).records;
    const producer = testKafka(brokers).producer({
      transactionalId: uniqueName("txn"),
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    try {
      // Records the consumer must never see (read committed), then the abort
      // marker: kafkajs steps over such a batch without calling eachBatch.
      const txn = await producer.transaction();
      await txn.send({ topic, messages: records.map((r) => ({ key: r.key, value: r.value })) });
      await txn.abort();
    } finally {
      await producer.disconnect();
    }
    // Only the aborted records and their marker are left to fetch.
    const run = spawnScript("consumer.ts", args, await brokerEnv());
    let finished = false;
    run.done.then(() => (finished = true));
    try {
      await waitFor(() => finished, {
        timeoutMs: 30_000,
        message: "the consumer to stop once caught up",
      });
    } finally {
      if (!finished) run.child.kill("SIGKILL");
    }
    const result = await run.done;
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Messages consumed: 0\n/);
    assert.deepEqual(await stats(topic, group), groundTruth(20, { seed: 41 }).aggregate);
  },
});

Deno.test("consumer exits 2 with usage on a bad flag or value", async () => {
  for (const args of [["--bogus"], ["--fail-rate=1.5"], ["--retries=x"]]) {
    const result = await runScript("consumer.ts", args);
    assert.equal(result.code, 2, `args ${args}`);
    assert.match(result.stderr, /^error: .+\n\nUsage: deno task consume/);
  }
  const result = await runScript("consumer.ts", ["--fail-rate=1.5"]);
  assert.match(result.stderr, /--fail-rate must be in \[0, 1\]: current value is 1\.5/);
});
