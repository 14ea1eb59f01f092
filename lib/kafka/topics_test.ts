import assert from "node:assert/strict";
import { INTEGRATION, testBrokers, testKafka, uniqueName } from "../testing/harness.ts";
import { defaultReplicationFactor, ensureTopics, minInsyncReplicas } from "./topics.ts";
import { fetchTopicLayout } from "./layout.ts";

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

Deno.test("defaultReplicationFactor() replicates 3 times from 3 brokers and not below", () => {
  assert.deepEqual([1, 2, 3, 4, 9].map(defaultReplicationFactor), [1, 1, 3, 3, 3]);
});

Deno.test("minInsyncReplicas() asks 2 copies of a replicated topic and 1 of a single one", () => {
  assert.deepEqual([1, 2, 3, 5].map(minInsyncReplicas), [1, 2, 2, 2]);
});

Deno.test({
  name: "ensureTopics() sets min.insync.replicas and refuses more replicas than brokers",
  ...INTEGRATION,
  async fn() {
    const admin = testKafka(await testBrokers()).admin();
    await admin.connect();
    try {
      const brokers = (await admin.describeCluster()).brokers.length;
      const topic = uniqueName("topic");
      await ensureTopics(admin, [{ topic, partitions: 1 }]);
      const layout = await fetchTopicLayout(admin, topic);
      const replicas = defaultReplicationFactor(brokers);
      assert.equal(layout.partitions[0].replicas.length, replicas);
      assert.equal(layout.minInsyncReplicas, minInsyncReplicas(replicas));
      const other = uniqueName("topic");
      await assert.rejects(
        ensureTopics(admin, [{ topic: other }], { replicationFactor: brokers + 1 }),
        {
          name: "FatalError",
          message: `cannot create ${other} with replication factor ${brokers + 1}: the cluster ` +
            `has ${brokers} broker${brokers === 1 ? "" : "s"} (give --replication-factor ` +
            `${brokers} or less)`,
        },
      );
      assert.equal((await admin.listTopics()).includes(other), false);
    } finally {
      await admin.disconnect();
    }
  },
});

Deno.test("ensureTopics() polls for a topic it created until its leaders serve it", async () => {
  const error = (type: string, message: string) =>
    Object.assign(new Error(message), { name: "KafkaJSProtocolError", type, retriable: true });
  const unknown = error(
    "UNKNOWN_TOPIC_OR_PARTITION",
    "This server does not host this topic-partition",
  );
  const notLeader = error(
    "NOT_LEADER_FOR_PARTITION",
    "This server is not the leader for that topic-partition",
  );
  const created: { waitForLeaders?: boolean; topics: string[] }[] = [];
  const calls: string[] = [];
  let metadata = 0;
  let offsets = 0;
  // A topic just created, as a broker that has not yet applied the
  // controller's record answers: unknown twice; then named in the metadata
  // with its leader, which is not yet serving it, once.
  const admin = {
    listTopics: () => Promise.resolve([]),
    describeCluster: () => Promise.resolve({ brokers: [{ nodeId: 1 }] }),
    createTopics: (o: { waitForLeaders?: boolean; topics: { topic: string }[] }) => {
      created.push({ waitForLeaders: o.waitForLeaders, topics: o.topics.map((t) => t.topic) });
      return Promise.resolve(true);
    },
    fetchTopicMetadata: () => {
      calls.push("metadata");
      return ++metadata <= 2 ? Promise.reject(unknown) : Promise.resolve({
        topics: [{ name: "t", partitions: [0, 1].map((p) => ({ partitionId: p, leader: 1 })) }],
      });
    },
    fetchTopicOffsets: (topic: string) => {
      calls.push(`offsets ${topic}`);
      return ++offsets <= 1 ? Promise.reject(notLeader) : Promise.resolve([]);
    },
  } as unknown as Parameters<typeof ensureTopics>[0];
  assert.deepEqual(await ensureTopics(admin, [{ topic: "t", partitions: 2 }]), new Map([["t", 2]]));
  assert.deepEqual(created, [{ waitForLeaders: false, topics: ["t"] }]);
  assert.deepEqual(calls, [
    "metadata",
    "metadata",
    "metadata",
    "offsets t",
    "metadata",
    "offsets t",
  ]);
});
