import assert from "node:assert/strict";
import { REPO_ROOT } from "../broker/_util.ts";
import { confluentVersion, imageNames, imageSettings } from "./options.ts";

Deno.test("`confluentVersion()` maps Kafka 4.x to Confluent Platform 8.x", () => {
  assert.equal(confluentVersion("4.0.0"), "8.0.0");
  assert.equal(confluentVersion("4.4.0"), "8.4.0");
  assert.equal(confluentVersion("4.3.1"), "8.3.1");
});

Deno.test("`imageNames()` tags one image under both contracts' names", () => {
  assert.deepEqual(imageNames("4.4.0"), {
    apache: "localhost/order-pipeline/kafka:4.4.0",
    confluent: "localhost/order-pipeline/cp-kafka:8.4.0",
  });
});

Deno.test("`imageSettings()` applies the defaults", () => {
  const settings = imageSettings();
  assert.equal(settings.kafkaVersion, "4.4.0");
  assert.equal(settings.cacheDir, `${REPO_ROOT}.cache/docker`);
  assert.equal(settings.force, false);
});

Deno.test("`imageSettings()` refuses Kafka 3.x, whose wrapper writes Log4j 1 files", () => {
  assert.throws(() => imageSettings({ kafkaVersion: "3.9.1" }), {
    name: "RangeError",
    message:
      "Cannot build the image as kafkaVersion must be 4.0.0 or newer: current value is 3.9.1",
  });
  assert.throws(() => imageSettings({ kafkaVersion: "4.4" }), {
    name: "RangeError",
    message: "Kafka version must look like 4.4.0: current value is '4.4'",
  });
});
