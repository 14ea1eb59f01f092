import assert from "node:assert/strict";
import { causeChain, describeError, isRebalance, kafkaCause } from "./errors.ts";

Deno.test("describeError() joins wrapped causes on one line", () => {
  const inner = new Error("connect ECONNREFUSED 127.0.0.1:1");
  const outer = Object.assign(new Error("Connection error"), { originalError: inner });
  assert.equal(describeError(outer), "Connection error: connect ECONNREFUSED 127.0.0.1:1");
  assert.equal(describeError(new Error("a", { cause: new Error("b") })), "a: b");
  assert.equal(describeError("plain"), "plain");
});

Deno.test("kafkaCause() finds the protocol error under kafkajs's wrappers", () => {
  const protocol = Object.assign(new Error("rebalancing"), { type: "REBALANCE_IN_PROGRESS" });
  const wrapped = Object.assign(new Error("retries exhausted"), { originalError: protocol });
  const outer = new Error("batch failed", { cause: wrapped });
  assert.equal(kafkaCause(outer), protocol);
  const plain = new Error("no type anywhere");
  assert.equal(kafkaCause(plain), plain);
});

Deno.test("isRebalance() is true only for the group's coordination errors", () => {
  for (const type of ["REBALANCE_IN_PROGRESS", "ILLEGAL_GENERATION", "UNKNOWN_MEMBER_ID"]) {
    assert.equal(isRebalance({ type }), true, type);
  }
  assert.equal(isRebalance({ type: "NOT_LEADER_FOR_PARTITION" }), false);
  assert.equal(isRebalance(new Error("x")), false);
  assert.equal(isRebalance(null), false);
});

Deno.test("causeChain() follows originalError before cause, and stops at max on a loop", () => {
  const inner = new Error("inner");
  const middle = Object.assign(new Error("middle"), {
    cause: new Error("ignored"),
    originalError: inner,
  });
  const outer = new Error("outer", { cause: middle });
  assert.deepEqual(causeChain(outer, 10).map((e) => e.message), ["outer", "middle", "inner"]);
  assert.deepEqual(causeChain(outer, 2).map((e) => e.message), ["outer", "middle"]);
  const looped = new Error("looped");
  (looped as { cause?: unknown }).cause = looped;
  assert.equal(causeChain(looped, 4).length, 4);
  assert.deepEqual(causeChain("not an error", 4), []);
});
