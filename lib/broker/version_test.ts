import assert from "node:assert/strict";
import { checkKafkaVersion, DEFAULT_KAFKA_VERSION, majorVersion } from "./version.ts";

Deno.test("`majorVersion()` reads the first number of a release", () => {
  assert.equal(majorVersion("3.9.1"), 3);
  assert.equal(majorVersion("4.3.1"), 4);
  assert.equal(majorVersion("10.0.0"), 10);
});

Deno.test("`checkKafkaVersion()` accepts 3.9.0 and newer", () => {
  for (const version of ["3.9.0", "3.9.1", "3.10.0", "4.0.0", "4.4.0"]) {
    checkKafkaVersion(version);
  }
});

Deno.test("`checkKafkaVersion()` rejects older and malformed versions", () => {
  assert.throws(() => checkKafkaVersion("3.8.1"), {
    name: "RangeError",
    message: "Kafka version must be 3.9.0 or newer: current value is 3.8.1",
  });
  assert.throws(() => checkKafkaVersion("4.0"), {
    name: "RangeError",
    message: `Kafka version must look like ${DEFAULT_KAFKA_VERSION}: current value is '4.0'`,
  });
  assert.throws(() => checkKafkaVersion("latest"), RangeError);
});
