import assert from "node:assert/strict";
import { expectedCents, referenceSizes } from "./reference_step.ts";

Deno.test("`referenceSizes()` compares at --orders, and at 1,000,000 when a scaling run has it", () => {
  assert.deepEqual(referenceSizes({ orders: 200_000, scaling: [10_000, 100_000] }), [200_000]);
  assert.deepEqual(
    referenceSizes({ orders: 200_000, scaling: [10_000, 1_000_000] }),
    [200_000, 1_000_000],
  );
  assert.deepEqual(referenceSizes({ orders: 1_000_000, scaling: [1_000_000] }), [1_000_000]);
});

Deno.test("`expectedCents()` sums the cents of the first orders of a seed", () => {
  // generateRecords(3, { seed: 42 }): 80.34, 97.92 and 36.24 dollars.
  assert.equal(expectedCents(3, 42), 8034 + 9792 + 3624);
  assert.equal(expectedCents(0, 42), 0);
});
