import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import {
  buildDlqHeaders,
  DLQ_HEADERS,
  type DlqContext,
  type Headers,
  parseDlqHeaders,
  REPLAY_COUNT_HEADER,
} from "./headers.ts";

const CTX: DlqContext = {
  topic: "orders",
  partition: 2,
  offset: "258",
  timestamp: "1700000000123",
  group: "order-aggregator",
  errorClass: "ValidationError",
  errorMessage: "price must be above 0: got 0",
  errorType: "validation",
  attempts: 1,
  failedAt: new Date("2024-05-01T12:00:00.000Z"),
};

function bytes(value: unknown): number[] {
  assert.ok(Buffer.isBuffer(value), `expected a Buffer, got ${typeof value}`);
  return [...value];
}

Deno.test("buildDlqHeaders() writes the partition as a 4-byte big-endian int", () => {
  const h = buildDlqHeaders(undefined, CTX);
  assert.deepEqual(bytes(h[DLQ_HEADERS.partition]), [0, 0, 0, 2]);
  const big = buildDlqHeaders(undefined, { ...CTX, partition: 0x01020304 });
  assert.deepEqual(bytes(big[DLQ_HEADERS.partition]), [1, 2, 3, 4]);
});

Deno.test("buildDlqHeaders() writes offset and timestamp as 8-byte big-endian longs", () => {
  const h = buildDlqHeaders(undefined, CTX);
  assert.deepEqual(bytes(h[DLQ_HEADERS.offset]), [0, 0, 0, 0, 0, 0, 0x01, 0x02]);
  // 1700000000123 = 0x018B_CFE5_687B
  assert.deepEqual(bytes(h[DLQ_HEADERS.timestamp]), [0, 0, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x7b]);
  const huge = buildDlqHeaders(undefined, { ...CTX, offset: "9223372036854775807" });
  assert.deepEqual(bytes(huge[DLQ_HEADERS.offset]), [
    0x7f,
    0xff,
    0xff,
    0xff,
    0xff,
    0xff,
    0xff,
    0xff,
  ]);
});

Deno.test("buildDlqHeaders() writes the text headers under Spring's and our names", () => {
  const h = buildDlqHeaders(undefined, { ...CTX, attempts: 4 });
  assert.deepEqual(
    Object.fromEntries(
      Object.entries(h).filter(([, v]) => typeof v === "string"),
    ),
    {
      "kafka_dlt-original-topic": "orders",
      "kafka_dlt-original-timestamp-type": "CreateTime",
      "kafka_dlt-original-consumer-group": "order-aggregator",
      "kafka_dlt-exception-fqcn": "ValidationError",
      "kafka_dlt-exception-message": "price must be above 0: got 0",
      "dlq-error-type": "validation",
      "dlq-attempts": "4",
      "dlq-failed-at": "2024-05-01T12:00:00.000Z",
    },
  );
});

Deno.test("buildDlqHeaders() keeps the original headers, context headers winning on a clash", () => {
  const trace = Buffer.from("abc-123");
  const h = buildDlqHeaders({ "trace-id": trace, source: "web", "dlq-attempts": "99" }, CTX);
  assert.equal(h["trace-id"], trace);
  assert.equal(h.source, "web");
  assert.equal(h["dlq-attempts"], "1");
});

Deno.test("parseDlqHeaders() reads back everything buildDlqHeaders() wrote", () => {
  const original = { "trace-id": Buffer.from("abc-123"), source: "web" };
  const parsed = parseDlqHeaders(buildDlqHeaders(original, CTX));
  // The context comes back whole, field for field, with nothing replayed yet.
  assert.deepEqual(parsed, {
    ...CTX,
    replayCount: 0,
    original: { "trace-id": Buffer.from("abc-123"), source: Buffer.from("web") },
  });
});

Deno.test("parseDlqHeaders() tolerates a record with no headers", () => {
  const empty = {
    topic: undefined,
    partition: undefined,
    offset: undefined,
    timestamp: undefined,
    group: undefined,
    errorClass: undefined,
    errorMessage: undefined,
    errorType: undefined,
    attempts: undefined,
    failedAt: undefined,
    replayCount: 0,
    original: {},
  };
  assert.deepEqual(parseDlqHeaders(undefined), empty);
  assert.deepEqual(parseDlqHeaders({}), empty);
  assert.deepEqual(parseDlqHeaders({ [DLQ_HEADERS.topic]: undefined }), empty);
});

