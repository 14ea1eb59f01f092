import assert from "node:assert/strict";
import { nonEmpty, numberFlags, parseCli, parseNumber, stripDashDash } from "./args.ts";
import { UsageError } from "../errors.ts";

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
    message: "--count must be a number in [0, 9]: current value is 'abc'",
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

Deno.test("parseCli() names an unknown flag plainly when positionals are allowed too", () => {
  // Node's text then suggests quoting after `--`, which our scripts strip.
  assert.throws(
    () => parseCli(["--bogus"], { allowPositionals: true, options: {} }),
    { name: "UsageError", message: "unknown flag '--bogus'" },
  );
});

Deno.test("nonEmpty() passes a value or absence through and refuses a blank one", () => {
  assert.equal(nonEmpty("topic", "orders"), "orders");
  assert.equal(nonEmpty("topic", undefined), undefined);
  assert.throws(() => nonEmpty("topic", "  "), {
    name: "UsageError",
    message: "--topic must not be empty",
  });
});

Deno.test("numberFlags() reads each flag of the values as parseNumber() would", () => {
  const n = numberFlags({ count: "5", rate: "-1" });
  assert.equal(n("count", 100, { min: 0, integer: true }), 5);
  assert.equal(n("seed", 42), 42);
  assert.throws(() => n("rate", 0, { min: 0 }), {
    name: "UsageError",
    message: "--rate must be >= 0: current value is -1",
  });
});
