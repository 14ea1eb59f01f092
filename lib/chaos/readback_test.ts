import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { buildDlqHeaders } from "../dlq/headers.ts";
import { ensureTopics } from "../kafka/topics.ts";
import { INTEGRATION, testBrokers, testKafka, uniqueName } from "../testing/harness.ts";
import { caughtUp, readDeadLetters, readOrders } from "./readback.ts";

Deno.test({
  name: "readOrders() and readDeadLetters() read every record back; caughtUp() follows the group",
  ...INTEGRATION,
  async fn() {
    const kafka = testKafka(await testBrokers());
    const admin = kafka.admin();
    // Idempotent: a retried send must not write the records twice.
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await Promise.all([admin.connect(), producer.connect()]);
    try {
      const topic = uniqueName("chaos-read");
      const dlq = `${topic}-dlq`;
      await ensureTopics(admin, [{ topic, partitions: 2 }, { topic: dlq, partitions: 1 }]);
      await producer.send({
        topic,
        messages: [
          { key: "ORD-00001", value: "a", partition: 0, timestamp: "1000" },
          { key: "ORD-00002", value: "b", partition: 1, timestamp: "2000" },
          { key: "ORD-00003", value: "c", partition: 1, timestamp: "3000" },
        ],
      });
      const headers = buildDlqHeaders(undefined, {
        topic,
        partition: 1,
        offset: "1",
        timestamp: "3000",
        group: "g",
        errorClass: "ValidationError",
        errorMessage: "bad",
        errorType: "validation",
        attempts: 1,
        failedAt: new Date(0),
      });
      await producer.send({
        topic: dlq,
        messages: [{ key: "ORD-00003", value: Buffer.from("c"), headers }],
      });

      const orders = await readOrders(kafka, admin, topic);
      assert.deepEqual(
        orders.sort((a, b) => a.timestamp - b.timestamp),
        [
          { key: "ORD-00001", partition: 0, offset: "0", timestamp: 1000 },
          { key: "ORD-00002", partition: 1, offset: "0", timestamp: 2000 },
          { key: "ORD-00003", partition: 1, offset: "1", timestamp: 3000 },
        ],
      );
      assert.deepEqual(await readDeadLetters(kafka, admin, dlq), [
        { key: "ORD-00003", errorType: "validation", partition: 1, offset: "1" },
      ]);

      const group = uniqueName("chaos-group");
      assert.equal(await caughtUp(admin, group, topic), false);
      await admin.setOffsets({
        groupId: group,
        topic,
        partitions: [{ partition: 0, offset: "1" }, { partition: 1, offset: "1" }],
      });
      assert.equal(await caughtUp(admin, group, topic), false);
      await admin.setOffsets({
        groupId: group,
        topic,
        partitions: [{ partition: 1, offset: "2" }],
      });
      assert.equal(await caughtUp(admin, group, topic), true);
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }
  },
});
