import assert from "node:assert/strict";
import { AvroDecodeError, decodeOrder } from "./codec.ts";
import { CATALOG, createRecordGenerator, generateRecords, orderId } from "./generator.ts";
import { validateOrder, ValidationError } from "./validate.ts";

const POISON = { seed: 42, corruptRate: 0.05, invalidRate: 0.05 };

Deno.test("orderId() pads the sequence number to five digits", () => {
  assert.equal(orderId(1), "ORD-00001");
  assert.equal(orderId(12345), "ORD-12345");
  assert.equal(orderId(123456), "ORD-123456");
});

Deno.test("createRecordGenerator() numbers records ORD-00001 on, key equal to orderId", () => {
  const next = createRecordGenerator({ seed: 7 });
  const records = [next(), next(), next()];
  assert.deepEqual(records.map((r) => r.seq), [1, 2, 3]);
  assert.deepEqual(records.map((r) => r.key), ["ORD-00001", "ORD-00002", "ORD-00003"]);
  for (const r of generateRecords(200, POISON)) {
    assert.equal(r.key, orderId(r.seq));
    if (r.kind !== "invalid" || r.order.orderId !== "") assert.equal(r.key, r.order.orderId);
  }
});

Deno.test("generateRecords() makes the exact first orders of seed 42", () => {
  assert.deepEqual(generateRecords(3).map((r) => r.order), [
    { orderId: "ORD-00001", product: "Webcam", price: 80.34 },
    { orderId: "ORD-00002", product: "Keyboard", price: 97.92 },
    { orderId: "ORD-00003", product: "Desk Lamp", price: 36.24 },
  ]);
});

Deno.test("generateRecords() gives the same records for the same seed", () => {
  const a = generateRecords(300, POISON);
  const b = generateRecords(300, POISON);
  assert.deepEqual(
    a.map((r) => [r.kind, r.order, [...r.value]]),
    b.map((r) => [r.kind, r.order, [...r.value]]),
  );
});

Deno.test("generateRecords() gives different records for a different seed", () => {
  const a = generateRecords(20, { seed: 42 }).map((r) => r.order);
  const b = generateRecords(20, { seed: 43 }).map((r) => r.order);
  assert.notDeepEqual(a, b);
});

Deno.test("generateRecords() prices each valid order in its product's range, in whole cents", () => {
  const ranges = new Map(CATALOG.map((p) => [p.name, p]));
  const records = generateRecords(2_000, { seed: 9 });
  assert.ok(records.every((r) => r.kind === "valid"));
  for (const { order } of records) {
    const product = ranges.get(order.product);
    assert.ok(product, `unknown product ${order.product}`);
    assert.ok(
      order.price >= product.min && order.price <= product.max,
      `${order.product} at ${order.price} is outside [${product.min}, ${product.max}]`,
    );
    assert.match(String(order.price), /^\d+(\.\d{1,2})?$/);
  }
  // Every product of the catalog turns up.
  assert.equal(new Set(records.map((r) => r.order.product)).size, CATALOG.length);
});

Deno.test("generateRecords() encodes valid records as Avro that decodes and validates", () => {
  for (const r of generateRecords(200, POISON).filter((r) => r.kind === "valid")) {
    const decoded = decodeOrder(r.value);
    assert.deepEqual(decoded, { ...r.order, price: Math.fround(r.order.price) });
    validateOrder(decoded);
  }
});

Deno.test("generateRecords() makes corrupt records that never decode", () => {
  const corrupt = generateRecords(1_000, POISON).filter((r) => r.kind === "corrupt");
  assert.ok(corrupt.length > 0);
  for (const r of corrupt) assert.throws(() => decodeOrder(r.value), AvroDecodeError);
  // Both flavours occur: a text marker and a truncated Avro encoding.
  const text = corrupt.filter((r) =>
    new TextDecoder().decode(r.value) === `CORRUPT:${r.order.orderId}`
  );
  assert.ok(text.length > 0 && text.length < corrupt.length);
});

Deno.test("generateRecords() makes invalid records that decode but fail validateOrder", () => {
  const invalid = generateRecords(1_000, POISON).filter((r) => r.kind === "invalid");
  assert.ok(invalid.length > 0);
  const fields = new Set<string>();
  for (const r of invalid) {
    const decoded = decodeOrder(r.value);
    assert.throws(() => validateOrder(decoded), ValidationError);
    try {
      validateOrder(decoded);
    } catch (error) {
      fields.add((error as ValidationError).field);
    }
  }
  assert.deepEqual([...fields].sort(), ["orderId", "price"]);
});

Deno.test("generateRecords() keeps a seed's orders the same whatever the poison-pill rates", () => {
  const clean = generateRecords(1_000, { seed: 42 });
  const poisoned = generateRecords(1_000, POISON);
  for (let i = 0; i < clean.length; i++) {
    const p = poisoned[i];
    if (p.kind === "invalid") {
      assert.notDeepEqual(p.order, clean[i].order);
      continue;
    }
    // Valid records match byte for byte; corrupt ones keep the original order.
    assert.deepEqual(p.order, clean[i].order);
    if (p.kind === "valid") assert.deepEqual([...p.value], [...clean[i].value]);
  }
});

Deno.test("generateRecords() makes exactly 45 corrupt and 50 invalid of 1000 at 5%/5% for seed 42", () => {
  const counts = { valid: 0, corrupt: 0, invalid: 0 };
  for (const r of generateRecords(1_000, POISON)) counts[r.kind] += 1;
  assert.deepEqual(counts, { valid: 905, corrupt: 45, invalid: 50 });
});

Deno.test("generateRecords() makes only poison pills when the rates add up to 1", () => {
  const records = generateRecords(200, { seed: 1, corruptRate: 0.5, invalidRate: 0.5 });
  assert.ok(records.every((r) => r.kind !== "valid"));
  const all = generateRecords(50, { seed: 1, corruptRate: 1 });
  assert.ok(all.every((r) => r.kind === "corrupt"));
});
