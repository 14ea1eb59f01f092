import assert from "node:assert/strict";
import { generateRecords } from "../order/generator.ts";
import { BENCH_DEFAULTS, type BenchConfig } from "./options.ts";
import { benchEnvironment, benchSettings, recordBytes } from "./run.ts";

const CONFIG: BenchConfig = {
  ...BENCH_DEFAULTS,
  orders: 4,
  scaling: [10, 20],
  steps: new Set(["produce", "scaling"]),
};

Deno.test("recordBytes() adds up the value and key sizes of the orders the bench sends", () => {
  const records = generateRecords(20, { seed: 5 });
  assert.deepEqual(recordBytes(20, 5), {
    valueBytes: records.reduce((sum, r) => sum + r.value.length, 0),
    keyBytes: 20 * "ORD-00001".length,
  });
});

Deno.test("benchSettings() averages the sizes and lists scaling sizes only when scaling runs", () => {
  assert.deepEqual(benchSettings(CONFIG, { valueBytes: 100, keyBytes: 36 }), {
    orders: 4,
    recordSizeBytes: 25,
    keySizeBytes: 9,
    partitions: 3,
    e2eRate: 1000,
    e2eSeconds: 30,
    scalingSizes: [10, 20],
  });
  const noScaling = { ...CONFIG, steps: new Set(["produce"] as const) };
  assert.deepEqual(benchSettings(noScaling, { valueBytes: 100, keyBytes: 36 }).scalingSizes, []);
});

Deno.test("benchEnvironment() records the broker, the tools and the command", () => {
  const env = benchEnvironment({
    config: CONFIG,
    brokers: ["a:1", "b:2"],
    progress: () => {},
    java: { command: "java", options: [], classpath: "", version: "4.1.0" },
    kafkaVersion: "4.4.0",
    ownBroker: true,
    args: ["--orders=4", "--no-java"],
  });
  assert.deepEqual(
    [env.brokers, env.kafkaVersion, env.toolsVersion, env.ownBroker, env.command, env.deno],
    ["a:1,b:2", "4.4.0", "4.1.0", true, "deno task bench --orders=4 --no-java", Deno.version.deno],
  );
});
