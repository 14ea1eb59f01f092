import assert from "node:assert/strict";
import {
  bootstrapAddress,
  bootstrapList,
  BROKER_JVM_OPTIONS,
  brokerSettings,
  CLUSTER_NODE_JVM_OPTIONS,
  clusterLayout,
  clusterSettings,
} from "./options.ts";
import { defaultClusterDir, defaultDataDir } from "./data_dir.ts";

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
    nodeId: 1,
    voters: [{ id: 1, port: 9093 }],
    jvmOptions: BROKER_JVM_OPTIONS,
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

Deno.test("`brokerSettings()` keeps a cluster node's id, voters and cluster id", () => {
  const voters = [{ id: 1, port: 39203 }, { id: 2, port: 39204 }];
  const settings = brokerSettings({
    port: 39201,
    controllerPort: 39204,
    nodeId: 2,
    voters,
    clusterId: "C",
    jvmOptions: CLUSTER_NODE_JVM_OPTIONS,
  });
  assert.deepEqual(
    [settings.nodeId, settings.voters, settings.clusterId, settings.jvmOptions.slice(0, 2)],
    [2, voters, "C", ["-Xms128m", "-Xmx512m"]],
  );
  assert.equal("clusterId" in brokerSettings(), false);
});

Deno.test("`clusterSettings()` puts the controllers right after the brokers by default", () => {
  const { log, ...settings } = clusterSettings({ port: 39200 });
  assert.deepEqual(settings, {
    nodes: 3,
    port: 39200,
    controllerPort: 39203,
    dataDir: defaultClusterDir("4.4.0", 39200),
    kafkaVersion: "4.4.0",
    timeoutMs: 90_000,
    detach: false,
  });
  assert.equal(log("ignored"), undefined);
  assert.equal(clusterSettings({ nodes: 5, port: 100, dataDir: "/c" }).controllerPort, 105);
});

Deno.test("`clusterSettings()` names the bad option and its value", () => {
  const cases: [Parameters<typeof clusterSettings>[0], string][] = [
    [{ nodes: 1 }, "Cannot start cluster as nodes must be in [2, 9]: current value is 1"],
    [{ nodes: 10 }, "Cannot start cluster as nodes must be in [2, 9]: current value is 10"],
    [
      { port: 65534 },
      "Cannot start cluster as port must be in [1, 65533] for 3 nodes: current value is 65534",
    ],
    [
      { port: 100, controllerPort: 65534 },
      "Cannot start cluster as controllerPort must be in [1, 65533] for 3 nodes: current value is 65534",
    ],
    [
      { port: 100, controllerPort: 102 },
      "Cannot start cluster as the controller ports 102-104 overlap the broker ports 100-102",
    ],
    [
      { port: 100, controllerPort: 98 },
      "Cannot start cluster as the controller ports 98-100 overlap the broker ports 100-102",
    ],
  ];
  for (const [opts, message] of cases) {
    assert.throws(() => clusterSettings(opts), { name: "RangeError", message });
  }
  assert.equal(clusterSettings({ port: 100, controllerPort: 97 }).controllerPort, 97);
});

Deno.test("`clusterLayout()` gives each node the next ports and its own directory", () => {
  const layout = clusterLayout({ nodes: 3, port: 39200, controllerPort: 39203, dataDir: "/c" });
  assert.deepEqual(layout, [
    { node: 1, port: 39200, controllerPort: 39203, dataDir: "/c/node-1" },
    { node: 2, port: 39201, controllerPort: 39204, dataDir: "/c/node-2" },
    { node: 3, port: 39202, controllerPort: 39205, dataDir: "/c/node-3" },
  ]);
  assert.equal(bootstrapList(layout), "127.0.0.1:39200,127.0.0.1:39201,127.0.0.1:39202");
});
