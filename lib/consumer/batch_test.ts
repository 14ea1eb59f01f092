import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import type { KafkaMessage } from "kafkajs";
import { stopSwitch } from "../kafka/lifecycle.ts";
import { addCents, emptyAggregate } from "../order/aggregate.ts";
import { encodeOrder, type Order, ORDER_SCHEMA } from "../order/codec.ts";
import { frame } from "../order/wire.ts";
import { RegistryUnavailableError } from "../registry/client.ts";
import { RegistryOrderDecoder } from "../registry/decoder.ts";
import { REGISTRY_RETRY } from "../retry.ts";
import { toCents } from "../order/money.ts";
import { type BatchDeps, type BatchPayload, processBatch } from "./batch.ts";
import type { DlqMessage } from "./dlq_sink.ts";
import { GroupState } from "./group_state.ts";
import { consumerConfig } from "./options.ts";
import { emptyConsumerMetrics } from "./report.ts";
import { decodeState } from "./state_codec.ts";

const ORDERS: Order[] = [
  { orderId: "ORD-00001", product: "Mouse", price: 29.99 },
  { orderId: "ORD-00002", product: "Laptop", price: 799.99 },
  { orderId: "ORD-00003", product: "Webcam", price: 45.5 },
  { orderId: "ORD-00004", product: "Tablet", price: 300 },
  { orderId: "ORD-00005", product: "Router", price: 89.01 },
];

function message(offset: number, value: Buffer | null): KafkaMessage {
  return {
    key: Buffer.from(`ORD-0000${offset + 1}`),
    value,
    offset: String(offset),
    timestamp: "1000",
    attributes: 0,
    headers: {},
  } as KafkaMessage;
}

/** Records at `offsets` of the orders above; `corrupt` offsets carry bytes that never decode. */
function messages(offsets: number[], corrupt: number[] = []): KafkaMessage[] {
  return offsets.map((o) =>
    message(o, corrupt.includes(o) ? Buffer.from("CORRUPT") : encodeOrder(ORDERS[o]))
  );
}

/** Everything a batch touched: commits, DLQ sends, resolved offsets, lines. */
function harness(overrides: Partial<ReturnType<typeof consumerConfig>> = {}) {
  const calls: string[] = [];
  const commits: { offset: string; metadata: string }[] = [];
  const dlq: DlqMessage[][] = [];
  const resolved: string[] = [];
  const lines: string[] = [];
  const warnings: string[] = [];
  const group = new GroupState();
  group.joined([0]);
  group.states.set(0, { next: "0", agg: emptyAggregate() });
  const run = stopSwitch();
  let clock = 0;
  const deps: BatchDeps = {
    config: consumerConfig({ brokers: [], topic: "orders", group: "g", ...overrides }),
    group,
    metrics: { ...emptyConsumerMetrics(), joins: 1 },
    run,
    events: { line: (t) => lines.push(t), warn: (t) => warnings.push(t) },
    touch: () => {},
    commit: (_partition, offset, metadata) => {
      calls.push(`commit ${offset}`);
      commits.push({ offset, metadata });
      return Promise.resolve();
    },
    sendDlq: (_partition, m) => {
      calls.push(`dlq ${m.length}`);
      dlq.push(m);
      return Promise.resolve();
    },
    logStart: () => Promise.resolve(0n),
    sleep: (ms) => {
      clock += ms;
      return Promise.resolve();
    },
    now: () => clock,
  };
  const payload = (msgs: KafkaMessage[], overridesPayload: Partial<BatchPayload> = {}) =>
    ({
      batch: {
        partition: 0,
        messages: msgs,
        lastOffset: () => msgs.at(-1)?.offset ?? "-1",
      },
      resolveOffset: (o: string) => void resolved.push(o),
      heartbeat: () => Promise.resolve(),
      isRunning: () => true,
      isStale: () => false,
      ...overridesPayload,
    }) as BatchPayload;
  return { deps, payload, calls, commits, dlq, resolved, lines, warnings, group, run };
}

function aggregateOf(orders: Order[]) {
  const agg = emptyAggregate();
  for (const o of orders) addCents(agg, toCents(Math.fround(o.price)));
  return agg;
}

