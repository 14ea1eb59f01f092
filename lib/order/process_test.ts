import assert from "node:assert/strict";
import { AvroDecodeError, encodeOrder } from "./codec.ts";
import { decodeAndValidate, expectedOutcome, processOrder, simulatedFailure } from "./process.ts";
import { ProcessingError } from "./process.ts";
import { ValidationError } from "./validate.ts";

const order = { orderId: "ORD-00001", product: "Laptop", price: 799.99 };

Deno.test("decodeAndValidate() returns the decoded order", () => {
  assert.deepEqual(decodeAndValidate(encodeOrder(order), {}), {
    ...order,
    price: Math.fround(799.99),
  });
});

Deno.test("decodeAndValidate() throws the permanent error of each kind", () => {
  assert.throws(() => decodeAndValidate(new Uint8Array([0x7f]), {}), AvroDecodeError);
  assert.throws(() => decodeAndValidate(encodeOrder({ ...order, price: -1 }), {}), ValidationError);
  assert.throws(
    () => decodeAndValidate(encodeOrder({ ...order, price: 500 }), {}, 100),
    /above the maximum 100/,
  );
});

Deno.test("simulatedFailure() never fails at rate 0, always at rate 1, and is a pure function", () => {
  assert.equal(simulatedFailure(1, "ORD-00001", 1, 0), false);
  assert.equal(simulatedFailure(1, "ORD-00001", 1, 1), true);
  const draws = Array.from({ length: 200 }, (_, i) => simulatedFailure(5, `ORD-${i}`, 1, 0.3));
  assert.deepEqual(
    draws,
    Array.from({ length: 200 }, (_, i) => simulatedFailure(5, `ORD-${i}`, 1, 0.3)),
  );
  const failures = draws.filter(Boolean).length;
  assert.ok(failures > 30 && failures < 90, `${failures} of 200`);
});

Deno.test("processOrder() throws a retriable ProcessingError exactly when the simulation says so", () => {
  for (let attempt = 1; attempt <= 4; attempt++) {
    const fails = simulatedFailure(3, order.orderId, attempt, 0.5);
    if (fails) {
      assert.throws(
        () => processOrder(order, attempt, { failRate: 0.5, seed: 3 }),
        ProcessingError,
      );
    } else {
      processOrder(order, attempt, { failRate: 0.5, seed: 3 });
    }
  }
});

Deno.test("expectedOutcome() counts retries until the first success, or dead-letters after the last", () => {
  assert.deepEqual(expectedOutcome(1, "ORD-00001", 0, 3), { retries: 0, deadLettered: false });
  assert.deepEqual(expectedOutcome(1, "ORD-00001", 1, 3), { retries: 3, deadLettered: true });
  // Cross-check against the per-attempt simulation.
  for (let i = 0; i < 100; i++) {
    const id = `ORD-${i}`;
    const outcome = expectedOutcome(8, id, 0.5, 2);
    const firstSuccess = [1, 2, 3].find((a) => !simulatedFailure(8, id, a, 0.5));
    assert.deepEqual(
      outcome,
      firstSuccess === undefined
        ? { retries: 2, deadLettered: true }
        : { retries: firstSuccess - 1, deadLettered: false },
    );
  }
});
