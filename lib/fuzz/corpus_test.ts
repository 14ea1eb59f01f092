import assert from "node:assert/strict";
import { AvroDecodeError, decodeOrder } from "../order/codec.ts";
import { generateCorpus, KIND_WEIGHTS, zigzagVarint } from "./corpus.ts";
import { toHex } from "./differential.ts";

Deno.test("zigzagVarint() writes Avro longs, padded to the bytes asked for", () => {
  assert.deepEqual(zigzagVarint(0n), [0x00]);
  assert.deepEqual(zigzagVarint(-1n), [0x01]);
  assert.deepEqual(zigzagVarint(9n), [0x12]);
  assert.deepEqual(zigzagVarint(2n ** 31n), [0x80, 0x80, 0x80, 0x80, 0x10]);
  assert.deepEqual(zigzagVarint(-(2n ** 63n)), [...new Array(9).fill(0xff), 0x01]);
  assert.deepEqual(zigzagVarint(1n, 3), [0x82, 0x80, 0x00]);
});

Deno.test("generateCorpus() gives the same inputs for the same seed", () => {
  const a = generateCorpus({ count: 500, seed: 7 });
  const b = generateCorpus({ count: 500, seed: 7 });
  assert.deepEqual(a.map((i) => toHex(i.bytes)), b.map((i) => toHex(i.bytes)));
  assert.notDeepEqual(
    a.map((i) => toHex(i.bytes)),
    generateCorpus({ count: 500, seed: 8 }).map((i) => toHex(i.bytes)),
  );
  assert.deepEqual(a.slice(0, 2).map((i) => [i.kind, toHex(i.bytes)]), [
    ["valid", "124f52442d30303031331845787465726e616c20535344b81e2a43"],
    ["truncate", "124f52442d30"],
  ]);
});

Deno.test("generateCorpus() makes every kind in its share when the corpus is large", () => {
  const counts: Record<string, number> = {};
  for (const { kind } of generateCorpus({ count: 2000, seed: 7 })) {
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  assert.deepEqual(counts, {
    valid: 398,
    truncate: 263,
    length: 361,
    utf8: 179,
    extend: 213,
    bitflip: 395,
    random: 191,
  });
  assert.equal(Object.values(KIND_WEIGHTS).reduce((a, b) => a + b, 0), 1);
});

Deno.test("generateCorpus() makes valid inputs that decode and utf8 and extend inputs that do not", () => {
  const corpus = generateCorpus({ count: 3000, seed: 3 });
  const decodes = (bytes: Uint8Array) => {
    try {
      decodeOrder(bytes);
      return true;
    } catch (error) {
      assert.ok(error instanceof AvroDecodeError);
      return false;
    }
  };
  for (const { kind, bytes } of corpus) {
    if (kind === "valid") assert.ok(decodes(bytes), toHex(bytes));
    if (kind === "utf8" || kind === "extend" || kind === "truncate") {
      assert.ok(!decodes(bytes), `${kind} ${toHex(bytes)}`);
    }
  }
});
