import assert from "node:assert/strict";
import { describeError, isRebalance, kafkaCause } from "./errors.ts";

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