Deno.test("parseDlqHeaders() reads ints written as decimal text by another tool", () => {
  const parsed = parseDlqHeaders({
    [DLQ_HEADERS.partition]: Buffer.from("3"),
    [DLQ_HEADERS.offset]: "42",
    [DLQ_HEADERS.timestamp]: Buffer.from("1700000000123"),
  });
  assert.equal(parsed.partition, 3);
  assert.equal(parsed.offset, "42");
  assert.equal(parsed.timestamp, "1700000000123");
});

Deno.test("parseDlqHeaders() reads decimal text of 4 or 8 digits as text, not as binary", () => {
  const parsed = parseDlqHeaders({
    [DLQ_HEADERS.partition]: "12",
    [DLQ_HEADERS.offset]: "1234",
    [DLQ_HEADERS.timestamp]: Buffer.from("12345678"),
  });
  assert.equal(parsed.offset, "1234");
  assert.equal(parsed.timestamp, "12345678");
});

Deno.test("parseDlqHeaders() ignores unreadable ints and dates", () => {
  const parsed = parseDlqHeaders({
    [DLQ_HEADERS.partition]: "two",
    [DLQ_HEADERS.offset]: Buffer.from([1, 2, 3]),
    [DLQ_HEADERS.attempts]: "-1",
    [DLQ_HEADERS.failedAt]: "yesterday",
  });
  assert.equal(parsed.partition, undefined);
  assert.equal(parsed.offset, undefined);
  assert.equal(parsed.attempts, undefined);
  assert.equal(parsed.failedAt, undefined);
});

Deno.test("parseDlqHeaders() takes the last value of an array-valued header", () => {
  const parsed = parseDlqHeaders({
    [DLQ_HEADERS.topic]: ["old-topic", Buffer.from("orders")],
    [DLQ_HEADERS.partition]: [Buffer.from([0, 0, 0, 1]), Buffer.from([0, 0, 0, 5])],
    "trace-id": ["a", "b"],
  });
  assert.equal(parsed.topic, "orders");
  assert.equal(parsed.partition, 5);
  assert.deepEqual(parsed.original, { "trace-id": Buffer.from("b") });
});

Deno.test("parseDlqHeaders() reads replay-count, defaulting to 0", () => {
  assert.equal(parseDlqHeaders({ [REPLAY_COUNT_HEADER]: "2" }).replayCount, 2);
  assert.equal(parseDlqHeaders({ [REPLAY_COUNT_HEADER]: Buffer.from("7") }).replayCount, 7);
  assert.equal(parseDlqHeaders({ [REPLAY_COUNT_HEADER]: "x" }).replayCount, 0);
  assert.equal(parseDlqHeaders({}).replayCount, 0);
});

Deno.test("parseDlqHeaders() leaves context headers out of `original`, replay-count in", () => {
  const headers = {
    ...buildDlqHeaders({ "trace-id": "t1" }, CTX),
    "kafka_dlt-key-exception-fqcn": "SomeOtherSpringHeader",
    [REPLAY_COUNT_HEADER]: "1",
  };
  assert.deepEqual(parseDlqHeaders(headers).original, {
    "trace-id": Buffer.from("t1"),
    "replay-count": Buffer.from("1"),
  });
});

Deno.test("parseDlqHeaders() reads a header with no value (null from kafkajs) as missing", () => {
  const headers = {
    [DLQ_HEADERS.partition]: null,
    [DLQ_HEADERS.offset]: [Buffer.from("5"), null],
    [DLQ_HEADERS.exceptionMessage]: null,
    custom: null,
  } as unknown as Headers;
  const parsed = parseDlqHeaders(headers);
  assert.equal(parsed.partition, undefined);
  assert.equal(parsed.offset, undefined);
  assert.equal(parsed.errorMessage, undefined);
  assert.deepEqual(parsed.original, {});
});
