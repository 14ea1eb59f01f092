import assert from "node:assert/strict";
import { MAX_SHAPE_CHARS, messageShape } from "./message_shape.ts";

Deno.test("messageShape() drops the record origin and turns numbers, NaN and Infinity into #", () => {
  assert.equal(
    messageShape("cannot decode 17 bytes as an Avro order (orders[0]@28): truncated buffer"),
    "cannot decode # bytes as an Avro order: truncated buffer",
  );
  assert.equal(
    messageShape("price must be above 0: got -84.7699966430664"),
    "price must be above #: got #",
  );
  assert.equal(
    messageShape("price 3.4028234663852886e+38 is above the maximum 100000"),
    "price # is above the maximum #",
  );
  for (const value of ["NaN", "Infinity", "-Infinity"]) {
    assert.equal(
      messageShape(`price is not a finite number: ${value}`),
      "price is not a finite number: #",
    );
  }
  assert.equal(
    messageShape("max retries exceeded: Simulated processing failure"),
    "max retries exceeded: Simulated processing failure",
  );
  // Digits inside words are not numbers.
  assert.equal(messageShape("orderId is not valid UTF-8"), "orderId is not valid UTF-8");
});

Deno.test("messageShape() folds order ids, so one kind of error is one group", () => {
  assert.equal(messageShape("product is empty for ORD-003223"), "product is empty for <id>");
  assert.equal(messageShape("product is empty for ORD-00017"), "product is empty for <id>");
  // Our own message ends with the id, whatever bytes it holds.
  for (const id of ["ORD-ORD-ORD-", "\u0000", "O\uFFFDRD-1", "x".repeat(64), "日本語 e\u0301"]) {
    assert.equal(messageShape(`product is empty for ${id}`), "product is empty for <id>");
  }
  // Another tool's message: the record's own order id or key, whatever it looks like.
  assert.equal(
    messageShape("no stock for ORD-ORD-ORD- today", ["ORD-ORD-ORD-", null]),
    "no stock for <id> today",
  );
  assert.equal(messageShape("no stock for Caméra 😀", ["Caméra 😀"]), "no stock for <id>");
  // Only where it stands alone: not inside another word, and never a bare number.
  assert.equal(messageShape("no stock for xAB", ["AB"]), "no stock for xAB");
  assert.equal(
    messageShape("price must be above 0: got -1", ["0"]),
    "price must be above #: got #",
  );
});

Deno.test("messageShape() reads only the start of a huge message, in linear time", () => {
  const huge = "(" + "x".repeat(1_000_000);
  const started = performance.now();
  const shape = messageShape(huge);
  assert.equal(shape, "(" + "x".repeat(MAX_SHAPE_CHARS - 1) + "...");
  // A quadratic scan of a megabyte would take minutes; this is milliseconds.
  assert.ok(performance.now() - started < 1000);
});
