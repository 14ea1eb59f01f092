import assert from "node:assert/strict";
import { decodeOffsetCommit, javaHash, offsetsPartition } from "./offsets_log.ts";

function hex(text: string): Uint8Array {
  return new Uint8Array(text.match(/../g)!.map((b) => parseInt(b, 16)));
}

function str(text: string): string {
  const bytes = new TextEncoder().encode(text);
  return bytes.length.toString(16).padStart(4, "0") +
    [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** An OffsetCommitKey v1 for group `g`, topic `orders`, partition 2. */
const KEY = hex("0001" + str("g") + str("orders") + "00000002");

Deno.test("javaHash() is Java's String.hashCode(), overflow included", () => {
  assert.equal(javaHash(""), 0);
  assert.equal(javaHash("orders"), -1008770331);
  assert.equal(javaHash("order-processors"), -658362880);
});

Deno.test("offsetsPartition() picks the coordinator's partition of the group", () => {
  assert.equal(offsetsPartition("order-processors", 50), 30);
  assert.equal(offsetsPartition("orders", 50), 31);
  assert.equal(offsetsPartition("anything", 1), 0);
});

Deno.test("decodeOffsetCommit() reads a version 4 value, as Kafka 4 writes it", () => {
  // Captured from Kafka 4.4.0: offset 31058, no leader epoch, empty
  // metadata, commit time, then one tagged field (the topic id).
  const value = hex(
    "0004" + "0000000000007952" + "ffffffff" + "01" + "000001a21c08583b" + "01" + "0010" +
      "aaa958fe14d8477c8b244dc100510439",
  );
  assert.deepEqual(decodeOffsetCommit(KEY, value), {
    group: "g",
    topic: "orders",
    partition: 2,
    offset: 31058n,
    commitTimestamp: 0x1a21c08583b,
  });
});

Deno.test("decodeOffsetCommit() reads versions 3 and 1 with their metadata", () => {
  const v3 = hex("0003" + "000000000000000a" + "00000005" + str("meta") + "0000000000000064");
  assert.equal(decodeOffsetCommit(KEY, v3)?.commitTimestamp, 100);
  assert.equal(decodeOffsetCommit(KEY, v3)?.offset, 10n);
  const v1 = hex(
    "0001" + "0000000000000007" + str("") + "00000000000000c8" + "ffffffffffffffff",
  );
  assert.deepEqual(
    [decodeOffsetCommit(KEY, v1)?.offset, decodeOffsetCommit(KEY, v1)?.commitTimestamp],
    [7n, 200],
  );
});

Deno.test("decodeOffsetCommit() skips group metadata, tombstones and truncated records", () => {
  const value = hex("0003" + "000000000000000a" + "00000005" + str("") + "0000000000000064");
  assert.equal(decodeOffsetCommit(hex("0002" + str("g")), value), undefined);
  assert.equal(decodeOffsetCommit(KEY, null), undefined);
  assert.equal(decodeOffsetCommit(KEY, hex("0003" + "0000")), undefined);
  assert.equal(decodeOffsetCommit(KEY, hex("0009" + "000000000000000a")), undefined);
});
