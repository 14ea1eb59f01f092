import assert from "node:assert/strict";
import { demoSteps, excerpt } from "./demo.ts";
import { LAUNCHER_PERMISSIONS } from "./lib/cli/subprocess.ts";
import { brokerEnv, INTEGRATION, runScript } from "./lib/testing/harness.ts";

Deno.test("excerpt() keeps the first lines and the whole summary", () => {
  const output = ["a", "b", "c", "d", "=".repeat(30), "SUMMARY", "=".repeat(30)].join("\n");
  assert.equal(
    excerpt(output, 2),
    ["a", "b", "  ... 2 more lines ...", "=".repeat(30), "SUMMARY", "=".repeat(30)].join("\n"),
  );
  assert.equal(excerpt("x\ny\n", 5), "x\ny");
});

Deno.test({
  name: "demo runs every step of the pipeline against the configured broker",
  ...INTEGRATION,
  async fn() {
    const result = await runScript(
      "demo.ts",
      ["--count=120", "--ui-port=0"],
      await brokerEnv(),
      LAUNCHER_PERMISSIONS,
    );
    assert.equal(result.code, 0, result.stdout + result.stderr);
    for (
      const heading of [
        "PRODUCER METRICS",
        "CONSUMER METRICS",
        "AGGREGATION RESULTS (group demo-",
        "DEAD LETTER QUEUE SUMMARY",
      ]
    ) {
      assert.ok(result.stdout.includes(heading), `missing ${heading}`);
    }
    assert.match(
      result.stdout,
      /^Dashboard: http:\/\/127\.0\.0\.1:\d+\/ — open it to watch the run$/m,
    );
    assert.match(result.stdout, /Messages produced: 120\n/);
    assert.match(result.stdout, /Messages consumed: 120\n/);
  },
});

Deno.test("demoSteps() produces, consumes, reads the stats and the DLQ of the run's names", () => {
  const steps = demoSteps({ topic: "t", dlq: "t-dlq", group: "g" }, 120, 50);
  assert.deepEqual(steps.map((s) => s.script), [
    "producer.ts",
    "consumer.ts",
    "stats.ts",
    "dlq_consumer.ts",
  ]);
  assert.deepEqual(steps[0].args, [
    "120",
    "--topic=t",
    "--dlq-topic=t-dlq",
    "--corrupt-rate=0.03",
    "--invalid-rate=0.03",
    "--seed=2026",
    "--rate=50",
  ]);
  assert.ok(steps[1].args.includes("--group=g"));
  assert.ok(
    !demoSteps({ topic: "t", dlq: "t-dlq", group: "g" }, 1, 0)[0].args.includes("--rate=0"),
  );
});
