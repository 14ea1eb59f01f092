import assert from "node:assert/strict";
import { addCents, emptyAggregate, summarize } from "../order/aggregate.ts";
import { generateRecords } from "../order/generator.ts";
import { toCents } from "../order/money.ts";
import {
  chaosVerdict,
  type DeadLetter,
  grouped,
  type TopicRecord,
  type VerdictInput,
} from "./verdict.ts";

/** 200 orders with poison pills, as the soak's producer makes them. */
const GENERATED = generateRecords(200, { seed: 5, corruptRate: 0.05, invalidRate: 0.05 });
const POISON = GENERATED.filter((r) => r.kind !== "valid");

/** Every generated order in the topic once, on partition seq % 3. */
function topicOf(records = GENERATED): TopicRecord[] {
  return records.map((r) => ({
    key: r.key,
    partition: r.seq % 3,
    offset: String(Math.floor(r.seq / 3)),
    timestamp: 1000 + r.seq,
  }));
}

/** The consumer's dead letter of each poison pill of `topic`. */
function deadLettersOf(topic: readonly TopicRecord[]): DeadLetter[] {
  const poison = new Set(POISON.map((r) => r.key));
  return topic.filter((r) => poison.has(r.key!)).map((r) => ({
    key: r.key,
    errorType: "validation",
    partition: r.partition,
    offset: r.offset,
  }));
}

function truthOf(records = GENERATED) {
  const agg = emptyAggregate();
  for (const r of records) {
    if (r.kind === "valid") addCents(agg, toCents(Math.fround(r.order.price)));
  }
  return summarize(agg);
}

function input(overrides: Partial<VerdictInput> = {}): VerdictInput {
  const topic = overrides.topic ?? topicOf();
  return {
    generated: GENERATED,
    topic,
    deadLetters: deadLettersOf(topic),
    producer: { exitCode: 0, unsentKeys: [] },
    committed: truthOf(),
    unexpectedExits: [],
    ...overrides,
  };
}

Deno.test("chaosVerdict() passes a run where everything arrived once and was counted once", () => {
  const verdict = chaosVerdict(input());
  assert.equal(verdict.passed, true, JSON.stringify(verdict.checks, null, 1));
  assert.deepEqual(verdict.truth, truthOf());
  assert.equal(verdict.duplicateDeadLetters, 0);
  assert.equal(
    verdict.checks[0].detail,
    "200 generated: 200 in the topic exactly once; 0 dead-lettered and 0 unsent by the producer " +
      "(exit code 0); 0 duplicated; 0 lost",
  );
  assert.match(
    verdict.checks[2].detail,
    new RegExp(
      `^${POISON.length} poison pills in the topic .*: ${POISON.length} in the DLQ by origin, 0 missing`,
    ),
  );
});

Deno.test("chaosVerdict() fails a duplicated order and a lost one, naming them", () => {
  const topic = topicOf();
  const lostKey = topic.splice(10, 1)[0].key;
  const twice = { ...topic[0], offset: "999" };
  const verdict = chaosVerdict(input({ topic: [...topic, twice] }));
  assert.equal(verdict.checks[0].passed, false);
  assert.match(
    verdict.checks[0].detail,
    new RegExp(`1 duplicated \\(${twice.key} ×2\\); 1 lost \\(${lostKey}\\)`),
  );
});

Deno.test("chaosVerdict() accepts orders the producer reported, and checks its exit code", () => {
  const topic = topicOf();
  const deadKey = topic.splice(3, 1)[0].key!;
  const unsentKey = topic.splice(3, 1)[0].key!;
  const producerDead: DeadLetter = {
    key: deadKey,
    errorType: "production",
    partition: 0,
    offset: "-1",
  };
  const reported = input({
    topic,
    deadLetters: [...deadLettersOf(topic), producerDead],
    producer: { exitCode: 1, unsentKeys: [unsentKey] },
    committed: truthOf(GENERATED.filter((r) => r.key !== deadKey && r.key !== unsentKey)),
  });
  const verdict = chaosVerdict(reported);
  assert.equal(verdict.passed, true, JSON.stringify(verdict.checks, null, 1));
  assert.match(
    verdict.checks[0].detail,
    /1 dead-lettered and 1 unsent by the producer \(exit code 1\)/,
  );
  const quiet = chaosVerdict({ ...reported, producer: { exitCode: 0, unsentKeys: [unsentKey] } });
  assert.equal(quiet.checks[0].passed, false);
  assert.match(quiet.checks[0].detail, /\(exit code 0, expected 1\)/);
});

Deno.test("chaosVerdict() fails an aggregate a cent off and shows both", () => {
  const truth = truthOf();
  const verdict = chaosVerdict(input({ committed: { ...truth, revenue: truth.revenue + 0.01 } }));
  assert.equal(verdict.checks[1].passed, false);
  assert.match(verdict.checks[1].detail, /^committed count .*; ground truth count /);
});

Deno.test("chaosVerdict() counts a dead letter written twice apart, and fails a missing or wrong one", () => {
  const topic = topicOf();
  const letters = deadLettersOf(topic);
  const twice = chaosVerdict(input({ deadLetters: [...letters, letters[0], letters[1]] }));
  assert.equal(twice.passed, true);
  assert.equal(twice.duplicateDeadLetters, 2);
  assert.match(
    twice.checks[2].detail,
    /2 written twice \(a batch redone after its DLQ write\), counted once$/,
  );

  const missing = chaosVerdict(input({ deadLetters: letters.slice(1) }));
  assert.equal(missing.checks[2].passed, false);
  assert.match(
    missing.checks[2].detail,
    new RegExp(`1 missing \\(${letters[0].partition}@${letters[0].offset}\\)`),
  );

  const valid = topic.find((r) => !POISON.some((p) => p.key === r.key))!;
  const wrong = {
    key: valid.key,
    errorType: "processing",
    partition: valid.partition,
    offset: valid.offset,
  };
  const notPoison = chaosVerdict(input({ deadLetters: [...letters, wrong] }));
  assert.equal(notPoison.checks[2].passed, false);
  assert.match(
    notPoison.checks[2].detail,
    /1 that are not poison pills or do not match their origin/,
  );
});

Deno.test("chaosVerdict() fails on a consumer that died by itself", () => {
  const verdict = chaosVerdict(
    input({ unexpectedExits: ["consumer 1 (pid 7) exited with code 1: boom"] }),
  );
  assert.equal(verdict.passed, false);
  assert.deepEqual(verdict.checks[3], {
    name: "no consumer exited but by our kills and the final stop",
    passed: false,
    detail: "consumer 1 (pid 7) exited with code 1: boom",
  });
});

Deno.test("grouped() separates thousands", () => {
  assert.deepEqual([grouped(0), grouped(1234.5), grouped(100_000)], ["0", "1,235", "100,000"]);
});
