import assert from "node:assert/strict";
import pkg from "kafkajs/package.json" with { type: "json" };
import { isPatchableKafkajs, KAFKAJS_VERSION } from "./kafkajs_version.ts";

Deno.test("isPatchableKafkajs() accepts only the version the patches were read from", () => {
  assert.equal(KAFKAJS_VERSION, "2.2.4");
  assert.equal(isPatchableKafkajs("2.2.4"), true);
  assert.equal(isPatchableKafkajs("2.2.3"), false);
  assert.equal(isPatchableKafkajs("2.3.0"), false);
  assert.equal(isPatchableKafkajs("2.2.4-beta.0"), false);
});

Deno.test("isPatchableKafkajs() checks the version of the kafkajs loaded", () => {
  assert.equal(pkg.version, "2.2.4");
  assert.equal(isPatchableKafkajs(), true);
});
