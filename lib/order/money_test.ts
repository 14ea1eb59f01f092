import assert from "node:assert/strict";
import { formatMoney, toCents } from "./money.ts";

Deno.test("toCents() turns float32-widened prices back into exact cents", () => {
  assert.equal(Math.fround(799.99) === 799.99, false);
  assert.equal(toCents(Math.fround(799.99)), 79999);
  assert.equal(toCents(Math.fround(29.99)), 2999);
  assert.equal(toCents(Math.fround(0.01)), 1);
  assert.equal(toCents(Math.fround(1499.99)), 149999);
  // Every cent value a catalog price can take survives the float32 round trip.
  for (let cents = 1; cents <= 150_000; cents++) {
    if (toCents(Math.fround(cents / 100)) !== cents) assert.fail(`${cents} cents`);
  }
});

Deno.test("formatMoney() writes dollars with thousands separators and two decimals", () => {
  assert.equal(formatMoney(27183.15), "$27,183.15");
  assert.equal(formatMoney(0), "$0.00");
  assert.equal(formatMoney(5.5), "$5.50");
  assert.equal(formatMoney(1234567.891), "$1,234,567.89");
});
