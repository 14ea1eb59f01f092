import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { addCents, emptyAggregate, summarize } from "./lib/order/aggregate.ts";
import { toCents } from "./lib/order/money.ts";
import { encodeOrder } from "./lib/order/codec.ts";
import { buildDlqHeaders } from "./lib/dlq/headers.ts";
import { dlqContext } from "./lib/dlq/_test_utils.ts";
import { partitionFor } from "./lib/kafka/partitioner.ts";
import { type GeneratedRecord, generateRecords } from "./lib/order/generator.ts";
import { expectedOutcome } from "./lib/order/process.ts";
import {
  brokerEnv,
  createTopic,
  groundTruth as harnessGroundTruth,
  INTEGRATION,
  produceOrders,
  readTopic,
  runScript,
  sendMessages,
  spawnScript,
  testBrokers,
  testKafka,
  uniqueName,
  waitFor,
} from "./lib/testing/harness.ts";

// One run of the pipeline with failures of each kind; the tests below share it.
const COUNT = 200;
const GENERATOR = { seed: 11, corruptRate: 0.05, invalidRate: 0.05 };
const FAIL_RATE = 0.2;
const FAIL_SEED = 23;
const RETRIES = 1;
const PARTITIONS = 3;

/** Runs a script, expecting exit code 0, and returns its stdout. */
async function run(script: string, args: string[]): Promise<string> {
  const result = await runScript(script, args, await brokerEnv());
  assert.equal(
    result.code,
    0,
    `${script} ${args.join(" ")} exited ${result.code}:\n${result.stderr}`,
  );
  return result.stdout;
}

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

function jsonLines(stdout: string): Json[] {
  return stdout.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l));
}

function lastSummary(stdout: string): Json {
  const summary = jsonLines(stdout).at(-1);
  assert.equal(summary?.event, "summary", stdout);
  return summary!;
}

async function endOffsets(topic: string): Promise<Map<number, string>> {
  const admin = testKafka(await testBrokers()).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((o) => [o.partition, o.high]));
  } finally {
    await admin.disconnect();
  }
}

/** Runs `dlq_consumer --replay --json` on `dlq` as `group`, with `extra` flags; returns its stdout. */
function replay(dlq: string, group: string, extra: string[] = []): Promise<string> {
  return run("dlq_consumer.ts", [
    "--replay",
    `--topic=${dlq}`,
    `--group=${group}`,
    "--json",
    ...extra,
  ]);
}

/** A new DLQ topic and a new topic for its replays, of one partition each. */
async function replayTopics(): Promise<{ brokers: string[]; dlq: string; target: string }> {
  const brokers = await testBrokers();
  const dlq = uniqueName("dlq");
  const target = uniqueName("orders");
  await createTopic(brokers, dlq, 1);
  await createTopic(brokers, target, 1);
  return { brokers, dlq, target };
}

function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= fn());
}

/** What the pipeline run must have dead-lettered, from the generator and the failure simulation. */
function groundTruth() {
  const records = generateRecords(COUNT, GENERATOR);
  const processingFailure = (r: GeneratedRecord) =>
    r.kind === "valid" &&
    expectedOutcome(FAIL_SEED, r.order.orderId, FAIL_RATE, RETRIES).deadLettered;
  const dead = records.filter((r) => r.kind !== "valid" || processingFailure(r));
  let valueCents = 0;
  for (const r of dead) {
    if (r.kind === "corrupt") continue;
    const price = Math.fround(r.order.price); // Avro float
    if (Number.isFinite(price) && price > 0) valueCents += toCents(price);
  }
  const allValid = emptyAggregate();
  for (const r of records) {
    if (r.kind === "valid") addCents(allValid, toCents(Math.fround(r.order.price)));
  }
  return {
    records,
    dead,
    processing: records.filter(processingFailure),
    byType: {
      deserialization: records.filter((r) => r.kind === "corrupt").length,
      validation: records.filter((r) => r.kind === "invalid").length,
      processing: records.filter(processingFailure).length,
    },
    valueCents,
    allValid: summarize(allValid),
  };
}

/** Produces and consumes once: the DLQ then holds failures of all three consumer kinds. */
const pipeline = once(async () => {
  const topic = uniqueName("orders");
  const dlq = `${topic}-dlq`;
  const group = uniqueName("processors");
  await produceOrders(topic, COUNT, GENERATOR, [`--partitions=${PARTITIONS}`]);
  const consumed = lastSummary(
    await run("consumer.ts", [
      `--topic=${topic}`,
      `--dlq-topic=${dlq}`,
      `--group=${group}`,
      "--idle-exit=2",
      `--fail-rate=${FAIL_RATE}`,
      `--seed=${FAIL_SEED}`,
      `--retries=${RETRIES}`,
      "--backoff-ms=1",
      "--json",
    ]),
  );
  const truth = groundTruth();
  assert.equal(consumed.consumed, COUNT);
  assert.equal(consumed.sentToDlq, truth.dead.length);
  return { topic, dlq, group, truth };
});