Deno.test("processBatch() skips records below the committed offset and commits the merged state", async () => {
  const h = harness();
  const committed = aggregateOf(ORDERS.slice(0, 2));
  h.group.states.set(0, { next: "2", agg: committed });
  await processBatch(h.deps, h.payload(messages([0, 1, 2, 3, 4])));
  assert.equal(h.deps.metrics.skippedDuplicates, 2);
  assert.equal(h.deps.metrics.consumed, 3);
  assert.equal(h.deps.metrics.processed, 3);
  assert.deepEqual(h.calls, ["commit 5"]);
  const state = decodeState(h.commits[0].metadata, "5");
  assert.deepEqual(state, { next: "5", agg: aggregateOf(ORDERS) });
  assert.deepEqual(h.group.states.get(0), state);
  assert.deepEqual(h.resolved, ["4"]);
});

Deno.test("processBatch() writes dead letters before the commit that moves past them", async () => {
  const h = harness();
  await processBatch(h.deps, h.payload(messages([0, 1, 2], [1])));
  assert.deepEqual(h.calls, ["dlq 1", "commit 3"]);
  assert.equal(h.deps.metrics.sentToDlq, 1);
  assert.equal(h.deps.metrics.failed, 1);
  assert.deepEqual(h.dlq[0][0].value, Buffer.from("CORRUPT"));
  assert.deepEqual(
    decodeState(h.commits[0].metadata, "3").agg,
    aggregateOf([ORDERS[0], ORDERS[2]]),
  );
  assert.match(h.lines.join("\n"), /Sent to DLQ: ORD-00002 \(orders\[0\]@1\) deserialization: /);
});

Deno.test("processBatch() retries a commit that failed on a connection, writing the dead letters once", async () => {
  const h = harness();
  const commit = h.deps.commit;
  let failures = 2;
  h.deps.commit = (partition, offset, metadata) => {
    if (failures-- > 0) {
      h.calls.push(`commit ${offset} failed`);
      return Promise.reject(new Error("Connection error: connect ECONNREFUSED 127.0.0.1:39201"));
    }
    return commit(partition, offset, metadata);
  };
  await processBatch(h.deps, h.payload(messages([0, 1, 2], [1])));
  assert.deepEqual(h.calls, ["dlq 1", "commit 3 failed", "commit 3 failed", "commit 3"]);
  assert.equal(h.dlq.length, 1);
  assert.deepEqual(h.resolved, ["2"]);
});

Deno.test("processBatch() does not retry a commit the group refused: the batch fails for its redo", async () => {
  const h = harness();
  const rebalance = Object.assign(new Error("The group is rebalancing"), {
    type: "REBALANCE_IN_PROGRESS",
  });
  h.deps.commit = (_partition, offset) => {
    h.calls.push(`commit ${offset} refused`);
    return Promise.reject(rebalance);
  };
  await assert.rejects(processBatch(h.deps, h.payload(messages([0, 1, 2], [1]))), rebalance);
  assert.deepEqual(h.calls, ["dlq 1", "commit 3 refused"]);
  assert.deepEqual(h.resolved, []);
});

/** A commit that fails on a connection the first `failures` times, running `onFailure` each time. */
function failingCommit(h: ReturnType<typeof harness>, failures: number, onFailure = () => {}) {
  const commit = h.deps.commit;
  h.deps.commit = (partition, offset, metadata) => {
    if (failures-- > 0) {
      h.calls.push(`commit ${offset} failed`);
      onFailure();
      return Promise.reject(new Error("Connection error: connect ECONNREFUSED 127.0.0.1:39201"));
    }
    return commit(partition, offset, metadata);
  };
}

Deno.test("processBatch() stops retrying a commit once the group rejoined during its backoff", async () => {
  const h = harness();
  failingCommit(h, 1);
  const sleep = h.deps.sleep!;
  h.deps.sleep = (ms) => {
    // The partition was reloaded by the new generation: its next owner redoes the batch.
    h.group.joined([0]);
    h.group.states.set(0, { next: "0", agg: emptyAggregate() });
    return sleep(ms);
  };
  await processBatch(h.deps, h.payload(messages([0, 1, 2], [1])));
  assert.deepEqual(h.calls, ["dlq 1", "commit 3 failed"]);
  assert.deepEqual(h.resolved, []);
  assert.deepEqual(h.group.states.get(0), { next: "0", agg: emptyAggregate() });
  assert.equal(h.deps.metrics.commits, 0);
  assert.equal(h.deps.metrics.commitFailures, 0);
});

