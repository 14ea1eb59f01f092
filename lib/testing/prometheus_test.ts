import assert from "node:assert/strict";
import {
  brokerEnv,
  groundTruth,
  INTEGRATION,
  produceOrders,
  runScript,
  spawnScript,
  uniqueName,
  waitFor,
} from "./harness.ts";
import { prometheusConfig, type PromSample, startPrometheus } from "./prometheus.ts";
import { hasCommand, needs } from "./tools.ts";

const PROMETHEUS = {
  name: "prometheus",
  available: hasCommand("prometheus") && hasCommand("promtool"),
  install: "apt-get install -y prometheus",
};

Deno.test("prometheusConfig() scrapes every target as job pipeline at the interval", () => {
  assert.equal(
    prometheusConfig(["127.0.0.1:1", "127.0.0.1:2"], 1),
    [
      "global:",
      "  scrape_interval: 1s",
      "  evaluation_interval: 1s",
      "scrape_configs:",
      "  - job_name: pipeline",
      "    static_configs:",
      '      - targets: ["127.0.0.1:1", "127.0.0.1:2"]',
      "",
    ].join("\n"),
  );
});

/** The one value of a query that selects one series. */
function only(samples: PromSample[]): number | undefined {
  return samples.length === 1 ? samples[0].value : undefined;
}

Deno.test({
  name:
    "Prometheus scrapes the consumer: processed count, lag and aggregate match the run and stats",
  ...INTEGRATION,
  ...needs(PROMETHEUS),
  async fn() {
    const topic = uniqueName("orders");
    const group = uniqueName("group");
    const env = await brokerEnv();
    const generator = { seed: 11, corruptRate: 0.02, invalidRate: 0.02 };
    await produceOrders(topic, 600, generator);
    const truth = groundTruth(600, generator);

    const consumer = spawnScript("consumer.ts", [
      `--topic=${topic}`,
      `--dlq-topic=${topic}-dlq`,
      `--group=${group}`,
      "--metrics-port=0",
      "--quiet",
    ], env);
    let prometheus;
    try {
      const metricsUrl = await waitFor(
        () => /Metrics at (http:\/\/\S+)/.exec(consumer.stderr())?.[1],
        { message: "the consumer's metrics address" },
      );
      prometheus = await startPrometheus([new URL(metricsUrl).host]);
      const q = prometheus.query;
      const sel = `{topic="${topic}",group="${group}"}`;
      const processed = await waitFor(async () => {
        const v = only(await q(`order_consumer_records_processed_total${sel}`));
        return v === truth.aggregate.count ? v : undefined;
      }, { timeoutMs: 60_000, message: `Prometheus to see ${truth.aggregate.count} processed` });
      const lag = await waitFor(async () => {
        const series = await q(`kafka_consumergroup_group_lag${sel}`);
        return series.length === 3 && series.every((s) => s.value === 0) ? series : undefined;
      }, { timeoutMs: 30_000, message: "Prometheus to see a lag of 0 on every partition" });
      const stats = await runScript(
        "stats.ts",
        ["--json", `--topic=${topic}`, `--group=${group}`],
        env,
      );
      assert.equal(stats.code, 0, stats.stderr);
      const fromPrometheus = {
        count: only(await q(`order_aggregate_orders${sel}`)),
        average: only(await q(`order_aggregate_average_price_dollars${sel}`)),
        min: only(await q(`order_aggregate_min_price_dollars${sel}`)),
        max: only(await q(`order_aggregate_max_price_dollars${sel}`)),
        revenue: only(await q(`order_aggregate_revenue_dollars${sel}`)),
      };
      assert.deepEqual(fromPrometheus, JSON.parse(stats.stdout));
      assert.deepEqual(fromPrometheus, truth.aggregate);
      const dead = await q(`order_consumer_records_dead_lettered_total${sel}`);
      const byType = Object.fromEntries(dead.map((s) => [s.labels.error_type, s.value]));
      assert.deepEqual(byType, { ...truth.deadLetters });
      assert.equal(only(await q(`kafka_consumergroup_group_sum_lag${sel}`)), 0);
      assert.equal(only(await q(`up{job="pipeline"}`)), 1);
      console.log(
        `Prometheus: processed ${processed}, lag ${
          lag.map((s) => `p${s.labels.partition}=${s.value}`).join(" ")
        }, aggregate ${JSON.stringify(fromPrometheus)}, dead-lettered ${JSON.stringify(byType)}`,
      );

      // The exposition itself passes Prometheus's own linter.
      const text = await (await fetch(metricsUrl)).text();
      const check = await new Deno.Command("promtool", {
        args: ["check", "metrics"],
        stdin: "piped",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const writer = check.stdin.getWriter();
      await writer.write(new TextEncoder().encode(text));
      await writer.close();
      const out = await check.output();
      const said = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 0, said);
      assert.equal(said, "");
    } finally {
      await prometheus?.stop();
      consumer.child.kill("SIGTERM");
      await consumer.done;
    }
  },
});
