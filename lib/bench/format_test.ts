import assert from "node:assert/strict";
import { fixed, grouped, markdownTable, median, medianFigures, ratio, times } from "./format.ts";

Deno.test("`markdownTable()` pads cells and right-aligns all but the first column", () => {
  assert.deepEqual(markdownTable(["", "n"], [["a", "10"], ["bbb", "2"]]), [
    "|     |  n |",
    "| --- | -: |",
    "| a   | 10 |",
    "| bbb |  2 |",
  ]);
});

Deno.test("`grouped()` and `ratio()` format thousands and guard missing figures", () => {
  assert.equal(grouped(1234567.8), "1,234,568");
  assert.equal(ratio(50, 200), 0.25);
  assert.equal(ratio(50, undefined), undefined);
  assert.equal(ratio(50, 0), undefined);
});

Deno.test("`median()` takes the middle value, or the mean of the middle two", () => {
  assert.equal(median([5]), 5);
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.throws(() => median([]), RangeError);
});

Deno.test("`medianFigures()` takes each field's median on its own", () => {
  assert.deepEqual(
    medianFigures([
      { ordersPerSec: 100, p99Ms: 9 },
      { ordersPerSec: 300, p99Ms: 1 },
      { ordersPerSec: 200, p99Ms: 5 },
    ]),
    { ordersPerSec: 200, p99Ms: 5 },
  );
});

Deno.test("`fixed()` and `times()` show a dash for a figure that was not measured", () => {
  assert.equal(fixed(2.345, 2), "2.35");
  assert.equal(fixed(undefined), "–");
  assert.equal(times(0.521), "0.52×");
  assert.equal(times(undefined), "–");
});
