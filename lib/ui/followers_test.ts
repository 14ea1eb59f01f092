import assert from "node:assert/strict";
import { KafkaSession } from "../kafka/session.ts";
import {
  brokerEnv,
  INTEGRATION,
  produceOrders,
  runScript,
  spawnScript,
  testBrokers,
  uniqueName,
  waitFor,
} from "../testing/harness.ts";
import { CommitLatency } from "./commit_latency.ts";
import { followCommits, followOrders, watchDeadLetters } from "./followers.ts";
import { uiConfig } from "./options.ts";

Deno.test({
  name: "followOrders() and followCommits() time orders from creation to the group's commit",
  ...INTEGRATION,
  async fn() {
    const env = await brokerEnv();
    const topic = uniqueName("orders");
    const config = uiConfig({
      brokers: await testBrokers(),
      topic,
      dlqTopic: `${topic}-dlq`,
      group: uniqueName("group"),
    });
    await produceOrders(topic, 0);
    const latencies: number[] = [];
    const session = await KafkaSession.open(config, "follower-test");
    const consumer = spawnScript("consumer.ts", [
      `--topic=${topic}`,
      `--dlq-topic=${topic}-dlq`,
      `--group=${config.group}`,
      "--quiet",
    ], env);
    try {
      const latency = new CommitLatency((ms) => latencies.push(ms));
      await followOrders(session, config, latency);
      await followCommits(session, config, latency);
      // Produced over a few seconds, so the followers have joined for most of them.
      await produceOrders(topic, 150, {}, ["--rate=50"]);
      await waitFor(() => latencies.length >= 50, {
        message: `latencies of the orders (have ${latencies.length})`,
      });
      assert.ok(latencies.every((ms) => ms >= 0 && ms < 30_000), `latencies ${latencies}`);
    } finally {
      consumer.child.kill("SIGTERM");
      await consumer.done;
      await session.close();
    }
  },
});

Deno.test({
  name: "watchDeadLetters() shows every dead letter of the DLQ from its oldest",
  ...INTEGRATION,
  async fn() {
    const env = await brokerEnv();
    const topic = uniqueName("orders");
    await produceOrders(topic, 100, { seed: 3, corruptRate: 0.1 });
    const consumed = await runScript("consumer.ts", [
      `--topic=${topic}`,
      `--dlq-topic=${topic}-dlq`,
      `--group=${uniqueName("group")}`,
      "--idle-exit=1",
      "--json",
    ], env);
    assert.equal(consumed.code, 0, consumed.stderr);
    const summary = JSON.parse(consumed.stdout.trim().split("\n").at(-1)!);
    const config = uiConfig({ brokers: await testBrokers(), topic, dlqTopic: `${topic}-dlq` });
    const seen: string[] = [];
    const stop = new AbortController();
    const watching = watchDeadLetters(config, {
      seen: (view) => seen.push(view.errorType),
      restarted: () => {},
      warn: () => {},
    }, stop.signal);
    try {
      await waitFor(() => seen.length === summary.sentToDlq, {
        message: `${summary.sentToDlq} dead letters (have ${seen.length})`,
      });
      assert.ok(seen.every((type) => type === "deserialization"));
    } finally {
      stop.abort();
      await watching;
    }
  },
});
