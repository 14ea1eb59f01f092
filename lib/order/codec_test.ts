import assert from "node:assert/strict";
import { AvroDecodeError, decodeOrder, encodeOrder, ORDER_SCHEMA } from "./codec.ts";

Deno.test("ORDER_SCHEMA keeps the reference schema exactly", () => {
  assert.deepEqual(ORDER_SCHEMA, {
    type: "record",
    name: "OrderRecord",
    namespace: "order",
    fields: [
      { name: "orderId", type: "string" },
      { name: "product", type: "string" },
      { name: "price", type: "float" },
    ],
  });
});

Deno.test("encodeOrder() writes plain Avro binary with no framing", () => {
  // Zigzag length 9 (0x12) + "ORD-00001", length 6 (0x0c) + "Laptop",
  // then 799.99 as a little-endian float32: the bytes fastavro writes.
  const bytes = encodeOrder({ orderId: "ORD-00001", product: "Laptop", price: 799.99 });
  assert.deepEqual(
    [...bytes],
    [
      0x12,
      0x4f,
      0x52,
      0x44,
      0x2d,
      0x30,
      0x30,
      0x30,
      0x30,
      0x31,
      0x0c,
      0x4c,
      0x61,
      0x70,
      0x74,
      0x6f,
      0x70,
      0x5c,
      0xff,
      0x47,
      0x44,
    ],
  );
});

Deno.test("decodeOrder() round-trips an order, price as the nearest float32", () => {
  const order = decodeOrder(encodeOrder({ orderId: "ORD-00042", product: "Mouse", price: 29.99 }));
  assert.deepEqual(order, { orderId: "ORD-00042", product: "Mouse", price: Math.fround(29.99) });
});

Deno.test("decodeOrder() throws AvroDecodeError with the raw bytes when bytes are truncated", () => {
  const bytes = new TextEncoder().encode("CORRUPT:ORD-00001");
  assert.throws(
    () => decodeOrder(bytes, { topic: "orders", partition: 2, offset: "15" }),
    (error: unknown) => {
      assert.ok(error instanceof AvroDecodeError);
      assert.equal(error.bytes, bytes);
      assert.equal(error.reason, "truncated buffer");
      assert.deepEqual(error.origin, { topic: "orders", partition: 2, offset: "15" });
      assert.equal(
        error.message,
        "cannot decode 17 bytes as an Avro order (orders[2]@15): truncated buffer",
      );
      return true;
    },
  );
});

Deno.test("decodeOrder() rejects trailing bytes and a missing value", () => {
  const good = encodeOrder({ orderId: "A", product: "B", price: 1 });
  const withTrailer = new Uint8Array([...good, 0x00]);
  assert.throws(() => decodeOrder(withTrailer), AvroDecodeError);
  assert.throws(() => decodeOrder(null), /record has no value/);
});
