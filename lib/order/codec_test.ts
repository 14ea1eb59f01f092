import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import avro from "avsc";
import { AvroDecodeError, decodeOrder, encodeOrder, type Order, ORDER_SCHEMA } from "./codec.ts";
import { seededRandom } from "./random.ts";

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

Deno.test("decodeOrder() throws AvroDecodeError with the raw bytes when a length is negative", () => {
  // "C" (0x43) read as a zigzag varint is -34.
  const bytes = new TextEncoder().encode("CORRUPT:ORD-00001");
  assert.throws(
    () => decodeOrder(bytes, { topic: "orders", partition: 2, offset: "15" }),
    (error: unknown) => {
      assert.ok(error instanceof AvroDecodeError);
      assert.equal(error.bytes, bytes);
      assert.equal(error.errorType, "deserialization");
      assert.equal(error.retriable, false);
      assert.equal(error.reason, "orderId length is negative: -34");
      assert.deepEqual(error.origin, { topic: "orders", partition: 2, offset: "15" });
      assert.equal(
        error.message,
        "cannot decode 17 bytes as an Avro order (orders[2]@15): orderId length is negative: -34",
      );
      return true;
    },
  );
});

/** The reason decodeOrder() gives for `bytes`, or "ok". */
function reasonFor(bytes: number[] | Uint8Array | null): string {
  try {
    decodeOrder(bytes === null ? null : Uint8Array.from(bytes));
    return "ok";
  } catch (error) {
    assert.ok(error instanceof AvroDecodeError);
    assert.equal(error.errorType, "deserialization");
    if (bytes !== null) assert.deepEqual([...error.bytes], [...bytes]);
    return error.reason;
  }
}

const PRICE_ONE = [0x00, 0x00, 0x80, 0x3f]; // 1.0 as a little-endian float32
const A_B = [0x02, 0x41, 0x02, 0x42]; // orderId "A", product "B"

Deno.test("decodeOrder() rejects a tombstone and an empty value", () => {
  assert.equal(reasonFor(null), "tombstone: record has no value");
  assert.equal(reasonFor([]), "record value is empty");
});

Deno.test("decodeOrder() rejects trailing bytes", () => {
  assert.equal(reasonFor([...A_B, ...PRICE_ONE, 0x00]), "1 trailing bytes after the order");
});

Deno.test("decodeOrder() rejects truncated input at every cut", () => {
  const full = [...encodeOrder({ orderId: "ORD-1", product: "Mouse", price: 2 })];
  const reasons = [];
  for (let cut = 1; cut < full.length; cut++) reasons.push(reasonFor(full.slice(0, cut)));
  assert.deepEqual(reasons, [
    "truncated: orderId length 5 exceeds the 0 bytes left",
    "truncated: orderId length 5 exceeds the 1 bytes left",
    "truncated: orderId length 5 exceeds the 2 bytes left",
    "truncated: orderId length 5 exceeds the 3 bytes left",
    "truncated: orderId length 5 exceeds the 4 bytes left",
    "truncated: product length ends early",
    "truncated: product length 5 exceeds the 0 bytes left",
    "truncated: product length 5 exceeds the 1 bytes left",
    "truncated: product length 5 exceeds the 2 bytes left",
    "truncated: product length 5 exceeds the 3 bytes left",
    "truncated: product length 5 exceeds the 4 bytes left",
    "truncated: price needs 4 bytes, 0 left",
    "truncated: price needs 4 bytes, 1 left",
    "truncated: price needs 4 bytes, 2 left",
    "truncated: price needs 4 bytes, 3 left",
  ]);
});

