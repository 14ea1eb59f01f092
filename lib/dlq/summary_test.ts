import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { encodeOrder, type Order } from "../order/codec.ts";
import { buildDlqHeaders, type DlqContext, type Headers } from "./headers.ts";
import {
  type DlqRecord,
  dlqRecordJson,
  DlqSummaryBuilder,
  formatDlqLine,
  formatDlqSummary,
  formatOrigin,
  formatPrice,
  hexPreview,
  inspectDlqRecord,
  messageShape,
} from "./summary.ts";
import { parseDlqHeaders } from "./headers.ts";

const CTX: DlqContext = {
  topic: "orders",
  partition: 1,
  offset: "42",
  timestamp: "1700000000000",
  group: "order-processors",
  errorClass: "RetriesExhaustedError",
  errorMessage: "max retries exceeded: Simulated processing failure",
  errorType: "processing",
  attempts: 4,
  failedAt: new Date("2024-05-01T12:00:00.000Z"),
};

const TABLET: Order = { orderId: "ORD-00005", product: "Tablet", price: 499.99 };

function dlqRecord(
  value: Uint8Array | null,
  headers: Headers | undefined,
  extra: Partial<DlqRecord> = {},
): DlqRecord {
  return {
    partition: 0,
    offset: "7",
    timestamp: "1714564800000",
    key: Buffer.from("ORD-00005"),
    value,
    headers,
    ...extra,
  };
}

function failed(order: Order, ctx: Partial<DlqContext> = {}, original?: Headers): DlqRecord {
  return dlqRecord(encodeOrder(order), buildDlqHeaders(original, { ...CTX, ...ctx }));
}

Deno.test("hexPreview() shows the first 16 bytes and marks what it leaves out", () => {
  assert.equal(hexPreview(Buffer.from("CORRUPT")), "43 4f 52 52 55 50 54");
  const sixteen = Uint8Array.from({ length: 16 }, (_, i) => i);
  assert.equal(hexPreview(sixteen), "00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f");
  const seventeen = Uint8Array.from({ length: 17 }, (_, i) => 255 - i);
  assert.equal(hexPreview(seventeen), "ff fe fd fc fb fa f9 f8 f7 f6 f5 f4 f3 f2 f1 f0 ...");
  assert.equal(hexPreview(null), "");
  assert.equal(hexPreview(new Uint8Array()), "");
});

Deno.test("formatPrice() shows exact cents of a float32 price, negatives and NaN", () => {
  assert.equal(formatPrice(Math.fround(499.99)), "$499.99");
  assert.equal(formatPrice(Math.fround(1299)), "$1,299.00");
  assert.equal(formatPrice(Math.fround(-84.77)), "-$84.77");
  assert.equal(formatPrice(0), "$0.00");
  assert.equal(formatPrice(Number.NaN), "NaN");
  assert.equal(formatPrice(Number.POSITIVE_INFINITY), "Infinity");
});

Deno.test("inspectDlqRecord() decodes the order and counts a positive price in cents", () => {
  const view = inspectDlqRecord(failed(TABLET));
  assert.deepEqual(view.order, { ...TABLET, price: Math.fround(499.99) });
  assert.equal(view.valueCents, 49999);
  assert.equal(view.decodeError, undefined);
  assert.equal(view.errorType, "processing");
  assert.equal(view.key, "ORD-00005");
  assert.equal(view.size, 21);
  assert.deepEqual(view.failedAt, new Date("2024-05-01T12:00:00.000Z"));
});

Deno.test("inspectDlqRecord() counts no value for NaN, zero or negative prices", () => {
  for (const price of [Number.NaN, 0, -12.5]) {
    const view = inspectDlqRecord(failed({ ...TABLET, price }, { errorType: "validation" }));
    assert.ok(view.order !== undefined);
    assert.equal(view.valueCents, undefined, `price ${price}`);
  }
  // Invalid for another reason, but its price is real: it counts.
  const noId = inspectDlqRecord(failed({ ...TABLET, orderId: "" }, { errorType: "validation" }));
  assert.equal(noId.valueCents, 49999);
});

Deno.test("inspectDlqRecord() keeps size, hex and the reason of an undecodable value", () => {
  const view = inspectDlqRecord(
    dlqRecord(Buffer.from("CORRUPT:ORD-00017"), buildDlqHeaders(undefined, CTX)),
  );
  assert.equal(view.order, undefined);
  assert.equal(view.decodeError, "orderId length is negative: -34");
  assert.equal(view.size, 17);
  assert.equal(view.hex, "43 4f 52 52 55 50 54 3a 4f 52 44 2d 30 30 30 31 ...");
  assert.equal(view.valueCents, undefined);
});

