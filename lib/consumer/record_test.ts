import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { encodeOrder } from "../order/codec.ts";
import { ProcessingError } from "../order/process.ts";
import { consumerConfig } from "./options.ts";
import {
  AbandonRecord,
  firstAttempt,
  type RetryHooks,
  retryRecord,
  sleepWithHeartbeat,
  StopRequested,
} from "./record.ts";

const ORDER = { orderId: "ORD-00001", product: "Mouse", price: Math.fround(29.99) };
const settings = consumerConfig({ brokers: [], backoffMs: 100 });

/** Hooks on a fake clock: sleeping moves the clock, everything is recorded. */
function hooks(overrides: Partial<RetryHooks> = {}) {
  let clock = 0;
  const log: string[] = [];
  const h: RetryHooks = {
    beforeWait: () => (log.push("beforeWait"), Promise.resolve()),
    heartbeat: () => (log.push(`heartbeat@${clock}`), Promise.resolve()),
    isStale: () => false,
    isStopped: () => false,
    touch: () => {},
    onRetry: (_e, attempt, attempts, delay) => log.push(`retry ${attempt}/${attempts} ${delay}`),
    sleep: (ms) => ((clock += ms), Promise.resolve()),
    now: () => clock,
    ...overrides,
  };
  return { h, log };
}

Deno.test("firstAttempt() aggregates a valid order in cents", () => {
  assert.deepEqual(firstAttempt(encodeOrder(ORDER), {}, settings), {
    kind: "aggregated",
    order: ORDER,
    cents: 2999,
  });
});

Deno.test("firstAttempt() dead-letters undecodable and invalid records at once", () => {
  const corrupt = firstAttempt(Buffer.from("CORRUPT"), {}, settings);
  assert.equal(corrupt.kind, "dead-letter");
  assert.equal(corrupt.kind === "dead-letter" && corrupt.type, "deserialization");
  const invalid = firstAttempt(encodeOrder({ ...ORDER, price: 0 }), {}, settings);
  assert.deepEqual(
    invalid.kind === "dead-letter" && [invalid.type, invalid.attempts, invalid.error.message],
    ["validation", 1, "price must be above 0: got 0"],
  );
});

Deno.test("firstAttempt() hands a transient failure to the retry path", () => {
  const outcome = firstAttempt(encodeOrder(ORDER), {}, { ...settings, failRate: 1 });
  assert.equal(outcome.kind, "retry");
  assert.ok(outcome.kind === "retry" && outcome.firstError instanceof ProcessingError);
});

Deno.test("sleepWithHeartbeat() sleeps in 250 ms slices and heartbeats after each", async () => {
  const { h, log } = hooks();
  await sleepWithHeartbeat(600, h);
  assert.deepEqual(log, ["heartbeat@250", "heartbeat@500", "heartbeat@600"]);
});

Deno.test("sleepWithHeartbeat() throws StopRequested when the run stops or the batch goes stale", async () => {
  await assert.rejects(sleepWithHeartbeat(1000, hooks({ isStopped: () => true }).h), StopRequested);
  await assert.rejects(sleepWithHeartbeat(1000, hooks({ isStale: () => true }).h), StopRequested);
});

Deno.test("retryRecord() replays the first error, then retries until processing succeeds", async () => {
  const { h, log } = hooks();
  // failRate 1 fails every attempt: exhausted after 1 + 3 attempts, waiting 100, 200, 400 ms.
  const outcome = await retryRecord(
    ORDER,
    new ProcessingError("first"),
    { ...settings, failRate: 1 },
    h,
  );
  assert.equal(outcome.kind, "dead-letter");
  assert.ok(outcome.kind === "dead-letter");
  assert.equal(outcome.attempts, 4);
  assert.equal(outcome.error.message, "max retries exceeded: Simulated processing failure");
  assert.deepEqual(log.filter((l) => l.startsWith("retry")), [
    "retry 1/4 100",
    "retry 2/4 200",
    "retry 3/4 400",
  ]);
  assert.equal(log.filter((l) => l === "beforeWait").length, 3);
  const ok = await retryRecord(ORDER, new ProcessingError("first"), settings, hooks().h);
  assert.deepEqual(ok, { kind: "aggregated", order: ORDER, cents: 2999 });
});

Deno.test("retryRecord() abandons the record when the commit before a wait or a heartbeat fails", async () => {
  const failedCommit = hooks({ beforeWait: () => Promise.reject(new Error("commit failed")) }).h;
  await assert.rejects(
    retryRecord(ORDER, new ProcessingError("x"), settings, failedCommit),
    AbandonRecord,
  );
  const failedHeartbeat = hooks({ heartbeat: () => Promise.reject(new Error("rebalancing")) }).h;
  await assert.rejects(
    retryRecord(ORDER, new ProcessingError("x"), settings, failedHeartbeat),
    { name: "AbandonRecord", message: "record abandoned: rebalancing" },
  );
});

Deno.test("retryRecord() dead-letters a programming error after one attempt, unretried", async () => {
  const { h, log } = hooks();
  const outcome = await retryRecord(ORDER, new TypeError("bug"), settings, h);
  assert.ok(outcome.kind === "dead-letter");
  assert.deepEqual([outcome.type, outcome.attempts, outcome.error.message], [
    "processing",
    1,
    "bug",
  ]);
  assert.deepEqual(log, []);
});