Deno.test("decodeOrder() rejects a length prefix of 2^31 without allocating it", () => {
  // 2^31 zigzag-encoded is 2^32: 0x80 0x80 0x80 0x80 0x10.
  const bytes = [0x80, 0x80, 0x80, 0x80, 0x10, 0x41];
  assert.equal(reasonFor(bytes), "truncated: orderId length 2147483648 exceeds the 1 bytes left");
  // The largest long, and the most negative one.
  const max = [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
  assert.equal(
    reasonFor(max),
    "truncated: orderId length 9223372036854775807 exceeds the 0 bytes left",
  );
  const min = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
  assert.equal(reasonFor(min), "orderId length is negative: -9223372036854775808");
});

Deno.test("decodeOrder() rejects a varint longer than 10 bytes and an unfinished one", () => {
  // fastavro accepts this 11-byte encoding of 0 (its C shift past 63 bits is
  // undefined behaviour); the Avro spec and the Java reference reject it.
  const overlong = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00];
  assert.equal(
    reasonFor([...overlong, 0x02, 0x42, ...PRICE_ONE]),
    "orderId length is longer than 10 bytes",
  );
  assert.equal(reasonFor([0x02, 0x41, 0x80, 0x80]), "truncated: product length ends early");
});

Deno.test("decodeOrder() reads a 10-byte varint as fastavro does, dropping bits past 64", () => {
  // Bit 64 and up of the tenth byte fall off: this is the length 0.
  const zero = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7e];
  assert.deepEqual(decodeOrder(Uint8Array.from([...zero, 0x02, 0x42, ...PRICE_ONE])), {
    orderId: "",
    product: "B",
    price: 1,
  });
  // A non-canonical two-byte encoding of 1 is still the length 1.
  assert.deepEqual(decodeOrder(Uint8Array.from([0x82, 0x00, 0x41, 0x02, 0x42, ...PRICE_ONE])), {
    orderId: "A",
    product: "B",
    price: 1,
  });
});

Deno.test("decodeOrder() rejects invalid UTF-8 in either string where avsc gave U+FFFD", () => {
  assert.equal(reasonFor([0x02, 0xc3, 0x02, 0x42, ...PRICE_ONE]), "orderId is not valid UTF-8");
  assert.equal(reasonFor([0x02, 0x41, 0x02, 0xff, ...PRICE_ONE]), "product is not valid UTF-8");
  // An encoded surrogate, an overlong NUL and a code point past U+10FFFF.
  for (const bad of [[0xed, 0xa0, 0x80], [0xc0, 0x80], [0xf4, 0x90, 0x80, 0x80]]) {
    assert.equal(
      reasonFor([bad.length * 2, ...bad, 0x02, 0x42, ...PRICE_ONE]),
      "orderId is not valid UTF-8",
    );
  }
  // Past the short-string path too.
  const long = [...new Array(100).fill(0x41), 0xc3];
  assert.equal(
    reasonFor([0xca, 0x01, ...long, 0x02, 0x42, ...PRICE_ONE]),
    "orderId is not valid UTF-8",
  );
});

Deno.test("decodeOrder() reads valid UTF-8 as Python does, byte order mark included", () => {
  const text = new TextEncoder().encode("\uFEFFé\u0000😀");
  const order = decodeOrder(Uint8Array.from([text.length * 2, ...text, 0x02, 0x42, ...PRICE_ONE]));
  assert.equal(order.orderId, "\uFEFFé\u0000😀");
  const long = "Ünïcödé ".repeat(20);
  assert.deepEqual(
    decodeOrder(encodeOrder({ orderId: long, product: "x".repeat(200), price: 3 })),
    {
      orderId: long,
      product: "x".repeat(200),
      price: 3,
    },
  );
});

Deno.test("decodeOrder() reads special float32 prices as the same doubles", () => {
  const price = (bytes: number[]) => decodeOrder(Uint8Array.from([...A_B, ...bytes])).price;
  assert.ok(Number.isNaN(price([0x00, 0x00, 0xc0, 0x7f])));
  assert.ok(Number.isNaN(price([0x01, 0x00, 0x80, 0xff]))); // a signalling NaN
  assert.equal(price([0x00, 0x00, 0x80, 0x7f]), Infinity);
  assert.equal(price([0x00, 0x00, 0x80, 0xff]), -Infinity);
  assert.ok(Object.is(price([0x00, 0x00, 0x00, 0x80]), -0));
  assert.equal(price([0x01, 0x00, 0x00, 0x00]), 2 ** -149);
  assert.equal(price([0xff, 0xff, 0x7f, 0x7f]), 3.4028234663852886e38);
});

