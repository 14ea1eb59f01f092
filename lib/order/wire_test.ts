import assert from "node:assert/strict";
import { AvroDecodeError, encodeOrder } from "./codec.ts";
import {
  decodePlainOrder,
  frame,
  framedOnPlainReason,
  framedSchemaId,
  plainOnFramedReason,
} from "./wire.ts";

const ORDER = { orderId: "ORD-00001", product: "Mouse", price: 29.99 };

Deno.test("frame() writes the magic byte, the big-endian id and the body", () => {
  assert.deepEqual([...frame(258, new Uint8Array([9, 8]))], [0, 0, 0, 1, 2, 9, 8]);
  assert.deepEqual([...frame(0xffff_ffff, new Uint8Array())], [0, 255, 255, 255, 255]);
});

Deno.test("frame() throws a RangeError naming the id when it is not a 32-bit unsigned integer", () => {
  assert.throws(() => frame(-1, new Uint8Array()), /current value is -1/);
  assert.throws(() => frame(2 ** 32, new Uint8Array()), RangeError);
});

Deno.test("framedSchemaId() reads the id of a framed record and -1 for anything else", () => {
  assert.equal(framedSchemaId(frame(258, encodeOrder(ORDER))), 258);
  assert.equal(framedSchemaId(frame(0xffff_fffe, new Uint8Array())), 0xffff_fffe);
  assert.equal(framedSchemaId(encodeOrder(ORDER)), -1);
  assert.equal(framedSchemaId(new Uint8Array([0, 0, 0, 1])), -1);
  assert.equal(framedSchemaId(null), -1);
});

Deno.test("framedSchemaId() is -1 for every valid plain order, whose first byte is never 0", () => {
  // The zigzag length of a non-empty orderId is at least 2.
  assert.equal(encodeOrder(ORDER)[0], 18);
  assert.equal(framedSchemaId(encodeOrder({ ...ORDER, orderId: "x" })), -1);
});

Deno.test("decodePlainOrder() names the wire format when a framed record reaches a plain topic", () => {
  const framed = frame(7, encodeOrder(ORDER));
  assert.throws(
    () => decodePlainOrder(framed, { topic: "orders", partition: 1, offset: "5" }),
    (error: unknown) =>
      error instanceof AvroDecodeError && error.errorType === "deserialization" &&
      error.reason === framedOnPlainReason(7) && error.bytes === framed &&
      error.message.includes("(orders[1]@5)"),
  );
});

Deno.test("decodePlainOrder() decodes plain orders, an empty orderId too, as the codec does", () => {
  assert.deepEqual(decodePlainOrder(encodeOrder(ORDER)), { ...ORDER, price: Math.fround(29.99) });
  const empty = decodePlainOrder(encodeOrder({ ...ORDER, orderId: "" }));
  assert.equal(empty.orderId, "");
  assert.throws(() => decodePlainOrder(new Uint8Array([0x7f])), {
    name: "AvroDecodeError",
    message: "cannot decode 1 bytes as an Avro order: orderId length is negative: -64",
  });
});

Deno.test("plainOnFramedReason() names the first byte it found", () => {
  assert.equal(
    plainOnFramedReason(new Uint8Array([18])),
    "not in the Confluent wire format (first byte 18, expected magic byte 0 and a 4-byte " +
      "schema id): a plain Avro record on a topic read with --schema-registry",
  );
  assert.match(plainOnFramedReason(new Uint8Array()), /\(no bytes,/);
});