Deno.test("processBatch() sends no commit when the group rejoined while its dead letters were written", async () => {
  const h = harness();
  const sendDlq = h.deps.sendDlq;
  h.deps.sendDlq = (partition, m) => {
    h.group.joined([0]);
    return sendDlq(partition, m);
  };
  await processBatch(h.deps, h.payload(messages([0, 1, 2], [1])));
  assert.deepEqual(h.calls, ["dlq 1"]);
  assert.deepEqual(h.resolved, []);
});

Deno.test("processBatch() stops retrying a commit once kafkajs calls the batch stale", async () => {
  const h = harness();
  let stale = false;
  failingCommit(h, 1, () => stale = true);
  await processBatch(h.deps, h.payload(messages([0, 1]), { isStale: () => stale }));
  assert.deepEqual(h.calls, ["commit 2 failed"]);
  assert.deepEqual(h.resolved, []);
});

Deno.test("processBatch() still retries the commit of a consumer asked to stop (SIGTERM)", async () => {
  const h = harness();
  failingCommit(h, 2, () => h.run.stop("SIGTERM"));
  await processBatch(h.deps, h.payload(messages([0, 1, 2], [1])));
  assert.deepEqual(h.calls, ["dlq 1", "commit 3 failed", "commit 3 failed", "commit 3"]);
  assert.deepEqual(h.resolved, ["2"]);
  assert.equal(h.deps.metrics.commits, 1);
});

Deno.test("processBatch() does not retry a commit that failed on a programming error", async () => {
  const h = harness();
  const bug = new TypeError("Cannot read properties of undefined (reading 'offset')");
  h.deps.commit = (_partition, offset) => {
    h.calls.push(`commit ${offset} threw`);
    return Promise.reject(bug);
  };
  await assert.rejects(processBatch(h.deps, h.payload(messages([0, 1]))), bug);
  assert.deepEqual(h.calls, ["commit 2 threw"]);
  assert.equal(h.deps.metrics.commitFailures, 1);
});

Deno.test("processBatch() never commits a batch begun under an older generation", async () => {
  const h = harness();
  h.group.states.set(0, { next: "1", agg: aggregateOf([ORDERS[0]]) });
  // The batch starts past the committed offset: the gap check awaits the log
  // start, and the group rejoins meanwhile.
  h.deps.logStart = () => {
    h.group.joined([0]);
    h.group.states.set(0, { next: "1", agg: aggregateOf([ORDERS[0]]) });
    return Promise.resolve(0n);
  };
  await processBatch(h.deps, h.payload(messages([2, 3], [3])));
  assert.deepEqual(h.calls, []);
  assert.deepEqual(h.resolved, []);
  assert.deepEqual(h.group.states.get(0), { next: "1", agg: aggregateOf([ORDERS[0]]) });
});

Deno.test("processBatch() abandons a record whose backoff hits a rebalance: it is not committed", async () => {
  const h = harness({ failRate: 1, backoffMs: 10 });
  const rebalance = Object.assign(new Error("The group is rebalancing"), {
    type: "REBALANCE_IN_PROGRESS",
  });
  h.group.states.set(0, { next: "0", agg: emptyAggregate() });
  // Record 0 is corrupt (dead-lettered at once); record 1 fails and backs off.
  const payload = h.payload(messages([0, 1, 2], [0]), {
    heartbeat: () => Promise.reject(rebalance),
  });
  await assert.rejects(processBatch(h.deps, payload), (error) => error === rebalance);
  // Only what was done before the backoff is committed: record 0, dead-lettered.
  assert.deepEqual(h.calls, ["dlq 1", "commit 1"]);
  assert.deepEqual(h.resolved, ["0"]);
  assert.equal(h.deps.metrics.retries, 1);
  assert.equal(h.deps.metrics.consumed, 2);
  assert.equal(h.deps.metrics.processed, 0);
  assert.deepEqual(h.warnings, []);
});

Deno.test("processBatch() lets a stop request finish and commit the record in flight", async () => {
  const h = harness();
  let touched = 0;
  h.deps.touch = () => {
    if (++touched === 2) h.run.stop();
  };
  await processBatch(h.deps, h.payload(messages([0, 1, 2, 3])));
  assert.equal(h.deps.metrics.consumed, 2);
  assert.deepEqual(h.calls, ["commit 2"]);
  assert.deepEqual(decodeState(h.commits[0].metadata, "2").agg, aggregateOf(ORDERS.slice(0, 2)));
});