/** Replays the pipeline's DLQ once with the default filters. */
const replayed = once(async () => {
  const p = await pipeline();
  const group = uniqueName("replayer");
  const before = await endOffsets(p.topic);
  const stdout = await replay(p.dlq, group);
  return { ...p, replayGroup: group, before, stdout };
});

Deno.test({
  name: "dlq_consumer counts failures by type and their exact value, as the generator predicts",
  ...INTEGRATION,
  async fn() {
    const { topic, dlq, truth } = await pipeline();
    // Each kind is present, so the test covers all three.
    assert.ok(Object.values(truth.byType).every((n) => n > 0), JSON.stringify(truth.byType));
    // The harness's own ground truth agrees on the counts.
    const harness = harnessGroundTruth(COUNT, GENERATOR, {
      failRate: FAIL_RATE,
      seed: FAIL_SEED,
      maxRetries: RETRIES,
    });
    assert.deepEqual(harness.deadLetters, truth.byType);
    const stdout = await run("dlq_consumer.ts", [
      `--topic=${dlq}`,
      `--group=${uniqueName("monitor")}`,
      "--from-beginning",
      "--idle-exit=2",
      "--json",
    ]);
    const lines = jsonLines(stdout);
    const records = lines.filter((l) => l.event === "record");
    const summary = lastSummary(stdout);
    assert.equal(summary.total, truth.dead.length);
    assert.deepEqual(summary.byType, truth.byType);
    assert.equal(summary.totalValueCents, truth.valueCents);
    assert.equal(summary.totalValue, truth.valueCents / 100);
    assert.equal(
      summary.byMessage.find((m: Json) => m.message.startsWith("max retries exceeded"))?.count,
      truth.byType.processing,
    );
    const byPartition: Record<string, number> = {};
    for (const r of truth.dead) {
      const where = `${topic}[${partitionFor(r.key, PARTITIONS)}]`;
      byPartition[where] = (byPartition[where] ?? 0) + 1;
    }
    assert.deepEqual(summary.byPartition, byPartition);
    assert.ok(summary.oldestFailure <= summary.newestFailure);
    // One line per record, numbered 1..N, for exactly the dead-lettered keys.
    assert.deepEqual(records.map((r) => r.n), truth.dead.map((_, i) => i + 1));
    assert.deepEqual(records.map((r) => r.key).sort(), truth.dead.map((r) => r.key).sort());
    const corrupt = records.filter((r) => r.errorType === "deserialization");
    assert.ok(corrupt.every((r) => r.order === null && r.decodeError !== null && r.hex !== ""));
  },
});

Deno.test({
  name:
    "dlq_consumer --replay of processing failures makes a clean re-run count every valid order once",
  ...INTEGRATION,
  async fn() {
    const { topic, dlq, group, truth, before, stdout } = await replayed();
    const summary = lastSummary(stdout);
    const n = truth.byType.processing;
    assert.deepEqual(
      {
        examined: summary.examined,
        replayed: summary.replayed,
        parked: summary.parked,
        skipped: summary.skipped,
        skippedByType: summary.skippedByType,
        byTarget: summary.byTarget,
      },
      {
        examined: truth.dead.length,
        replayed: n,
        parked: 0,
        skipped: truth.byType.deserialization + truth.byType.validation,
        skippedByType: {
          deserialization: truth.byType.deserialization,
          validation: truth.byType.validation,
        },
        byTarget: { [topic]: n },
      },
    );
    const replayedKeys = jsonLines(stdout).filter((l) => l.event === "replayed").map((l) => l.key);
    assert.deepEqual(replayedKeys.sort(), truth.processing.map((r) => r.key).sort());

    // The replayed records are the originals, byte for byte, with replay-count 1.
    const all = await readTopic(await testBrokers(), topic);
    const added = all.filter((r) => BigInt(r.offset) >= BigInt(before.get(r.partition)!));
    assert.equal(all.length, COUNT + n);
    assert.deepEqual(added.map((r) => r.key).sort(), truth.processing.map((r) => r.key).sort());
    const original = new Map(truth.processing.map((r) => [r.key, r]));
    for (const r of added) {
      const o = original.get(r.key!)!;
      assert.deepEqual(r.value, o.value);
      assert.equal(r.partition, partitionFor(o.key, PARTITIONS));
      assert.deepEqual(Object.keys(r.headers), ["replay-count"]);
      assert.equal(r.headers["replay-count"]?.toString(), "1");
    }

    // The same group again, without failures: it consumes just the replays.
    const rerun = lastSummary(
      await run("consumer.ts", [
        `--topic=${topic}`,
        `--dlq-topic=${dlq}`,
        `--group=${group}`,
        "--idle-exit=2",
        "--json",
      ]),
    );
    assert.equal(rerun.consumed, n);
    assert.equal(rerun.sentToDlq, 0);
    const stats = JSON.parse(
      await run("stats.ts", [`--topic=${topic}`, `--group=${group}`, "--json"]),
    );
    assert.deepEqual(stats, truth.allValid);
    assert.equal(stats.count, COUNT - truth.byType.deserialization - truth.byType.validation);
  },
});

