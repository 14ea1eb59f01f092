import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { buildDlqHeaders } from "../dlq/headers.ts";
import { inspectDlqRecord } from "../dlq/summary.ts";
import { encodeOrder } from "../order/codec.ts";
import { deadLetterRow, DlqPanel, NEWEST } from "./dlq_panel.ts";

function view(offset: number, type: string, failedAt: string, value: Buffer | null) {
  return inspectDlqRecord({
    partition: 0,
    offset: String(offset),
    timestamp: "0",
    key: Buffer.from(`ORD-${offset}`),
    value,
    headers: buildDlqHeaders(undefined, {
      topic: "orders",
      partition: 2,
      offset: "41",
      timestamp: "0",
      group: "g",
      errorClass: "ValidationError",
      errorMessage: "price must be above 0: got -5",
      errorType: type as "validation",
      attempts: 1,
      failedAt: new Date(failedAt),
    }),
  });
}

Deno.test("deadLetterRow() shows the order, the error and where it came from", () => {
  const order = encodeOrder({ orderId: "ORD-00007", product: "Mouse", price: -5 });
  assert.deepEqual(deadLetterRow(view(3, "validation", "2026-05-01T08:00:00Z", order)), {
    partition: 0,
    offset: 3,
    id: "ORD-00007",
    product: "Mouse",
    price: -5,
    errorType: "validation",
    error: "price must be above 0: got -5",
    origin: "orders[2]@41",
    attempts: 1,
    failedAt: "2026-05-01T08:00:00.000Z",
    replayCount: 0,
  });
});

Deno.test("deadLetterRow() falls back to the key for bytes that are not an order", () => {
  const row = deadLetterRow(
    view(4, "deserialization", "2026-05-01T08:00:00Z", Buffer.from("CORRUPT")),
  );
  assert.deepEqual([row.id, row.product, row.price], ["ORD-4", null, null]);
});

Deno.test("DlqPanel counts by type and keeps the newest rows, newest first", () => {
  const panel = new DlqPanel();
  for (let i = 0; i < NEWEST + 30; i++) {
    const second = String(i % 60).padStart(2, "0");
    const minute = String(Math.floor(i / 60)).padStart(2, "0");
    panel.add(
      view(
        i,
        i % 3 === 0 ? "processing" : "validation",
        `2026-05-01T08:${minute}:${second}Z`,
        null,
      ),
    );
  }
  const figures = panel.figures();
  assert.equal(figures.total, NEWEST + 30);
  assert.deepEqual(figures.byType, { validation: 53, processing: 27 });
  assert.equal(figures.newest.length, NEWEST);
  assert.deepEqual(figures.newest.slice(0, 2).map((r) => r.offset), [79, 78]);
  assert.equal(figures.newest.at(-1)?.offset, 30);
});