Deno.test("processBatch() dead-letters a record whose retries run out, with its attempts", async () => {
  const h = harness({ failRate: 1, maxRetries: 2, backoffMs: 10, output: "json" });
  await processBatch(h.deps, h.payload(messages([0])));
  assert.equal(h.deps.metrics.retries, 2);
  assert.deepEqual(h.calls, ["dlq 1", "commit 1"]);
  const events = h.lines.join("\n").split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(events.map((e) => e.event), ["retry", "retry", "dead-lettered"]);
  assert.equal(events[2].attempts, 3);
  assert.equal(events[2].error, "max retries exceeded: Simulated processing failure");
});

Deno.test("processBatch() stops after --max-messages records and commits them", async () => {
  const h = harness({ maxMessages: 3 });
  await processBatch(h.deps, h.payload(messages([0, 1, 2, 3, 4])));
  assert.equal(h.run.isStopped(), true);
  assert.deepEqual(h.calls, ["commit 3"]);
  assert.deepEqual(h.resolved, ["2"]);
});

Deno.test("processBatch() consumes no more than --max-messages across partitions handled at once", async () => {
  const h = harness({ maxMessages: 2 });
  h.group.joined([0, 1]);
  h.group.states.set(0, { next: "0", agg: emptyAggregate() });
  h.group.states.set(1, { next: "0", agg: emptyAggregate() });
  const commit = h.deps.commit;
  h.deps.commit = (partition, offset, metadata) => {
    h.calls.push(`partition ${partition}`);
    return commit(partition, offset, metadata);
  };
  const msgs = messages([0, 1, 2]);
  const onPartition1 = h.payload(msgs);
  onPartition1.batch = { ...onPartition1.batch, partition: 1 } as BatchPayload["batch"];
  // kafkajs runs the batches of two partitions side by side (--concurrency 2).
  await Promise.all([
    processBatch(h.deps, h.payload(msgs)),
    processBatch(h.deps, onPartition1),
  ]);
  assert.equal(h.deps.metrics.consumed, 2);
  assert.deepEqual(h.calls, ["partition 0", "commit 2"]);
});

Deno.test("processBatch() moves past control records after the last message", async () => {
  const h = harness();
  const payload = h.payload(messages([0, 1]));
  payload.batch.lastOffset = () => "3";
  await processBatch(h.deps, payload);
  assert.deepEqual(h.calls, ["commit 4"]);
  assert.deepEqual(decodeState(h.commits[0].metadata, "4").agg, aggregateOf(ORDERS.slice(0, 2)));
});

Deno.test("processBatch() warns when retention deleted records it had not processed", async () => {
  const h = harness();
  h.group.states.set(0, { next: "1", agg: emptyAggregate() });
  h.deps.logStart = () => Promise.resolve(3n);
  await processBatch(h.deps, h.payload(messages([3, 4])));
  assert.deepEqual(h.warnings, [
    "WARNING: orders[0] jumped from offset 1 to 3: records 1..2 were deleted by retention before they were processed; the aggregate does not include them",
  ]);
  assert.deepEqual(h.calls, ["commit 5"]);
});

Deno.test("processBatch() does nothing for a partition whose state is not loaded yet", async () => {
  const h = harness();
  h.group.states.clear();
  await processBatch(h.deps, h.payload(messages([0])));
  assert.equal(h.deps.metrics.consumed, 0);
  assert.deepEqual(h.calls, []);
});

Deno.test("processBatch() counts commits and dead letters by error type once they are written", async () => {
  const h = harness();
  await processBatch(h.deps, h.payload(messages([0, 1, 2], [1])));
  assert.equal(h.deps.metrics.commits, 1);
  assert.equal(h.deps.metrics.commitFailures, 0);
  assert.deepEqual(h.deps.metrics.deadLetteredByType, {
    deserialization: 1,
    validation: 0,
    processing: 0,
    production: 0,
  });
});

Deno.test("processBatch() counts a failed commit and rethrows it", async () => {
  const h = harness();
  const refused = new Error("commit refused");
  h.deps.commit = () => Promise.reject(refused);
  await assert.rejects(processBatch(h.deps, h.payload(messages([0]))), (e) => e === refused);
  assert.equal(h.deps.metrics.commits, 0);
  assert.equal(h.deps.metrics.commitFailures, 1);
});

