import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { buildDlqHeaders } from "../dlq/headers.ts";
import { encodeOrder } from "../order/codec.ts";
import { ReplayBusyError, replayRow } from "./replay.ts";

const HEADERS = buildDlqHeaders(undefined, {
  topic: "orders",
  partition: 1,
  offset: "8",
  timestamp: "0",
  group: "g",
  errorClass: "RetriesExhaustedError",
  errorMessage: "max retries exceeded",
  errorType: "processing",
  attempts: 4,
  failedAt: new Date(0),
});

Deno.test("replayRow() shows a would-be replay with its order and target", () => {
  const record = {
    offset: "4",
    timestamp: "0",
    key: Buffer.from("ORD-00009"),
    value: encodeOrder({ orderId: "ORD-00009", product: "Mouse", price: 29.99 }),
    headers: HEADERS,
  };
  assert.deepEqual(
    replayRow({
      partition: 2,
      record,
      decision: { action: "replay", topic: "orders", replayCount: 1 },
      errorType: "processing",
      dryRun: true,
    }, "orders-dlq"),
    {
      where: "orders-dlq[2]@4",
      id: "ORD-00009",
      product: "Mouse",
      price: 29.99,
      errorType: "processing",
      action: "would-replay",
      detail: "orders",
    },
  );
});

Deno.test("replayRow() gives the reason of a skip and the key of bytes that are not an order", () => {
  const row = replayRow({
    partition: 0,
    record: { offset: "1", timestamp: "0", key: Buffer.from("k-1"), value: Buffer.from("junk") },
    decision: {
      action: "skipped",
      reason: "error-type",
      detail: "error type deserialization is not selected",
    },
    errorType: "deserialization",
    dryRun: false,
  }, "dlq");
  assert.deepEqual([row.id, row.product, row.action, row.detail], [
    "k-1",
    null,
    "skipped",
    "error type deserialization is not selected",
  ]);
});

Deno.test("ReplayBusyError says to wait and may be retried", () => {
  const error = new ReplayBusyError();
  assert.equal(error.retriable, true);
  assert.match(error.message, /already running/);
});