Deno.test("decodeOrder() never throws anything but AvroDecodeError on random bytes", () => {
  const random = seededRandom(11);
  let accepted = 0;
  for (let n = 0; n < 20_000; n++) {
    const bytes = Uint8Array.from({ length: Math.floor(random() * 24) }, () => random() * 256);
    if (reasonFor(bytes) === "ok") accepted += 1;
  }
  // Uniform random bytes hardly ever form an order: all 20,000 of this seed are rejected.
  assert.equal(accepted, 0);
});

/**
 * Inputs on which a differential fuzz run once saw our decoder and fastavro
 * disagree, with what fastavro reads. The BOM one came from an early decoder
 * that let TextDecoder strip U+FEFF.
 */
const FUZZ_VECTORS: { hex: string; fastavro: Order | string }[] = [
  {
    hex: "18efbbbf4f52442d3030303031020085ebd741",
    fastavro: { orderId: "\uFEFFORD-00001", product: "\u0000", price: Math.fround(26.99) },
  },
];

Deno.test("decodeOrder() reads every fuzz vector as fastavro does", () => {
  for (const { hex, fastavro } of FUZZ_VECTORS) {
    const bytes = Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16));
    if (typeof fastavro === "string") assert.equal(reasonFor(bytes), fastavro, hex);
    else assert.deepEqual(decodeOrder(bytes), fastavro, hex);
  }
});

Deno.test("encodeOrder() writes avsc's bytes for generated, invalid, unicode and long orders", () => {
  const reference = avro.Type.forSchema(ORDER_SCHEMA);
  const random = seededRandom(11);
  const orders: Order[] = [
    { orderId: "ORD-00001", product: "Laptop", price: 799.99 },
    { orderId: "", product: "Mouse", price: 0 },
    { orderId: "ORD-2", product: "Tablet", price: -12.5 },
    { orderId: "ORD-3", product: "Monitor", price: Number.NaN },
    { orderId: "ORD-4", product: "Camera", price: Number.POSITIVE_INFINITY },
    { orderId: "ORD-5", product: "Hub", price: -0 },
    { orderId: "ORD-6", product: "Lamp", price: 3.4e38 },
    { orderId: "clé-é", product: "€ 😀 漢字", price: 1.5 },
    { orderId: "x".repeat(64), product: "y".repeat(65), price: 2 },
    { orderId: "z".repeat(200), product: "é".repeat(100), price: 3 },
  ];
  for (let i = 0; i < 2000; i++) {
    orders.push({
      orderId: `ORD-${i}`,
      product: String.fromCharCode(
        ...Array.from({ length: 1 + (i % 9) }, () => 32 + Math.floor(random() * 0x2000)),
      ),
      price: (random() - 0.5) * 4000,
    });
  }
  for (const order of orders) {
    assert.deepEqual(
      [...encodeOrder(order)],
      [...reference.toBuffer(order)],
      JSON.stringify(order),
    );
  }
});

Deno.test("encodeOrder() returns a Buffer holding only the order, as kafkajs needs", () => {
  const first = encodeOrder({ orderId: "ORD-00001", product: "Mouse", price: 29.99 });
  const second = encodeOrder({ orderId: "ORD-00002", product: "Laptop", price: 799.99 });
  assert.ok(Buffer.isBuffer(first));
  assert.equal(first.length, 20);
  assert.deepEqual(decodeOrder(first).orderId, "ORD-00001");
  assert.deepEqual(decodeOrder(second).orderId, "ORD-00002");
});

Deno.test("encodeOrder() writes a lone surrogate as U+FFFD, which the strict reader accepts", () => {
  // avsc writes the surrogate's own three bytes (ED A0 80), which no strict
  // UTF-8 reader accepts; Buffer and TextEncoder write U+FFFD.
  const bytes = encodeOrder({ orderId: "a\ud800", product: "p", price: 1 });
  assert.deepEqual([...bytes.subarray(0, 5)], [0x08, 0x61, 0xef, 0xbf, 0xbd]);
  assert.equal(decodeOrder(bytes).orderId, "a\ufffd");
});
