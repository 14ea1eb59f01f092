import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { addCents, emptyAggregate, summarize } from "./lib/order/aggregate.ts";
import { toCents } from "./lib/order/money.ts";
import { DLQ_HEADERS, parseDlqHeaders } from "./lib/dlq/headers.ts";
import type { GeneratorOptions } from "./lib/order/generator.ts";
import {
  brokerEnv,
  createTopic,
  type GroundTruth,
  groundTruth,
  INTEGRATION,
  jsonLines,
  produceOrders,
  readTopic,
  runScript,
  type ScriptResult,
  sendMessages,
  spawnScript,
  testBrokers,
  testKafka,
  uniqueName,
  waitFor,
} from "./lib/testing/harness.ts";

/**
 * A new topic holding `count` orders of `generator` (`flags` go to the
 * producer), and a new group that has not read it.
 */
async function ordersTopic(
  count: number,
  generator: Omit<GeneratorOptions, "encode">,
  flags: string[] = [],
): Promise<{ topic: string; group: string }> {
  const topic = uniqueName("orders");
  await produceOrders(topic, count, generator, flags);
  return { topic, group: uniqueName("group") };
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

/** Runs the consumer on `topic` as `group` with `extra` flags until it exits, expecting 0. */
async function consume(topic: string, group: string, extra: string[]): Promise<ScriptResult> {
  const result = await runScript(
    "consumer.ts",
    consumerArgs(topic, group, extra),
    await brokerEnv(),
  );
  assert.equal(result.code, 0, result.stderr);
  return result;
}

/** The `summary` line of a consumer's `--json` output. */
function summaryOf(stdout: string): Record<string, unknown> {
  const summary = jsonLines(stdout).find((l) => l.event === "summary");
  assert.ok(summary, stdout);
  return summary;
}

/** Asserts every count of a consumer's summary, and its aggregate, against the run's ground truth. */
function assertSummary(summary: Record<string, unknown>, truth: GroundTruth): void {
  const { deserialization, validation, processing } = truth.deadLetters;
  assert.equal(summary.consumed, truth.records.length);
  assert.equal(summary.processed, truth.aggregate.count);
  assert.equal(summary.sentToDlq, deserialization + validation + processing);
  assert.equal(summary.retries, truth.retries);
  assert.deepEqual(summary.aggregate, truth.aggregate);
}

/** The records the consumer dead-lettered from `topic`. */
async function deadLetters(topic: string) {
  return await readTopic(await testBrokers(), `${topic}-dlq`);
}

Deno.test({
  name: "pipeline: 1,000 orders through the broker are counted exactly, with the exact average",
  ...INTEGRATION,
  async fn() {
    const { topic, group } = await ordersTopic(1000, { seed: 3 });
    const result = await consume(topic, group, ["--quiet", "--idle-exit=2"]);
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
    const generator = { seed: 5, corruptRate: 0.05, invalidRate: 0.05 };
    const { topic, group } = await ordersTopic(1000, generator);
    const result = await consume(topic, group, ["--json", "--idle-exit=2"]);
    const truth = groundTruth(1000, generator);
    const bad = truth.records.filter((r) => r.kind !== "valid");
    // Without --fail-rate, every valid order is counted and nothing is retried.
    assert.deepEqual([truth.records.length, truth.aggregate.count, truth.retries], [
      1000,
      1000 - bad.length,
      0,
    ]);
    assertSummary(summaryOf(result.stdout), truth);
    assert.deepEqual(await stats(topic, group), truth.aggregate);

    const dlq = await deadLetters(topic);
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
    const { topic, group } = await ordersTopic(400, { seed: 9 });
    const result = await consume(topic, group, [
      "--json",
      "--idle-exit=2",
      "--fail-rate=0.3",
      "--seed=21",
      "--backoff-ms=1",
      "--backoff-multiplier=2",
    ]);
    const truth = groundTruth(400, { seed: 9 }, { failRate: 0.3, seed: 21, maxRetries: 3 });
    assert.ok(truth.deadLetters.processing > 0);
    assertSummary(summaryOf(result.stdout), truth);
    const dlq = await deadLetters(topic);
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
    const { topic, group } = await ordersTopic(1500, { seed: 13 });
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
    const { topic, group } = await ordersTopic(1000, { seed: 19 });
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
    const summary = summaryOf(result.stdout);
    const processed = jsonLines(result.stdout).filter((l) => l.event === "processed").length;
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
    const generator = { seed: 17, invalidRate: 0.02 };
    const { topic, group } = await ordersTopic(2000, generator);
    const args = ["--quiet", "--idle-exit=4"];
    await Promise.all([consume(topic, group, args), consume(topic, group, args)]);
    const truth = groundTruth(2000, generator);
    assert.deepEqual(await stats(topic, group), truth.aggregate);
  },
});

Deno.test({
  name: "consumer keeps its group membership through a backoff longer than the session timeout",
  ...INTEGRATION,
  async fn() {
    const { topic, group } = await ordersTopic(1, { seed: 1 });
    const result = await consume(topic, group, [
      "--json",
      "--idle-exit=2",
      "--fail-rate=1",
      "--retries=1",
      "--backoff-ms=9000",
      "--session-timeout=6000",
      "--heartbeat-interval=1000",
    ]);
    const joined = jsonLines(result.stdout).filter((l) => l.event === "joined");
    assert.equal(joined.length, 1, result.stdout);
    const summary = summaryOf(result.stdout);
    assert.equal(summary.joins, 1);
    assert.equal(summary.retries, 1);
    assert.equal(summary.sentToDlq, 1);
    assert.equal((await deadLetters(topic)).length, 1);
  },
});

Deno.test({
  name: "consumer refuses a partition whose committed offset carries no aggregate state",
  ...INTEGRATION,
  async fn() {
    const { topic, group } = await ordersTopic(50, { seed: 23 });
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
    const { topic, group } = await ordersTopic(30, { seed: 29 }, ["--partitions=1"]);
    const args = ["--quiet", "--idle-exit=2", "--partitions=1"];
    await consume(topic, group, args);
    await produceOrders(topic, 30, { seed: 31 }, ["--partitions=1"]);
    const admin = testKafka(await testBrokers()).admin();
    await admin.connect();
    try {
      // What retention would do: records 30..44 go before the group reads them.
      await admin.fetchTopicMetadata({ topics: [topic] });
      await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: "45" }] });
    } finally {
      await admin.disconnect();
    }
    const result = await consume(topic, group, args);
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
    const truth = groundTruth(60, { seed: 37 });
    // Three transactions: each leaves a commit marker at an offset of its own.
    for (let i = 0; i < 3; i++) {
      const batch = truth.records.slice(i * 20, i * 20 + 20);
      await sendMessages(brokers, topic, batch, { transaction: "commit" });
    }
    const result = await consume(topic, group, ["--quiet", "--idle-exit=2", "--partitions=1"]);
    assert.equal(result.stderr, "");
    assert.match(result.stdout, /Messages consumed: 60\n/);
    assert.deepEqual(await stats(topic, group), truth.aggregate);
  },
});

Deno.test({
  name: "consumer with --idle-exit stops after a tail of aborted transactional records",
  ...INTEGRATION,
  async fn() {
    const { topic, group } = await ordersTopic(20, { seed: 41 }, ["--partitions=1"]);
    const flags = ["--quiet", "--idle-exit=2", "--partitions=1"];
    await consume(topic, group, flags);
    // Records the consumer must never see (read committed), then the abort
    // marker: kafkajs steps over such a batch without calling eachBatch.
    const records = groundTruth(5, { seed: 43 }).records;
    await sendMessages(await testBrokers(), topic, records, { transaction: "abort" });
    // Only the aborted records and their marker are left to fetch.
    const run = spawnScript("consumer.ts", consumerArgs(topic, group, flags), await brokerEnv());
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
