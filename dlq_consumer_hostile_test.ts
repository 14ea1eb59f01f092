import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import type { Message } from "kafkajs";
import { DLQ_HEADERS } from "./lib/dlq/headers.ts";
import { encodeOrder } from "./lib/order/codec.ts";
import {
  brokerEnv,
  createTopic,
  INTEGRATION,
  runScript,
  testBrokers,
  testKafka,
  uniqueName,
} from "./lib/testing/harness.ts";

/** Bytes 0..255 in a scrambled order: every control character and invalid UTF-8 byte. */
const GARBAGE = Buffer.from(Array.from({ length: 256 }, (_, i) => (i * 167) % 256));

/** A DLQ written by hostile clients: one record of each kind the monitor must survive. */
function hostileDlq(): Message[] {
  const garbageHeaders = Object.fromEntries(
    Object.values(DLQ_HEADERS).map((name, i) => [name, GARBAGE.subarray(i * 7, i * 7 + 9)]),
  );
  return [
    // 1. No headers at all, a value that is no order.
    { key: Buffer.from("k1"), value: Buffer.from("no headers\nat all") },
    // 2. Every context header is garbage bytes.
    { key: GARBAGE.subarray(0, 12), value: GARBAGE, headers: garbageHeaders },
    // 3. A huge header: half a megabyte of error message full of newlines.
    {
      key: null,
      value: Buffer.from([0x02]),
      headers: { [DLQ_HEADERS.exceptionMessage]: Buffer.from("line\n".repeat(100_000)) },
    },
    // 4. A tombstone, with headers, and 5. one without.
    {
      key: Buffer.from("t1"),
      value: null,
      headers: { [DLQ_HEADERS.errorType]: "deserialization" },
    },
    { key: null, value: null },
    // 6. An empty value.
    { key: Buffer.from("e1"), value: Buffer.alloc(0) },
    // 7. A repeated header (kafkajs hands over an array) and a 3-byte partition.
    {
      key: Buffer.from("n1"),
      value: Buffer.from("x"),
      headers: {
        [DLQ_HEADERS.partition]: Buffer.from([1, 2, 3]),
        [DLQ_HEADERS.exceptionMessage]: ["first", "product is empty for ORD-000777"],
      },
    },
    // 8. An order whose strings would break a line and whose price was bit-flipped to 3e38.
    {
      key: Buffer.from("ORD-9\n"),
      value: encodeOrder({
        orderId: "ORD-9\nDLQ Message #0: fake",
        product: "\u001b[2J",
        price: 3e38,
      }),
      headers: { [DLQ_HEADERS.exceptionMessage]: "price 3e38 is above the maximum 100000" },
    },
    // 9. A plain order worth $10.00: the only price the total value counts.
    {
      key: Buffer.from("ORD-10"),
      value: encodeOrder({ orderId: "ORD-10", product: "Mouse", price: 10 }),
      headers: { [DLQ_HEADERS.exceptionMessage]: "product is empty for ORD-000778" },
    },
  ];
}

Deno.test({
  name: "dlq_consumer shows each record of a hostile DLQ on one line and counts it in the summary",
  ...INTEGRATION,
  async fn() {
    const brokers = await testBrokers();
    const dlq = uniqueName("hostile-dlq");
    await createTopic(brokers, dlq, 1);
    const producer = testKafka(brokers).producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      await producer.send({ topic: dlq, acks: -1, messages: hostileDlq() });
    } finally {
      await producer.disconnect();
    }
    const result = await runScript(
      "dlq_consumer.ts",
      [`--topic=${dlq}`, "--from-beginning", "--idle-exit=1"],
      await brokerEnv(),
    );
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.split("\n");
    const shown = lines.filter((l) => l.startsWith("DLQ Message #"));
    assert.deepEqual(shown.map((l) => l.match(/^DLQ Message #(\d+):/)?.[1]), [
      "1",
      "2",
      "3",
      "4",
      "5",
      "6",
      "7",
      "8",
      "9",
    ]);
    // Nothing else between the start line and the summary: no record spilled onto a second line.
    const summaryAt = lines.indexOf("DEAD LETTER QUEUE SUMMARY");
    assert.equal(summaryAt, 1 + 9 + 1, result.stdout.slice(0, 3000));
    assert.ok(shown.every((l) => l.length < 1500), "every line is cut to a readable size");
    assert.equal(
      shown[3],
      "DLQ Message #4: Key=t1, Value=empty (not an order: tombstone: record has no value), Error=unknown (origin unknown, attempts unknown)",
    );
    assert.equal(
      shown[7],
      "DLQ Message #8: OrderID=ORD-9\\nDLQ Message #0: fake, Product=\\u001b[2J, Price=3.0000000054977558e+38, " +
        "Error='price 3e38 is above the maximum 100000' (origin unknown, attempts unknown)",
    );
    assert.ok(shown[2].includes("Error='line\\nline\\n"), shown[2].slice(0, 200));
    assert.ok(shown[2].includes("... (499800 more characters)'"), shown[2].slice(-200));
    const summary = lines.slice(summaryAt);
    for (
      const expected of [
        "Total failed messages: 9",
        "  - product is empty for <id>: 2 occurrences",
        "Total value of failed orders: $10.00",
        "  (left out: 8 failed records, 7 not an order, 1 with a price no valid order has)",
      ]
    ) {
      assert.ok(summary.includes(expected), `missing '${expected}' in:\n${summary.join("\n")}`);
    }
  },
});
