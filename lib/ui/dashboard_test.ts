import assert from "node:assert/strict";
import {
  brokerEnv,
  INTEGRATION,
  produceOrders,
  runScript,
  testBrokers,
  uniqueName,
  waitFor,
} from "../testing/harness.ts";
import { Dashboard } from "./dashboard.ts";
import { uiConfig } from "./options.ts";

Deno.test({
  name: "Dashboard snapshots agree with stats, count the lag and list the dead letters",
  ...INTEGRATION,
  async fn() {
    const env = await brokerEnv();
    const topic = uniqueName("orders");
    const group = uniqueName("group");
    const config = uiConfig({
      brokers: await testBrokers(),
      topic,
      dlqTopic: `${topic}-dlq`,
      group,
    });
    const dashboard = await Dashboard.open(config, () => {});
    try {
      assert.deepEqual(dashboard.snapshot().aggregate, {
        count: 0,
        average: 0,
        min: 0,
        max: 0,
        revenue: 0,
      });
      await produceOrders(topic, 200, { seed: 8, invalidRate: 0.05 });
      const waiting = await waitFor(() => {
        const s = dashboard.snapshot();
        return s.lag.total === 200 ? s : undefined;
      }, { message: "a lag of 200 before any consumer" });
      assert.equal(waiting.consumerGroup.status, "dead");
      assert.equal(waiting.partitions.reduce((sum, p) => sum + p.logEnd, 0), 200);

      const consumed = await runScript("consumer.ts", [
        `--topic=${topic}`,
        `--dlq-topic=${topic}-dlq`,
        `--group=${group}`,
        "--idle-exit=1",
        "--quiet",
      ], env);
      assert.equal(consumed.code, 0, consumed.stderr);
      const stats = await runScript(
        "stats.ts",
        ["--json", `--topic=${topic}`, `--group=${group}`],
        env,
      );
      const expected = JSON.parse(stats.stdout);
      const caughtUp = await waitFor(() => {
        const s = dashboard.snapshot();
        const done = s.lag.total === 0 && s.dlq.total === 200 - expected.count &&
          s.consumerGroup.status === "empty";
        return done ? s : undefined;
      }, { message: "the lag at 0, every dead letter listed and the consumer gone" });
      assert.deepEqual(caughtUp.aggregate, expected);
      assert.equal(caughtUp.lag.trend, "caught-up");
      assert.deepEqual(caughtUp.dlq.byType, { validation: 200 - expected.count });
      assert.equal(caughtUp.broker.reachable, true);
      assert.equal(caughtUp.consumerGroup.status, "empty");
      assert.equal(caughtUp.charts.t.length, 300);
    } finally {
      await dashboard.close();
    }
  },
});
