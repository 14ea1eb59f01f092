import assert from "node:assert/strict";
import { hashUnit, seededRandom } from "./random.ts";

function take(next: () => number, n: number): number[] {
  return Array.from({ length: n }, () => next());
}

Deno.test("seededRandom() gives the same sequence for the same seed", () => {
  assert.deepEqual(take(seededRandom(7), 100), take(seededRandom(7), 100));
});

Deno.test("seededRandom() gives different sequences for different seeds", () => {
  assert.notDeepEqual(take(seededRandom(7), 10), take(seededRandom(8), 10));
});

Deno.test("seededRandom() stays in [0, 1) and spreads over the range", () => {
  const values = take(seededRandom(42), 10_000);
  assert.ok(values.every((v) => v >= 0 && v < 1));
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  assert.ok(Math.abs(mean - 0.5) < 0.02, `mean ${mean} is far from 0.5`);
  // Every tenth of the range is hit.
  assert.equal(new Set(values.map((v) => Math.floor(v * 10))).size, 10);
});

Deno.test("seededRandom() treats seeds modulo 2^32", () => {
  assert.deepEqual(take(seededRandom(2 ** 32 + 5), 5), take(seededRandom(5), 5));
  assert.deepEqual(take(seededRandom(-1), 5), take(seededRandom(0xffffffff), 5));
});

Deno.test("hashUnit() is stable for the same parts", () => {
  assert.equal(hashUnit("orders", 3, "17"), hashUnit("orders", 3, "17"));
});

Deno.test("hashUnit() differs when any part or the part boundaries differ", () => {
  const base = hashUnit("orders", 3, "17");
  assert.notEqual(hashUnit("orders", 3, "18"), base);
  assert.notEqual(hashUnit("orders", 4, "17"), base);
  assert.notEqual(hashUnit("payments", 3, "17"), base);
  assert.notEqual(hashUnit("ab", "c"), hashUnit("a", "bc"));
});

Deno.test("hashUnit() stays in [0, 1) over many inputs", () => {
  for (let i = 0; i < 5_000; i++) {
    const h = hashUnit("orders", i % 6, String(i));
    assert.ok(h >= 0 && h < 1, `hashUnit gave ${h} for ${i}`);
  }
});