Deno.test("inspectDlqRecord() falls back to the record timestamp and `unknown` without headers", () => {
  const view = inspectDlqRecord(dlqRecord(null, undefined, { key: null }));
  assert.equal(view.errorType, "unknown");
  assert.deepEqual(view.failedAt, new Date(1714564800000));
  assert.equal(view.key, null);
  assert.equal(view.size, 0);
  assert.equal(view.decodeError, "tombstone: record has no value");
  const noTime = inspectDlqRecord(dlqRecord(null, undefined, { timestamp: "-1" }));
  assert.equal(noTime.failedAt, undefined);
});

Deno.test("formatDlqLine() prints a processing failure the way the reference does", () => {
  assert.equal(
    formatDlqLine(1, inspectDlqRecord(failed(TABLET))),
    "DLQ Message #1: OrderID=ORD-00005, Product=Tablet, Price=$499.99, " +
      "Error='max retries exceeded: Simulated processing failure' (orders[1]@42, 4 attempts)",
  );
});

Deno.test("formatDlqLine() shows key, size and hex of an undecodable value", () => {
  const record = dlqRecord(
    Buffer.from("CORRUPT:ORD-00017"),
    buildDlqHeaders(undefined, {
      ...CTX,
      partition: 0,
      offset: "28",
      errorType: "deserialization",
      errorMessage: "cannot decode 17 bytes as an Avro order (orders[0]@28): truncated buffer",
      attempts: 1,
    }),
    { key: Buffer.from("ORD-00017") },
  );
  assert.equal(
    formatDlqLine(3, inspectDlqRecord(record)),
    "DLQ Message #3: Key=ORD-00017, Value=17 bytes [43 4f 52 52 55 50 54 3a 4f 52 44 2d 30 30 30 31 ...] " +
      "(not an order: orderId length is negative: -34), " +
      "Error='cannot decode 17 bytes as an Avro order (orders[0]@28): truncated buffer' (orders[0]@28, 1 attempt)",
  );
});

Deno.test("formatDlqLine() shows `unknown` for what a record without context headers lacks", () => {
  const record = dlqRecord(encodeOrder(TABLET), { "trace-id": "abc" });
  assert.equal(
    formatDlqLine(2, inspectDlqRecord(record)),
    "DLQ Message #2: OrderID=ORD-00005, Product=Tablet, Price=$499.99, Error=unknown (origin unknown, attempts unknown)",
  );
  const empty = dlqRecord(null, undefined, { key: null });
  assert.equal(
    formatDlqLine(4, inspectDlqRecord(empty)),
    "DLQ Message #4: Key=null, Value=empty (not an order: tombstone: record has no value), Error=unknown (origin unknown, attempts unknown)",
  );
});

Deno.test("formatDlqLine() reads decimal-text headers from another tool, and replay counts", () => {
  const foreign = dlqRecord(encodeOrder({ ...TABLET, orderId: "" }), {
    "kafka_dlt-original-topic": "orders",
    "kafka_dlt-original-partition": "2",
    "kafka_dlt-exception-message": "bad order",
    "replay-count": "2",
  });
  assert.equal(
    formatDlqLine(5, inspectDlqRecord(foreign)),
    "DLQ Message #5: OrderID=(empty), Product=Tablet, Price=$499.99, Error='bad order' " +
      "(orders[2]@unknown, attempts unknown, replayed 2 times)",
  );
});

Deno.test("formatOrigin() says a producer's dead letter was never written", () => {
  const headers = parseDlqHeaders(buildDlqHeaders(undefined, { ...CTX, offset: "-1" }));
  assert.equal(formatOrigin(headers), "orders[1], never written");
  assert.equal(formatOrigin(parseDlqHeaders({})), "origin unknown");
});

Deno.test("dlqRecordJson() gives every field, with null for NaN and missing parts", () => {
  const view = inspectDlqRecord(
    failed({ ...TABLET, price: Number.NaN }, { errorType: "validation" }),
  );
  assert.deepEqual(dlqRecordJson(9, view), {
    event: "record",
    n: 9,
    partition: 0,
    offset: "7",
    key: "ORD-00005",
    order: { orderId: "ORD-00005", product: "Tablet", price: null },
    size: 21,
    hex: "12 4f 52 44 2d 30 30 30 30 35 0c 54 61 62 6c 65 ...",
    decodeError: null,
    errorType: "validation",
    error: "max retries exceeded: Simulated processing failure",
    errorClass: "RetriesExhaustedError",
    originalTopic: "orders",
    originalPartition: 1,
    originalOffset: "42",
    attempts: 4,
    failedAt: "2024-05-01T12:00:00.000Z",
    replayCount: 0,
  });
});

Deno.test("messageShape() drops the record origin and turns numbers into #", () => {
  assert.equal(
    messageShape("cannot decode 17 bytes as an Avro order (orders[0]@28): truncated buffer"),
    "cannot decode # bytes as an Avro order: truncated buffer",
  );
  assert.equal(
    messageShape("price must be above 0: got -84.7699966430664"),
    "price must be above #: got #",
  );
  assert.equal(
    messageShape("price is not a finite number: NaN"),
    "price is not a finite number: NaN",
  );
  assert.equal(messageShape("product is empty for ORD-00017"), "product is empty for ORD-00017");
  assert.equal(
    messageShape("max retries exceeded: Simulated processing failure"),
    "max retries exceeded: Simulated processing failure",
  );
});