Deno.test({
  name: "dlq_consumer --replay a second time sends nothing",
  ...INTEGRATION,
  async fn() {
    const { topic, dlq, replayGroup } = await replayed();
    const before = await endOffsets(topic);
    const stdout = await replay(dlq, replayGroup);
    const summary = lastSummary(stdout);
    assert.equal(summary.replayed, 0);
    assert.equal(summary.examined, 0);
    assert.equal(jsonLines(stdout).length, 1);
    assert.deepEqual(await endOffsets(topic), before);
  },
});

Deno.test({
  name: "dlq_consumer --replay parks a record at the replay limit and keeps the others' headers",
  ...INTEGRATION,
  async fn() {
    const { brokers, dlq, target } = await replayTopics();
    const atLimit = encodeOrder({ orderId: "ORD-00001", product: "Mouse", price: 29.99 });
    const below = encodeOrder({ orderId: "ORD-00002", product: "Laptop", price: 799.99 });
    const context = { "kafka_dlt-original-topic": target, "dlq-error-type": "processing" };
    // Written in a transaction, as Spring's DLQ publisher may: the commit
    // marker after the records must not keep the replay from finishing.
    await sendMessages(brokers, dlq, [
      { key: "ORD-00001", value: atLimit, headers: { ...context, "replay-count": "3" } },
      {
        key: "ORD-00002",
        value: below,
        headers: { ...context, "replay-count": "2", "trace-id": "t-2" },
      },
    ], { transaction: "commit" });
    const group = uniqueName("replayer");

    // A dry run shows the same decisions, but sends and commits nothing.
    const dry = lastSummary(await replay(dlq, group, ["--dry-run"]));
    assert.deepEqual([dry.wouldReplay, dry.replayed, dry.parked], [1, 0, 1]);
    assert.deepEqual(await endOffsets(target), new Map([[0, "0"]]));

    const stdout = await replay(dlq, group);
    const events = jsonLines(stdout);
    assert.deepEqual(events.slice(0, 2).map((e) => [e.event, e.key, e.offset]), [
      ["parked", "ORD-00001", "0"],
      ["replayed", "ORD-00002", "1"],
    ]);
    assert.equal(events[0].reason, "already replayed 3 times (limit 3)");
    const summary = lastSummary(stdout);
    assert.deepEqual([summary.replayed, summary.parked, summary.skipped], [1, 1, 0]);

    const out = await readTopic(brokers, target);
    assert.equal(out.length, 1);
    assert.equal(out[0].key, "ORD-00002");
    assert.deepEqual(out[0].value, below);
    assert.deepEqual(
      Object.fromEntries(Object.entries(out[0].headers).map(([k, v]) => [k, v?.toString()])),
      { "replay-count": "3", "trace-id": "t-2" },
    );
  },
});

Deno.test({
  name: "dlq_consumer --replay sends one copy of a record the consumer dead-lettered twice",
  ...INTEGRATION,
  async fn() {
    const { brokers, dlq, target } = await replayTopics();
    const value = encodeOrder({ orderId: "ORD-00007", product: "Tablet", price: 499.99 });
    // The same failure twice: the DLQ write was acknowledged, then the commit
    // did not happen (a crash), so the record was processed and dead-lettered again.
    const headers = buildDlqHeaders(
      undefined,
      dlqContext({
        topic: target,
        partition: 0,
        offset: "41",
        failedAt: new Date("2026-11-22T12:00:00Z"),
      }),
    );
    const copy = { key: "ORD-00007", value, headers };
    await sendMessages(brokers, dlq, [copy, copy]);
    const stdout = await replay(dlq, uniqueName("replayer"));
    const summary = lastSummary(stdout);
    assert.deepEqual([summary.replayed, summary.skipped, summary.skippedDuplicates], [1, 1, 1]);
    const out = await readTopic(brokers, target);
    assert.equal(out.length, 1);
    assert.deepEqual(out[0].value, value);
  },
});

