import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { parseDlqHeaders } from "./lib/dlq/headers.ts";
import { hostileRecords, hostileTruth } from "./lib/fuzz/hostile_stream.ts";
import {
  brokerEnv,
  createTopic,
  INTEGRATION,
  jsonLines,
  readTopic,
  runScript,
  testBrokers,
  testKafka,
  uniqueName,
} from "./lib/testing/harness.ts";

const PARTITIONS = 3;

/** Writes `records` with a plain kafkajs producer, record i to partition i % 3, in order. */
async function writeRaw(
  topic: string,
  records: { key: Buffer | null; value: Buffer | null }[],
): Promise<void> {
  const producer = testKafka(await testBrokers()).producer({ idempotent: true });
  await producer.connect();
  try {
    for (let start = 0; start < records.length; start += 500) {
      await producer.send({
        topic,
        acks: -1,
        messages: records.slice(start, start + 500).map((r, j) => ({
          key: r.key,
          value: r.value,
          partition: (start + j) % PARTITIONS,
        })),
      });
    }
  } finally {
    await producer.disconnect();
  }
}

Deno.test({
  name:
    "consumer aggregates exactly what the strict decode accepts from a hostile stream and dead-letters the rest byte for byte",
  ...INTEGRATION,
  async fn() {
    const brokers = await testBrokers();
    const topic = uniqueName("hostile");
    const group = uniqueName("group");
    await createTopic(brokers, topic, PARTITIONS);
    const records = hostileRecords(3000, 11);
    const truth = hostileTruth(records);
    // The exact mix this seed gives: every kind of hostile input is there.
    assert.deepEqual(truth.deadLetters, { deserialization: 1963, validation: 315 });
    assert.equal(truth.aggregate.count, 722);
    const kinds: Record<string, number> = {};
    for (const r of records) kinds[r.kind] = (kinds[r.kind] ?? 0) + 1;
    assert.deepEqual(kinds, {
      bitflip: 588,
      extend: 266,
      truncate: 368,
      length: 466,
      random: 288,
      valid: 556,
      tombstone: 93,
      utf8: 282,
      empty: 93,
    });
    await writeRaw(topic, records);

    const result = await runScript(
      "consumer.ts",
      [
        `--topic=${topic}`,
        `--dlq-topic=${topic}-dlq`,
        `--group=${group}`,
        "--json",
        "--idle-exit=2",
      ],
      await brokerEnv(),
    );
    assert.equal(result.code, 0, result.stderr);
    const summary = jsonLines(result.stdout).find((l) => l.event === "summary")!;
    assert.equal(summary.consumed, 3000);
    assert.equal(summary.processed, 722);
    assert.equal(summary.sentToDlq, 1963 + 315);
    assert.deepEqual(summary.aggregate, truth.aggregate);

    const dlq = await readTopic(brokers, `${topic}-dlq`);
    assert.equal(dlq.length, 1963 + 315);
    const seen = new Set<number>();
    for (const record of dlq) {
      const h = parseDlqHeaders(record.headers);
      // Record i went to partition i % 3 at offset floor(i / 3).
      const i = Number(h.offset) * PARTITIONS + h.partition!;
      assert.ok(!seen.has(i), `record ${i} dead-lettered twice`);
      seen.add(i);
      const sent = records[i];
      assert.equal(h.errorType, truth.outcomes[i], `error type of record ${i} (${sent.kind})`);
      assert.equal(record.key, sent.key?.toString() ?? null, `key of record ${i}`);
      if (sent.value === null) assert.equal(record.value, null, `tombstone ${i}`);
      else assert.ok(Buffer.from(sent.value).equals(record.value!), `bytes of record ${i}`);
    }
    const expected = truth.outcomes.flatMap((o, i) => (o === "aggregated" ? [] : [i]));
    assert.deepEqual([...seen].sort((a, b) => a - b), expected);
  },
});