Deno.test("processBatch() counts a record abandoned during its backoff", async () => {
  const h = harness({ failRate: 1, backoffMs: 10 });
  const rebalance = Object.assign(new Error("The group is rebalancing"), {
    type: "REBALANCE_IN_PROGRESS",
  });
  const payload = h.payload(messages([0]), { heartbeat: () => Promise.reject(rebalance) });
  await assert.rejects(processBatch(h.deps, payload));
  assert.equal(h.deps.metrics.abandoned, 1);
});

Deno.test("processBatch() times records handled back to back as one run", async () => {
  const h = harness();
  const timed: [number, number][] = [];
  let fine = 100;
  h.deps.events.timed = (ms, records) => timed.push([ms, records]);
  h.deps.fineNow = () => (fine += 6);
  await processBatch(h.deps, h.payload(messages([0, 1, 2])));
  // One read at the start (106), one at the end of the batch (112): 6 ms over 3 records.
  assert.deepEqual(timed, [[2, 3]]);
});

Deno.test("processBatch() times a record that backs off on its own, its wait included", async () => {
  const h = harness({ failRate: 0.5, seed: 7, maxRetries: 5, backoffMs: 10 });
  const timed: [number, number][] = [];
  h.deps.events.timed = (ms, records) => timed.push([ms, records]);
  // The harness's fake clock moves only when a backoff sleeps.
  h.deps.fineNow = h.deps.now;
  await processBatch(h.deps, h.payload(messages([0, 1, 2, 3, 4])));
  const total = timed.reduce((sum, [ms, n]) => sum + ms * n, 0);
  assert.equal(timed.reduce((sum, [, n]) => sum + n, 0), 5);
  assert.equal(total, h.deps.now!());
  // Every timing that includes a backoff covers exactly one record.
  for (const [ms, n] of timed) if (ms > 0) assert.equal(n, 1);
  assert.ok(h.deps.metrics.retries > 0);
});

Deno.test("processBatch() reads no fine clock when no one asks for timings", async () => {
  const h = harness();
  h.deps.fineNow = () => {
    throw new Error("the clock was read");
  };
  await processBatch(h.deps, h.payload(messages([0, 1])));
  assert.equal(h.deps.metrics.processed, 2);
});

/** A registry that knows our schema as id 7, or answers nothing at all. */
function fakeRegistry(answers: boolean) {
  const calls: number[] = [];
  const registry = {
    register: () => Promise.resolve(7),
    schemaById: (id: number) => {
      calls.push(id);
      return answers
        ? Promise.resolve(JSON.stringify(ORDER_SCHEMA))
        : Promise.reject(new RegistryUnavailableError("connection refused"));
    },
  };
  return { registry, calls };
}

Deno.test("processBatch() fetches each writer schema once and aggregates framed records", async () => {
  const h = harness();
  const { registry, calls } = fakeRegistry(true);
  h.deps.decoder = new RegistryOrderDecoder(registry);
  const framed = [0, 1, 2].map((o) => message(o, frame(7, encodeOrder(ORDERS[o]))));
  await processBatch(h.deps, h.payload(framed));
  assert.deepEqual(calls, [7]);
  assert.equal(h.deps.metrics.processed, 3);
  assert.deepEqual(h.calls, ["commit 3"]);
  assert.deepEqual(decodeState(h.commits[0].metadata, "3").agg, aggregateOf(ORDERS.slice(0, 3)));
});

Deno.test("processBatch() fails the batch, dead-lettering and committing nothing, when the registry does not answer", async () => {
  const h = harness();
  const { registry, calls } = fakeRegistry(false);
  h.deps.decoder = new RegistryOrderDecoder(registry);
  const framed = [0, 1].map((o) => message(o, frame(7, encodeOrder(ORDERS[o]))));
  await assert.rejects(
    processBatch(h.deps, h.payload(framed)),
    (error: unknown) => error instanceof RegistryUnavailableError && error.retriable,
  );
  assert.equal(calls.length, REGISTRY_RETRY.maxRetries + 1);
  assert.deepEqual(h.calls, []);
  assert.equal(h.deps.metrics.consumed, 0);
  assert.equal(h.warnings.filter((w) => w.startsWith("schema registry call")).length, 5);
});
