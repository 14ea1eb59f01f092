import assert from "node:assert/strict";
import { bootstrapAddress, brokerSettings } from "./options.ts";
import { defaultDataDir } from "./data_dir.ts";

Deno.test("`bootstrapAddress()` puts the port on 127.0.0.1", () => {
  assert.equal(bootstrapAddress(19092), "127.0.0.1:19092");
});

Deno.test("`brokerSettings()` applies every default", () => {
  const { log, ...settings } = brokerSettings();
  assert.deepEqual(settings, {
    port: 9092,
    controllerPort: 9093,
    dataDir: defaultDataDir("4.4.0", 9092),
    kafkaVersion: "4.4.0",
    timeoutMs: 90_000,
    detach: false,
    secure: false,
  });
  assert.equal(log("ignored"), undefined);
});

Deno.test("`brokerSettings()` derives the controller port and data dir from the port", () => {
  const settings = brokerSettings({ port: 19092, kafkaVersion: "3.9.1" });
  assert.equal(settings.controllerPort, 19093);
  assert.equal(settings.dataDir, defaultDataDir("3.9.1", 19092));
  assert.equal(brokerSettings({ port: 19092, dataDir: "/d" }).dataDir, "/d");
});

Deno.test("`brokerSettings()` names the bad option and its value", () => {
  assert.throws(() => brokerSettings({ port: 0 }), {
    name: "RangeError",
    message: "Cannot start broker as port must be in [1, 65535]: current value is 0",
  });
  assert.throws(() => brokerSettings({ port: 65535 }), {
    name: "RangeError",
    message: "Cannot start broker as controllerPort must be in [1, 65535]: current value is 65536",
  });
  assert.throws(() => brokerSettings({ port: 1.5 }), RangeError);
  assert.throws(() => brokerSettings({ port: 19092, controllerPort: 19092 }), {
    name: "RangeError",
    message: "Cannot start broker as controllerPort must differ from port: both are 19092",
  });
  assert.throws(() => brokerSettings({ port: 19100, controllerPort: 19102, secure: true }), {
    name: "RangeError",
    message:
      "Cannot start broker as a secured broker needs ports 19102 to 19104 for its secured listeners: current controllerPort is 19102",
  });
  assert.throws(() => brokerSettings({ kafkaVersion: "3.8.1" }), {
    name: "RangeError",
    message: "Kafka version must be 3.9.0 or newer: current value is 3.8.1",
  });
});
