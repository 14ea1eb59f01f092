import assert from "node:assert/strict";
import { CompressionTypes } from "kafkajs";
import { SEND_RETRY } from "../retry.ts";
import {
  COMPRESSION,
  isCompressionName,
  PRODUCER_DEFAULTS,
  producerConfig,
  sendRetry,
} from "./options.ts";

Deno.test("producerConfig() fills every setting but the overridden ones from the defaults", () => {
  assert.deepEqual(producerConfig({ brokers: ["b:1"], topic: "t", count: 7 }), {
    ...PRODUCER_DEFAULTS,
    brokers: ["b:1"],
    topic: "t",
    count: 7,
  });
  assert.equal(PRODUCER_DEFAULTS.attempts, 3);
  assert.equal(PRODUCER_DEFAULTS.retryBackoffMs, 200);
  assert.equal(PRODUCER_DEFAULTS.batchSize, 2000);
  assert.equal(PRODUCER_DEFAULTS.lingerMs, 5);
});

Deno.test("sendRetry() is SEND_RETRY with attempts - 1 retries and the first wait from the config", () => {
  assert.deepEqual(sendRetry(PRODUCER_DEFAULTS), SEND_RETRY);
  assert.deepEqual(sendRetry({ attempts: 5, retryBackoffMs: 10 }), {
    ...SEND_RETRY,
    maxRetries: 4,
    initialMs: 10,
  });
  assert.equal(sendRetry({ attempts: 1, retryBackoffMs: 10 }).maxRetries, 0);
});

Deno.test("isCompressionName() accepts the three codecs and nothing inherited", () => {
  assert.deepEqual(
    ["snappy", "gzip", "none", "lz4", "toString"].map(isCompressionName),
    [true, true, true, false, false],
  );
  assert.equal(COMPRESSION.snappy, CompressionTypes.Snappy);
});
