import assert from "node:assert/strict";
import { INTEGRATION, testBrokers, testKafka, uniqueName } from "../testing/harness.ts";
import { fetchTopicLayout, layoutLines, underReplicated, verboseLayout } from "./layout.ts";
import { ensureTopics } from "./topics.ts";

const LAYOUT = {
  topic: "orders",
  partitions: [
    { partition: 0, leader: 1, replicas: [1, 2, 3], isr: [1, 2, 3] },
    { partition: 1, leader: 3, replicas: [2, 3, 1], isr: [3, 1] },
    { partition: 2, leader: -1, replicas: [3, 1, 2], isr: [] },
  ],
  minInsyncReplicas: 2,
};

Deno.test("layoutLines() shows each partition's leader, replicas and in-sync set", () => {
  assert.deepEqual(layoutLines(LAYOUT), [
    "Topic orders: 3 partitions, replication factor 3, min.insync.replicas 2",
    "  orders[0]: leader 1, replicas 1,2,3, in sync 1,2,3",
    "  orders[1]: leader 3, replicas 2,3,1, in sync 3,1 (under-replicated)",
    "  orders[2]: leader none, replicas 3,1,2, in sync none (under-replicated)",
  ]);
});

Deno.test("layoutLines() leaves out what it does not know", () => {
  const one = { topic: "t", partitions: [{ partition: 0, leader: 1, replicas: [1], isr: [1] }] };
  assert.deepEqual(layoutLines(one), [
    "Topic t: 1 partition, replication factor 1",
    "  t[0]: leader 1, replicas 1, in sync 1",
  ]);
  assert.deepEqual(layoutLines({ topic: "t", partitions: [] }), [
    "Topic t: 0 partitions, replication factor ?",
  ]);
});

Deno.test("verboseLayout() prints the lines, or one JSON object in JSON mode", () => {
  assert.deepEqual(verboseLayout(LAYOUT, "text"), layoutLines(LAYOUT));
  assert.deepEqual(verboseLayout(LAYOUT, "json").map((line) => JSON.parse(line)), [
    { event: "layout", ...LAYOUT },
  ]);
});

Deno.test("underReplicated() lists partitions short of in-sync replicas or without a leader", () => {
  assert.deepEqual(underReplicated(LAYOUT), [1, 2]);
});

Deno.test({
  name: "fetchTopicLayout() reads every partition's replicas and the topic's min.insync.replicas",
  ...INTEGRATION,
  async fn() {
    const admin = testKafka(await testBrokers()).admin();
    await admin.connect();
    try {
      const topic = uniqueName("layout");
      await ensureTopics(admin, [{ topic, partitions: 2 }]);
      const layout = await fetchTopicLayout(admin, topic);
      assert.equal(layout.topic, topic);
      assert.deepEqual(layout.partitions.map((p) => p.partition), [0, 1]);
      for (const p of layout.partitions) {
        assert.ok(p.replicas.includes(p.leader));
        assert.deepEqual([...p.isr].sort(), [...p.replicas].sort());
      }
      assert.equal(typeof layout.minInsyncReplicas, "number");
    } finally {
      await admin.disconnect();
    }
  },
});
