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
} from "./summary.ts";
import { parseDlqHeaders } from "./headers.ts";
import { dlqContext } from "./_test_utils.ts";

const CTX = dlqContext({ topic: "orders" });

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
  assert.equal(formatPrice(Math.fround(3e38)), "3.0000000054977558e+38");
  assert.equal(formatPrice(1e15), "1000000000000000");
  assert.equal(formatPrice(99_999_999_999_999), "$99,999,999,999,999.00");
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

Deno.test("inspectDlqRecord() counts no value for a price above the maximum price", () => {
  const value = (price: number, maxPrice?: number) =>
    inspectDlqRecord(failed({ ...TABLET, price }), { maxPrice }).valueCents;
  // A bit-flipped price: the largest float32.
  assert.equal(value(3.4028234663852886e38), undefined);
  assert.equal(value(Infinity), undefined);
  assert.equal(value(100_000), 10_000_000);
  assert.equal(value(100_000.01), undefined);
  assert.equal(value(600, 500), undefined);
  assert.equal(value(500, 500), 50_000);
});

Deno.test("formatDlqLine() shows a hostile record on one line, its text escaped and cut", () => {
  const order = { orderId: "ORD-1\nDLQ Message #99: fake", product: "\u001b[2J", price: 1 };
  const headers = buildDlqHeaders(undefined, { ...CTX, errorMessage: "boom\n".repeat(100_000) });
  const line = formatDlqLine(1, inspectDlqRecord(dlqRecord(encodeOrder(order), headers)));
  assert.ok(!line.includes("\n"));
  assert.ok(
    line.startsWith(
      "DLQ Message #1: OrderID=ORD-1\\nDLQ Message #99: fake, Product=\\u001b[2J, Price=$1.00, " +
        "Error='boom\\nboom\\n",
    ),
    line,
  );
  assert.ok(
    line.endsWith("... (499800 more characters)' (orders[1]@42, 4 attempts)"),
    line.slice(-80),
  );
  // Garbage header bytes and a binary key: shown, escaped, on one line.
  const garbage = dlqRecord(Buffer.from([0x00]), {
    "kafka_dlt-exception-message": Buffer.from([0xff, 0x0a, 0x00, 0xc3]),
    "kafka_dlt-original-partition": Buffer.from([0x01, 0x02]),
    "dlq-failed-at": Buffer.from("not a time"),
  }, { key: Buffer.from([0x0d, 0x0a]) });
  assert.equal(
    formatDlqLine(2, inspectDlqRecord(garbage)),
    "DLQ Message #2: Key=\\r\\n, Value=1 bytes [00] (not an order: truncated: product length ends early), " +
      "Error='\uFFFD\\n\\u0000\uFFFD' (origin unknown, attempts unknown)",
  );
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
    // The truncated value, and the prices 0 and -5.
    leftOut: { notOrders: 1, impossiblePrices: 2 },
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
    "  (left out: 3 failed records, 1 not an order, 2 with a price no valid order has)",
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
