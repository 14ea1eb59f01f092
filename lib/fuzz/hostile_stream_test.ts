import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { encodeOrder } from "../order/codec.ts";
import { type HostileRecord, hostileRecords, hostileTruth } from "./hostile_stream.ts";

Deno.test("hostileRecords() gives the same records for the same seed, with tombstones and empty values", () => {
  const a = hostileRecords(1000, 4);
  assert.deepEqual(a, hostileRecords(1000, 4));
  assert.equal(a.length, 1000);
  const tombstones = a.filter((r) => r.kind === "tombstone");
  assert.ok(tombstones.length > 0 && tombstones.every((r) => r.value === null));
  const empty = a.filter((r) => r.kind === "empty");
  assert.ok(empty.length > 0 && empty.every((r) => r.value!.length === 0));
  assert.deepEqual(a[1].key, Buffer.from("H-000002"));
  assert.ok(a.some((r) => r.key === null));
});

Deno.test("hostileTruth() aggregates what decodes and validates and counts the rest by type", () => {
  const record = (value: Buffer | null): HostileRecord => ({ kind: "valid", key: null, value });
  const truth = hostileTruth([
    record(encodeOrder({ orderId: "A", product: "Mouse", price: 10.5 })),
    record(encodeOrder({ orderId: "B", product: "Mouse", price: 200 })),
    record(encodeOrder({ orderId: "C", product: "", price: 1 })),
    record(Buffer.from([0x02, 0xc3, 0x02, 0x42, 0x00, 0x00, 0x80, 0x3f])),
    record(null),
    record(Buffer.alloc(0)),
  ], 100);
  assert.deepEqual(truth, {
    outcomes: [
      "aggregated",
      "validation",
      "validation",
      "deserialization",
      "deserialization",
      "deserialization",
    ],
    aggregate: { count: 1, average: 10.5, min: 10.5, max: 10.5, revenue: 10.5 },
    deadLetters: { deserialization: 3, validation: 2 },
  });
});
