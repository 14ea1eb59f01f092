import assert from "node:assert/strict";
import {
  parseCli,
  parseNumber,
  resolveBrokers,
  shutdownSignal,
  stripDashDash,
  UsageError,
} from "./cli.ts";

const CONFIG = {
  options: { count: { type: "string" }, verbose: { type: "boolean" } },
} as const;

Deno.test("stripDashDash() drops one leading `--` and nothing else", () => {
  assert.deepEqual(stripDashDash(["--", "100", "0.5"]), ["100", "0.5"]);
  assert.deepEqual(stripDashDash(["--", "--", "x"]), ["--", "x"]);
  assert.deepEqual(stripDashDash(["100", "--"]), ["100", "--"]);
  assert.deepEqual(stripDashDash([]), []);
});

Deno.test("stripDashDash() returns a copy, never the input array", () => {
  const args = ["a"];
  const out = stripDashDash(args);
  out.push("b");
  assert.deepEqual(args, ["a"]);
});

Deno.test("parseCli() parses the same flags with or without a leading `--`", () => {
  const plain = parseCli(["--count", "5", "--verbose"], CONFIG);
  const dashed = parseCli(["--", "--count", "5", "--verbose"], CONFIG);
  assert.deepEqual({ ...plain.values }, { count: "5", verbose: true });
  assert.deepEqual({ ...dashed.values }, { count: "5", verbose: true });
  assert.deepEqual(dashed.positionals, []);
});

Deno.test("parseCli() raises UsageError on an unknown flag, a missing value or a positional", () => {
  assert.throws(() => parseCli(["--nope"], CONFIG), {
    name: "UsageError",
    message: "unknown flag '--nope'",
  });
  assert.throws(() => parseCli(["--count"], CONFIG), {
    name: "UsageError",
    message: "Option '--count <value>' argument missing",
  });
  assert.throws(() => parseCli(["extra"], CONFIG), UsageError);
});

Deno.test("parseNumber() returns the fallback when the flag is absent", () => {
  assert.equal(parseNumber("count", undefined, 7, { min: 0 }), 7);
});

Deno.test("parseNumber() accepts values on both inclusive bounds", () => {
  assert.equal(parseNumber("fail-rate", "0", 0.5, { min: 0, max: 1 }), 0);
  assert.equal(parseNumber("fail-rate", "1", 0.5, { min: 0, max: 1 }), 1);
  assert.equal(parseNumber("fail-rate", "0.25", 0.5, { min: 0, max: 1 }), 0.25);
});

Deno.test("parseNumber() names the flag, range and value when out of bounds", () => {
  assert.throws(() => parseNumber("fail-rate", "1.5", 0, { min: 0, max: 1 }), {
    name: "UsageError",
    message: "--fail-rate must be in [0, 1]: current value is 1.5",
  });
  assert.throws(() => parseNumber("count", "-1", 0, { min: 0 }), {
    message: "--count must be >= 0: current value is -1",
  });
  assert.throws(() => parseNumber("count", "11", 0, { max: 10 }), {
    message: "--count must be <= 10: current value is 11",
  });
});

Deno.test("parseNumber() rejects non-numeric, blank and infinite text, quoting the value", () => {
  assert.throws(() => parseNumber("count", "abc", 0, { min: 0, max: 9 }), {
    message: "--count must be in [0, 9]: current value is 'abc'",
  });
  assert.throws(() => parseNumber("count", " ", 0), {
    message: "--count must be a number: current value is ' '",
  });
  assert.throws(() => parseNumber("count", "Infinity", 0), {
    message: "--count must be a number: current value is 'Infinity'",
  });
});

Deno.test("parseNumber() rejects a fraction when a whole number is required", () => {
  assert.throws(() => parseNumber("count", "2.5", 0, { min: 0, integer: true }), {
    name: "UsageError",
    message: "--count must be a whole number: current value is 2.5",
  });
  assert.equal(parseNumber("count", "3", 0, { min: 0, integer: true }), 3);
});

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

Deno.test("shutdownSignal() aborts on SIGTERM until disposed", async () => {
  const shutdown = shutdownSignal();
  try {
    assert.equal(shutdown.signal.aborted, false);
    Deno.kill(Deno.pid, "SIGTERM");
    // Signal listeners do not keep the event loop alive: poll with a deadline.
    const deadline = Date.now() + 5000;
    while (!shutdown.signal.aborted && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(shutdown.signal.aborted, true);
  } finally {
    shutdown.dispose();
  }
});

Deno.test("parseCli() names an unknown flag plainly when positionals are allowed too", () => {
  // Node's text then suggests quoting after `--`, which our scripts strip.
  assert.throws(
    () => parseCli(["--bogus"], { allowPositionals: true, options: {} }),
    { name: "UsageError", message: "unknown flag '--bogus'" },
  );
});
