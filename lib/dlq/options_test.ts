import assert from "node:assert/strict";
import { UsageError } from "../errors.ts";
import {
  defaultGroup,
  dlqConfig,
  parseErrorTypes,
  parseSince,
  replayConfig,
  REPLAYER_GROUP,
} from "./options.ts";

const BROKERS = ["127.0.0.1:9092"];

Deno.test("dlqConfig() fills in the defaults and a watch group unique to the run", () => {
  const config = dlqConfig({ brokers: BROKERS });
  assert.match(config.group, /^orders-dlq-monitor-[0-9a-f]{8}$/);
  assert.notEqual(dlqConfig({ brokers: BROKERS }).group, config.group);
  assert.deepEqual(config, {
    brokers: BROKERS,
    topic: "orders-dlq",
    group: config.group,
    connectTimeoutMs: 30_000,
    output: "text",
    fromBeginning: false,
    idleExitMs: Infinity,
    maxPrice: 100_000,
  });
});

Deno.test("dlqConfig() uses the replayer group when replaying, and a given group always", () => {
  assert.equal(dlqConfig({ brokers: BROKERS, replay: replayConfig() }).group, REPLAYER_GROUP);
  assert.equal(REPLAYER_GROUP, "orders-dlq-replayer");
  assert.equal(dlqConfig({ brokers: BROKERS, group: "mine" }).group, "mine");
  assert.equal(
    dlqConfig({ brokers: BROKERS, group: "mine", replay: replayConfig() }).group,
    "mine",
  );
  assert.equal(defaultGroup(true), "orders-dlq-replayer");
});

Deno.test("dlqConfig() takes a group left undefined as no group", () => {
  assert.match(dlqConfig({ brokers: BROKERS, group: undefined }).group, /^orders-dlq-monitor-/);
});

Deno.test("replayConfig() replays processing and production failures 3 times to orders", () => {
  assert.deepEqual(replayConfig(), {
    errorTypes: ["processing", "production"],
    maxReplays: 3,
    targetTopic: "orders",
    dryRun: false,
  });
  assert.deepEqual(replayConfig({ dryRun: true, maxReplays: 5 }), {
    errorTypes: ["processing", "production"],
    maxReplays: 5,
    targetTopic: "orders",
    dryRun: true,
  });
});

Deno.test("parseErrorTypes() splits commas, drops blanks and repeats, keeps the order", () => {
  assert.deepEqual(parseErrorTypes(["processing, validation", "processing", ",unknown"]), [
    "processing",
    "validation",
    "unknown",
  ]);
});

Deno.test("parseErrorTypes() gives a fresh copy of the defaults when the flag is absent", () => {
  const types = parseErrorTypes(undefined);
  assert.deepEqual(types, ["processing", "production"]);
  types.push("validation");
  assert.deepEqual(parseErrorTypes(undefined), ["processing", "production"]);
});

Deno.test("parseErrorTypes() names an unknown type and refuses an empty list", () => {
  assert.throws(
    () => parseErrorTypes(["processing,oops"]),
    new UsageError(
      "--error-type must be one of deserialization, validation, processing, production, unknown: current value is 'oops'",
    ),
  );
  assert.throws(
    () => parseErrorTypes([" , "]),
    new UsageError("--error-type must name at least one type"),
  );
});

Deno.test("parseSince() reads an ISO-8601 time and passes an absent flag through", () => {
  assert.equal(parseSince("2026-01-02T03:04:05Z")?.getTime(), 1767323045000);
  assert.equal(parseSince(undefined), undefined);
});

Deno.test("parseSince() names text that is not a time", () => {
  for (const value of ["yesterday", " "]) {
    assert.throws(
      () => parseSince(value),
      new UsageError(`--since must be an ISO-8601 time: current value is '${value}'`),
    );
  }
});