function sampleBuilder(): DlqSummaryBuilder {
  const b = new DlqSummaryBuilder();
  const at = (iso: string) => new Date(iso);
  b.add(inspectDlqRecord(failed({ ...TABLET, price: 29.99 }, { partition: 10 })));
  b.add(inspectDlqRecord(failed({ ...TABLET, price: 799.99 }, {
    partition: 2,
    failedAt: at("2024-05-01T11:00:00.000Z"),
  })));
  b.add(inspectDlqRecord(failed({ ...TABLET, price: 0 }, {
    partition: 2,
    errorType: "validation",
    errorMessage: "price must be above 0: got 0",
    attempts: 1,
    failedAt: at("2024-05-02T00:00:00.000Z"),
  })));
  b.add(inspectDlqRecord(failed({ ...TABLET, price: -5 }, {
    partition: 2,
    errorType: "validation",
    errorMessage: "price must be above 0: got -5",
    attempts: 1,
  })));
  b.add(inspectDlqRecord(dlqRecord(
    Buffer.from("CORRUPT"),
    buildDlqHeaders(undefined, {
      ...CTX,
      errorType: "deserialization",
      errorMessage: "cannot decode 7 bytes as an Avro order (orders[1]@3): truncated buffer",
      attempts: 1,
    }),
  )));
  // No headers: its failure time is the record's own timestamp, 2024-05-01T12:00Z.
  b.add(inspectDlqRecord(dlqRecord(encodeOrder({ ...TABLET, price: 0.1 }), undefined)));
  return b;
}

Deno.test("DlqSummaryBuilder.summary() counts types, messages, partitions and exact cents", () => {
  assert.deepEqual(sampleBuilder().summary(), {
    total: 6,
    byType: { processing: 2, validation: 2, deserialization: 1, unknown: 1 },
    byMessage: [
      { message: "max retries exceeded: Simulated processing failure", count: 2 },
      { message: "price must be above #: got #", count: 2 },
      { message: "cannot decode # bytes as an Avro order: truncated buffer", count: 1 },
      { message: "unknown", count: 1 },
    ],
    otherMessages: { distinct: 0, count: 0 },
    // 29.99 + 799.99 + 0.10 from float32 prices, in cents.
    totalValueCents: 2999 + 79999 + 10,
    totalValue: 830.08,
    valuedRecords: 3,
    oldestFailure: "2024-05-01T11:00:00.000Z",
    newestFailure: "2024-05-02T00:00:00.000Z",
    byPartition: { "orders[1]": 1, "orders[2]": 3, "orders[10]": 1, unknown: 1 },
  });
});

Deno.test("DlqSummaryBuilder.summary() lists the top messages and counts the rest", () => {
  const summary = sampleBuilder().summary({ messageLimit: 2 });
  assert.deepEqual(summary.byMessage.map((m) => m.count), [2, 2]);
  assert.deepEqual(summary.otherMessages, { distinct: 2, count: 2 });
});

Deno.test("formatDlqSummary() prints the reference's block plus times and partitions", () => {
  assert.deepEqual(formatDlqSummary(sampleBuilder().summary({ messageLimit: 3 })), [
    "=".repeat(70),
    "DEAD LETTER QUEUE SUMMARY",
    "=".repeat(70),
    "Total failed messages: 6",
    "",
    "Errors by type:",
    "  - processing: 2 occurrences",
    "  - validation: 2 occurrences",
    "  - deserialization: 1 occurrence",
    "  - unknown: 1 occurrence",
    "",
    "Errors by message:",
    "  - max retries exceeded: Simulated processing failure: 2 occurrences",
    "  - price must be above #: got #: 2 occurrences",
    "  - cannot decode # bytes as an Avro order: truncated buffer: 1 occurrence",
    "  - (1 other message): 1 occurrence",
    "",
    "Total value of failed orders: $830.08",
    "Oldest failure: 2024-05-01T11:00:00.000Z",
    "Newest failure: 2024-05-02T00:00:00.000Z",
    "",
    "Failed messages by original partition:",
    "  - orders[1]: 1",
    "  - orders[2]: 3",
    "  - orders[10]: 1",
    "  - unknown: 1",
    "=".repeat(70),
  ]);
});

Deno.test("formatDlqSummary() prints an empty DLQ as zeros", () => {
  assert.deepEqual(formatDlqSummary(new DlqSummaryBuilder().summary()), [
    "=".repeat(70),
    "DEAD LETTER QUEUE SUMMARY",
    "=".repeat(70),
    "Total failed messages: 0",
    "",
    "Total value of failed orders: $0.00",
    "Oldest failure: none",
    "Newest failure: none",
    "=".repeat(70),
  ]);
});
