import assert from "node:assert/strict";
import { INTEGRATION, testBrokers, testKafka, uniqueName } from "../testing/harness.ts";
import { ensureTopics } from "./topics.ts";

Deno.test({
  name: "ensureTopics() creates missing topics once and reports their partition counts",
  ...INTEGRATION,
  async fn() {
    const admin = testKafka(await testBrokers()).admin();
    await admin.connect();
    try {
      const a = uniqueName("topic");
      const b = uniqueName("topic");
      const first = await ensureTopics(admin, [{ topic: a }, { topic: b, partitions: 1 }]);
      assert.deepEqual(new Map(first), new Map([[a, 3], [b, 1]]));
      // Idempotent, and an existing topic keeps its own partition count.
      const second = await ensureTopics(admin, [{ topic: a, partitions: 5 }, { topic: b }]);
      assert.deepEqual(new Map(second), new Map([[a, 3], [b, 1]]));
      const { topics } = await admin.fetchTopicMetadata({ topics: [a, b] });
      for (const t of topics) assert.ok(t.partitions.every((p) => p.leader >= 0));
    } finally {
      await admin.disconnect();
    }
  },
});
