import assert from "node:assert/strict";
import { parseProducerLine, producerArgs } from "./producer.ts";

Deno.test("producerArgs() splits the poison share between undecodable and invalid orders", () => {
  assert.deepEqual(
    producerArgs({
      orders: 100,
      rate: 50,
      seed: 7,
      poisonRate: 0.02,
      partitions: 6,
      brokers: "a:1",
      topic: "t",
      dlqTopic: "t-dlq",
      attempts: 6,
    }),
    [
      "--quiet",
      "--count=100",
      "--rate=50",
      "--seed=7",
      "--corrupt-rate=0.01",
      "--invalid-rate=0.01",
      "--partitions=6",
      "--replication-factor=3",
      "--attempts=6",
      "--brokers=a:1",
      "--topic=t",
      "--dlq-topic=t-dlq",
    ],
  );
});

Deno.test("parseProducerLine() reads the key of an unsent order and counts retried attempts", () => {
  assert.deepEqual(
    parseProducerLine('[UNSENT] {"key":"ORD-00042","orderId":"ORD-00042","valueBase64":"AA=="}'),
    { kind: "unsent", key: "ORD-00042" },
  );
  assert.deepEqual(
    parseProducerLine("[WARN] send of 3 orders failed (attempt 1/6): boom. Retrying in 200ms..."),
    { kind: "retry" },
  );
  for (const line of ["[UNSENT] {broken", "[DLQ] ORD-1 -> t-dlq: x", "Messages produced: 3"]) {
    assert.deepEqual(parseProducerLine(line), { kind: "other" });
  }
});
