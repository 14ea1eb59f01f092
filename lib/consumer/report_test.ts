import assert from "node:assert/strict";
import { aggregateLines, emptyConsumerMetrics, resultLines } from "./report.ts";

const VIEW = { count: 282, average: 287.05, min: 16.81, max: 1195.12, revenue: 80947.97 };

Deno.test("aggregateLines() prints the five figures in dollars", () => {
  assert.deepEqual(aggregateLines(VIEW), [
    "Total orders aggregated: 282",
    "Running average price: $287.05",
    "Min price: $16.81",
    "Max price: $1,195.12",
    "Total revenue: $80,947.97",
  ]);
});

Deno.test("resultLines() prints the counters, the success rate and the aggregate", () => {
  const metrics = {
    ...emptyConsumerMetrics(),
    consumed: 300,
    processed: 282,
    failed: 18,
    sentToDlq: 18,
    retries: 117,
    joins: 1,
  };
  const lines = resultLines(metrics, VIEW);
  assert.equal(lines.length, 18);
  assert.deepEqual(lines.slice(3, 9), [
    "Messages consumed: 300",
    "Messages processed successfully: 282",
    "Messages failed: 18",
    "Messages sent to DLQ: 18",
    "Total retries: 117",
    "Success rate: 94.00%",
  ]);
  assert.equal(lines[12], "Total orders aggregated: 282");
});

Deno.test("resultLines() reports 100% success when nothing was consumed", () => {
  const zero = emptyConsumerMetrics();
  const empty = { count: 0, average: 0, min: 0, max: 0, revenue: 0 };
  assert.equal(resultLines(zero, empty)[8], "Success rate: 100.00%");
});