Deno.test({
  name: "dlq_consumer shows records without context headers with `unknown` parts and a hex preview",
  ...INTEGRATION,
  async fn() {
    const brokers = await testBrokers();
    const dlq = uniqueName("dlq");
    await createTopic(brokers, dlq, 1);
    await sendMessages(brokers, dlq, [
      { key: "k1", value: Buffer.from("not avro at all, clearly") },
    ]);
    // In a transaction: the idle exit must see past its commit marker.
    await sendMessages(brokers, dlq, [{
      key: "ORD-00009",
      value: encodeOrder({ orderId: "ORD-00009", product: "Webcam", price: 59.5 }),
      // Another tool's way: decimal text, no error type.
      headers: {
        "kafka_dlt-original-topic": "orders",
        "kafka_dlt-original-partition": "2",
        "kafka_dlt-original-offset": "17",
        "kafka_dlt-exception-message": "timeout calling payments",
      },
    }], { transaction: "commit" });
    const stdout = await run("dlq_consumer.ts", [
      `--topic=${dlq}`,
      "--from-beginning",
      "--idle-exit=1",
    ]);
    const lines = stdout.split("\n");
    assert.ok(
      lines.includes(
        "DLQ Message #1: Key=k1, Value=24 bytes [6e 6f 74 20 61 76 72 6f 20 61 74 20 61 6c 6c 2c ...] " +
          "(not an order: truncated: orderId length 55 exceeds the 23 bytes left), Error=unknown (origin unknown, attempts unknown)",
      ),
      stdout,
    );
    assert.ok(
      lines.includes(
        "DLQ Message #2: OrderID=ORD-00009, Product=Webcam, Price=$59.50, " +
          "Error='timeout calling payments' (orders[2]@17, attempts unknown)",
      ),
      stdout,
    );
    for (
      const expected of [
        "Total failed messages: 2",
        "  - unknown: 2 occurrences",
        "Total value of failed orders: $59.50",
        "  - orders[2]: 1",
        "  - unknown: 1",
      ]
    ) {
      assert.ok(lines.includes(expected), `missing '${expected}' in:\n${stdout}`);
    }
  },
});

Deno.test({
  name: "dlq_consumer shows only new records by default and prints the summary on SIGTERM",
  ...INTEGRATION,
  async fn() {
    const brokers = await testBrokers();
    const dlq = uniqueName("dlq");
    await createTopic(brokers, dlq, 2);
    await sendMessages(brokers, dlq, [{ key: "old", value: Buffer.from("old") }]);
    const monitor = spawnScript("dlq_consumer.ts", [`--topic=${dlq}`], await brokerEnv());
    try {
      await waitFor(() => monitor.stdout().includes("DLQ Consumer started"), {
        message: `the monitor to start; stderr: ${monitor.stderr()}`,
      });
      await sendMessages(brokers, dlq, [{ key: "new", value: Buffer.from("new") }]);
      await waitFor(() => monitor.stdout().includes("DLQ Message #1: Key=new"), {
        message: `the new record; stdout: ${monitor.stdout()}`,
      });
    } finally {
      monitor.child.kill("SIGTERM");
    }
    const { code, stdout } = await monitor.done;
    assert.equal(code, 0);
    assert.ok(!stdout.includes("Key=old"), stdout);
    assert.ok(stdout.includes("\nTotal failed messages: 1\n"), stdout);
  },
});

Deno.test({
  name: "dlq_consumer rejects bad flags with exit code 2 and the usage",
  ...INTEGRATION,
  async fn() {
    for (
      const [args, message] of [
        [["--bogus"], "unknown flag '--bogus'"],
        [["--dry-run"], "--dry-run applies only with --replay"],
        [["--replay", "--from-beginning"], "--from-beginning does not apply to --replay"],
        [["--replay", "--error-type=processing,oops"], "--error-type must be one of"],
        [["--replay", "--since=yesterday"], "--since must be an ISO-8601 time"],
        [["--replay", "--max-replays=0"], "--max-replays must be >= 1"],
        [["--max-price=0"], "--max-price must be >= 0.01"],
        [["--replay", "--max-price=5"], "--max-price does not apply to --replay"],
      ] as const
    ) {
      const result = await runScript("dlq_consumer.ts", ["--", ...args], await brokerEnv());
      assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
      assert.ok(result.stderr.includes(message), result.stderr);
      assert.ok(result.stderr.includes("Usage: deno task dlq"), result.stderr);
    }
  },
});
