import assert from "node:assert/strict";
import { murmur2, partitionFor } from "./partitioner.ts";

Deno.test("partitionFor() matches the Java client's murmur2 partitioning", () => {
  // Utils.toPositive(Utils.murmur2(key.getBytes())) % 3, computed with kafka-clients 4.3.1.
  const keys = ["ORD-00001", "ORD-00002", "ORD-00003", "ORD-00004", "ORD-00005"];
  assert.deepEqual(keys.map((k) => partitionFor(k, 3)), [1, 0, 2, 2, 1]);
  assert.equal(partitionFor("ORD-00001", 1), 0);
});

Deno.test("murmur2() matches Java's Utils.murmur2 for every tail length and UTF-8 keys", () => {
  // Utils.toPositive(Utils.murmur2(key.getBytes(UTF_8))) % 7, with kafka-clients 4.4.0.
  const keys = [
    "a",
    "ab",
    "abc",
    "abcd",
    "ORD-00001",
    "h\u00e9llo \u20ac",
    "x-12345-long-key-with-tail",
  ];
  assert.deepEqual(keys.map((k) => (murmur2(k) & 0x7fffffff) % 7), [5, 0, 4, 5, 6, 2, 5]);
});
