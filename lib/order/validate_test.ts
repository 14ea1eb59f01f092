import assert from "node:assert/strict";
import type { Order } from "./codec.ts";
import { DEFAULT_MAX_PRICE, validateOrder, ValidationError } from "./validate.ts";

const GOOD: Order = { orderId: "ORD-00001", product: "Mouse", price: 29.99 };

/** Asserts `validateOrder` rejects `order` naming `field` with exactly `message`. */
function assertRejects(order: Order, field: keyof Order, message: string, maxPrice?: number) {
  assert.throws(() => validateOrder(order, maxPrice), (error: unknown) => {
    assert.ok(error instanceof ValidationError);
    assert.equal(error.name, "ValidationError");
    assert.equal(error.field, field);
    assert.equal(error.message, message);
    return true;
  });
}

Deno.test("validateOrder() passes a sane order", () => {
  assert.equal(validateOrder(GOOD), undefined);
});

Deno.test("validateOrder() rejects an empty or blank orderId", () => {
  assertRejects({ ...GOOD, orderId: "" }, "orderId", "orderId is empty");
  assertRejects({ ...GOOD, orderId: "  " }, "orderId", "orderId is empty");
});

Deno.test("validateOrder() rejects an empty product, naming the order", () => {
  assertRejects({ ...GOOD, product: " " }, "product", "product is empty for ORD-00001");
});

Deno.test("validateOrder() rejects NaN and infinite prices", () => {
  assertRejects({ ...GOOD, price: NaN }, "price", "price is not a finite number: NaN");
  assertRejects({ ...GOOD, price: Infinity }, "price", "price is not a finite number: Infinity");
  assertRejects(
    { ...GOOD, price: -Infinity },
    "price",
    "price is not a finite number: -Infinity",
  );
});

Deno.test("validateOrder() rejects a price of 0 or below", () => {
  assertRejects({ ...GOOD, price: 0 }, "price", "price must be above 0: got 0");
  assertRejects({ ...GOOD, price: -29.99 }, "price", "price must be above 0: got -29.99");
  validateOrder({ ...GOOD, price: 0.01 });
});

Deno.test("validateOrder() passes a price of exactly maxPrice and rejects one cent more", () => {
  validateOrder({ ...GOOD, price: DEFAULT_MAX_PRICE });
  assertRejects(
    { ...GOOD, price: 100_000.01 },
    "price",
    "price 100000.01 is above the maximum 100000",
  );
  validateOrder({ ...GOOD, price: 50 }, 50);
  assertRejects({ ...GOOD, price: 50.5 }, "price", "price 50.5 is above the maximum 50", 50);
});

Deno.test("validateOrder() checks orderId first, then product, then price", () => {
  assertRejects({ orderId: "", product: "", price: NaN }, "orderId", "orderId is empty");
  assertRejects({ ...GOOD, product: "", price: NaN }, "product", "product is empty for ORD-00001");
});

Deno.test("validateOrder() carries the record origin on the error", () => {
  const origin = { topic: "orders", partition: 1, offset: "42" };
  assert.throws(() => validateOrder({ ...GOOD, price: 0 }, DEFAULT_MAX_PRICE, origin), {
    origin,
  });
  assert.throws(() => validateOrder({ ...GOOD, price: 0 }), { origin: {} });
});
