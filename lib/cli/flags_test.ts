import assert from "node:assert/strict";
import {
  commonFlags,
  connectionSettings,
  isLoopback,
  metricsSettings,
  outputMode,
  resolveBrokers,
} from "./flags.ts";

/** Runs `fn` with `KAFKA_BROKERS` set to `value` (or unset), restoring it afterwards. */
function withBrokersEnv(value: string | undefined, fn: () => void): void {
  const saved = Deno.env.get("KAFKA_BROKERS");
  try {
    if (value === undefined) Deno.env.delete("KAFKA_BROKERS");
    else Deno.env.set("KAFKA_BROKERS", value);
    fn();
  } finally {
    if (saved === undefined) Deno.env.delete("KAFKA_BROKERS");
    else Deno.env.set("KAFKA_BROKERS", saved);
  }
}

Deno.test("resolveBrokers() prefers the flag over KAFKA_BROKERS and trims each entry", () => {
  withBrokersEnv("env:1", () => {
    assert.deepEqual(resolveBrokers(" a:1 , b:2,, "), ["a:1", "b:2"]);
  });
});

Deno.test("resolveBrokers() falls back to KAFKA_BROKERS, then to 127.0.0.1:9092", () => {
  withBrokersEnv("k1:9092,k2:9093", () => {
    assert.deepEqual(resolveBrokers(undefined), ["k1:9092", "k2:9093"]);
  });
  withBrokersEnv(undefined, () => {
    assert.deepEqual(resolveBrokers(undefined), ["127.0.0.1:9092"]);
  });
});

Deno.test("resolveBrokers() raises UsageError when the list is empty", () => {
  withBrokersEnv(undefined, () => {
    assert.throws(() => resolveBrokers(" , "), {
      name: "UsageError",
      message: "--brokers must list host:port pairs",
    });
  });
});

Deno.test("commonFlags() picks the named entries of the shared table", () => {
  assert.deepEqual(commonFlags("brokers", "json"), {
    brokers: { type: "string" },
    json: { type: "boolean" },
  });
  assert.deepEqual(commonFlags(), {});
});

Deno.test("connectionSettings() reads the broker list and the timeout in seconds", () => {
  withBrokersEnv(undefined, () => {
    assert.deepEqual(connectionSettings({}), {
      brokers: ["127.0.0.1:9092"],
      connectTimeoutMs: 30_000,
    });
    assert.deepEqual(connectionSettings({ brokers: "a:1", "connect-timeout": "2.5" }), {
      brokers: ["a:1"],
      connectTimeoutMs: 2500,
    });
    assert.throws(() => connectionSettings({ "connect-timeout": "0" }), {
      name: "UsageError",
      message: "--connect-timeout must be >= 0.1: current value is 0",
    });
  });
});

Deno.test("outputMode() is text by default and refuses --quiet with --json", () => {
  assert.equal(outputMode({}), "text");
  assert.equal(outputMode({ quiet: true }), "quiet");
  assert.equal(outputMode({ json: true }), "json");
  assert.throws(() => outputMode({ quiet: true, json: true }), {
    name: "UsageError",
    message: "--quiet and --json cannot be combined",
  });
});

Deno.test("metricsSettings() is undefined without --metrics-port and binds 127.0.0.1 by default", () => {
  assert.equal(metricsSettings({}), undefined);
  assert.deepEqual(metricsSettings({ "metrics-port": "9464" }), { port: 9464, host: "127.0.0.1" });
  assert.deepEqual(metricsSettings({ "metrics-port": "0", "metrics-host": "0.0.0.0" }), {
    port: 0,
    host: "0.0.0.0",
  });
});

Deno.test("metricsSettings() raises UsageError for a bad port or a host without a port", () => {
  assert.throws(() => metricsSettings({ "metrics-port": "70000" }), {
    name: "UsageError",
    message: "--metrics-port must be in [0, 65535]: current value is 70000",
  });
  assert.throws(() => metricsSettings({ "metrics-host": "0.0.0.0" }), {
    name: "UsageError",
    message: "--metrics-host applies only with --metrics-port",
  });
  assert.throws(() => metricsSettings({ "metrics-port": "1", "metrics-host": " " }), {
    name: "UsageError",
    message: "--metrics-host must not be empty",
  });
});

Deno.test("isLoopback() accepts localhost, 127.0.0.0/8 and ::1 only", () => {
  assert.deepEqual(
    ["localhost", "127.0.0.1", "127.1.2.3", "::1", "0.0.0.0", "10.0.0.1", "::"].map(isLoopback),
    [true, true, true, true, false, false, false],
  );
});
