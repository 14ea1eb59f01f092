import assert from "node:assert/strict";
import { demoNames, demoSteps, excerpt } from "./steps.ts";

Deno.test("excerpt() keeps the first lines and the whole summary", () => {
  const output = ["a", "b", "c", "d", "=".repeat(30), "SUMMARY", "=".repeat(30)].join("\n");
  assert.equal(
    excerpt(output, 2),
    ["a", "b", "  ... 2 more lines ...", "=".repeat(30), "SUMMARY", "=".repeat(30)].join("\n"),
  );
  assert.equal(excerpt("x\ny\n", 5), "x\ny");
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

Deno.test("demoSteps() hands every step the demo's connection flags", () => {
  const connection = ["--config=c.properties", "-X", "client.id=demo"];
  const steps = demoSteps({ topic: "t", dlq: "t-dlq", group: "g" }, 1, 0, connection);
  for (const step of steps) {
    assert.deepEqual(
      step.args.filter((a) => connection.includes(a)),
      connection,
      step.script,
    );
  }
});

Deno.test("demoNames() starts with orders/order on a secured cluster, for its ACLs", () => {
  assert.deepEqual(demoNames("abc", false), {
    topic: "demo-abc-orders",
    dlq: "demo-abc-orders-dlq",
    group: "demo-abc-processors",
  });
  assert.deepEqual(demoNames("abc", true), {
    topic: "orders-demo-abc",
    dlq: "orders-demo-abc-dlq",
    group: "order-demo-abc",
  });
});
