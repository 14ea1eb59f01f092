import assert from "node:assert/strict";
import { ensureTopics } from "../kafka/topics.ts";
import { INTEGRATION, testBrokers, testKafka, uniqueName } from "../testing/harness.ts";
import { producerConfig } from "./options.ts";
import { prepareTopics } from "./topics.ts";

Deno.test({
  name: "prepareTopics() takes the real partition counts of existing topics and prints the layout",
  ...INTEGRATION,
  async fn() {
    const brokers = await testBrokers();
    const admin = testKafka(brokers).admin();
    await admin.connect();
    try {
      const topic = uniqueName("orders");
      await ensureTopics(admin, [{ topic: `${topic}-dlq`, partitions: 2 }]);
      const config = producerConfig({ brokers, topic, dlqTopic: `${topic}-dlq`, partitions: 4 });
      const quiet: string[] = [];
      await prepareTopics(admin, config, (line) => quiet.push(line));
      assert.deepEqual([config.partitions, config.dlqPartitions, quiet], [4, 2, []]);
      const lines: string[] = [];
      await prepareTopics(admin, { ...config, verbose: true }, (line) => lines.push(line));
      assert.match(lines[0], new RegExp(`^Topic ${topic}: 4 partitions, replication factor \\d`));
      assert.equal(lines.length, 5);
    } finally {
      await admin.disconnect();
    }
  },
});
