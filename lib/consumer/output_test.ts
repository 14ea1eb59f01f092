import assert from "node:assert/strict";
import { deadLetterLine, joinedLine, processedLines, retryLine } from "./output.ts";

const ORDER = { orderId: "ORD-00002", product: "Keyboard", price: Math.fround(64.39) };
const VIEW = { count: 1, average: 64.39, min: 64.39, max: 64.39, revenue: 64.39 };

Deno.test("joinedLine() names the group and partitions, in text and JSON", () => {
  assert.equal(
    joinedLine("text", "g", "orders", [0, 1, 2]),
    "Joined group g: partitions [0, 1, 2] of orders",
  );
  assert.equal(
    joinedLine("json", "g", "orders", [1]),
    '{"event":"joined","group":"g","partitions":[1]}',
  );
  assert.equal(joinedLine("quiet", "g", "orders", [1]), undefined);
});

Deno.test("processedLines() prints the order and the running aggregate as the reference does", () => {
  assert.deepEqual(processedLines("text", ORDER, 6439, { partition: 0, offset: "3" }, VIEW), [
    "Received: {orderId: 'ORD-00002', product: 'Keyboard', price: 64.39}",
    "Aggregation Update - Count: 1, Running Avg: $64.39, Min: $64.39, Max: $64.39",
  ]);
  const [json] = processedLines("json", ORDER, 6439, { partition: 0, offset: "3" }, VIEW);
  assert.deepEqual(JSON.parse(json), {
    event: "processed",
    ...ORDER,
    partition: 0,
    offset: "3",
    aggregate: VIEW,
  });
  assert.deepEqual(processedLines("quiet", ORDER, 6439, { partition: 0, offset: "3" }, VIEW), []);
});

Deno.test("deadLetterLine() names the record, where it was and why", () => {
  const facts = {
    id: "ORD-00007",
    topic: "orders",
    partition: 2,
    offset: "41",
    type: "validation" as const,
    error: new Error("price must be above 0: got 0"),
    attempts: 1,
  };
  assert.equal(
    deadLetterLine("text", facts),
    "Sent to DLQ: ORD-00007 (orders[2]@41) validation: price must be above 0: got 0",
  );
  assert.deepEqual(JSON.parse(deadLetterLine("json", facts)!), {
    event: "dead-lettered",
    orderId: "ORD-00007",
    partition: 2,
    offset: "41",
    errorType: "validation",
    error: "price must be above 0: got 0",
    attempts: 1,
  });
  assert.equal(deadLetterLine("quiet", facts), undefined);
});

Deno.test("retryLine() says the attempt and the delay, short delays in ms", () => {
  assert.equal(
    retryLine("text", "ORD-00001", 1, 3, 20, "Simulated processing failure"),
    "Processing failed for ORD-00001 (attempt 1/3): Simulated processing failure. Retrying in 20ms...",
  );
  assert.equal(
    retryLine("text", "ORD-00001", 2, 4, 2000, "x"),
    "Processing failed for ORD-00001 (attempt 2/4): x. Retrying in 2.0s...",
  );
  assert.deepEqual(JSON.parse(retryLine("json", "ORD-00001", 1, 3, 20, "x")!), {
    event: "retry",
    orderId: "ORD-00001",
    attempt: 1,
    attempts: 3,
    delayMs: 20,
    error: "x",
  });
});
