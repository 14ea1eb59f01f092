import assert from "node:assert/strict";
import { join } from "node:path";
import {
  clusterDirsForPort,
  clusterRecordFile,
  DATA_ROOT,
  dataDirFiles,
  dataDirsForPort,
  defaultClusterDir,
  defaultDataDir,
  nodeDataDir,
  readClusterRecord,
  readRecord,
  writeClusterRecord,
  writeRecord,
} from "./data_dir.ts";
import { REPO_ROOT } from "./_util.ts";

Deno.test("`defaultDataDir()` keys the directory by version and port under .kafka-data", () => {
  assert.equal(DATA_ROOT, join(REPO_ROOT, ".kafka-data"));
  assert.equal(defaultDataDir("4.4.0", 9092), join(REPO_ROOT, ".kafka-data", "4.4.0-9092"));
  assert.equal(defaultDataDir("3.9.1", 19092, "/r"), "/r/3.9.1-19092");
});

Deno.test("`dataDirFiles()` names every file of a data directory", () => {
  assert.deepEqual(dataDirFiles("/d"), {
    record: "/d/launcher.json",
    properties: "/d/server.properties",
    pid: "/d/broker.pid",
    logs: "/d/logs",
    serverLog: "/d/logs/server.log",
    jvmOut: "/d/logs/kafkaServer.out",
    formatted: "/d/data/meta.properties",
  });
});

Deno.test("`dataDirsForPort()` finds the directories of a port, any version, sorted", async () => {
  const root = await Deno.makeTempDir({ prefix: "data_dir_test_" });
  try {
    for (const name of ["4.4.0-9092", "3.9.1-9092", "4.4.0-19092", "4.4.0-29092"]) {
      await Deno.mkdir(join(root, name));
    }
    await Deno.writeTextFile(join(root, "notes-9092"), "a file, not a data directory");
    assert.deepEqual(await dataDirsForPort(9092, root), [
      join(root, "3.9.1-9092"),
      join(root, "4.4.0-9092"),
    ]);
    assert.deepEqual(await dataDirsForPort(9092, join(root, "missing")), []);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("`writeRecord()` writes what `readRecord()` reads, and only the record's fields", async () => {
  const dir = await Deno.makeTempDir({ prefix: "data_dir_test_" });
  try {
    assert.equal(await readRecord(dir), undefined);
    const record = { kafkaVersion: "4.4.0", clusterId: "C", port: 1, controllerPort: 2 };
    await writeRecord(dir, { ...record, extra: true } as typeof record);
    assert.equal(
      await Deno.readTextFile(join(dir, "launcher.json")),
      '{"kafkaVersion":"4.4.0","clusterId":"C","port":1,"controllerPort":2}\n',
    );
    assert.deepEqual(await readRecord(dir), record);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("`writeRecord()` records a secured directory, and only when it is one", async () => {
  const dir = await Deno.makeTempDir({ prefix: "data_dir_test_" });
  try {
    const record = { kafkaVersion: "4.4.0", clusterId: "C", port: 1, controllerPort: 2 };
    await writeRecord(dir, { ...record, secure: true });
    assert.equal(
      await Deno.readTextFile(join(dir, "launcher.json")),
      '{"kafkaVersion":"4.4.0","clusterId":"C","port":1,"controllerPort":2,"secure":true}\n',
    );
    assert.deepEqual(await readRecord(dir), { ...record, secure: true });
    await writeRecord(dir, { ...record, secure: false });
    assert.deepEqual(await readRecord(dir), record);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("`defaultClusterDir()` and `nodeDataDir()` lay a cluster out as node-N directories", () => {
  assert.equal(defaultClusterDir("4.4.0", 39200, "/r"), "/r/4.4.0-39200-cluster");
  assert.equal(nodeDataDir("/r/4.4.0-39200-cluster", 3), "/r/4.4.0-39200-cluster/node-3");
  assert.equal(clusterRecordFile("/c"), "/c/cluster.json");
});

Deno.test("`clusterDirsForPort()` finds the clusters of a port and no single broker's directory", async () => {
  const root = await Deno.makeTempDir({ prefix: "data_dir_test_" });
  try {
    for (
      const name of [
        "4.4.0-9092",
        "4.4.0-9092-cluster",
        "3.9.1-9092-cluster",
        "4.4.0-19092-cluster",
      ]
    ) {
      await Deno.mkdir(join(root, name));
    }
    assert.deepEqual(await clusterDirsForPort(9092, root), [
      join(root, "3.9.1-9092-cluster"),
      join(root, "4.4.0-9092-cluster"),
    ]);
    assert.deepEqual(await dataDirsForPort(9092, root), [join(root, "4.4.0-9092")]);
    assert.deepEqual(await clusterDirsForPort(9092, join(root, "missing")), []);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("`writeClusterRecord()` creates the directory and `readClusterRecord()` reads it back", async () => {
  const root = await Deno.makeTempDir({ prefix: "data_dir_test_" });
  const dir = join(root, "4.4.0-39200-cluster");
  try {
    assert.equal(await readClusterRecord(dir), undefined);
    const record = {
      kafkaVersion: "4.4.0",
      clusterId: "C",
      nodes: 3,
      port: 39200,
      controllerPort: 39203,
    };
    await writeClusterRecord(dir, { ...record, extra: true } as typeof record);
    assert.deepEqual(await readClusterRecord(dir), record);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("`writeRecord()` records a cluster node's id and nothing for a single broker", async () => {
  const dir = await Deno.makeTempDir({ prefix: "data_dir_test_" });
  try {
    const record = { kafkaVersion: "4.4.0", clusterId: "C", port: 1, controllerPort: 2 };
    await writeRecord(dir, { ...record, node: 2 });
    assert.deepEqual(await readRecord(dir), { ...record, node: 2 });
    await writeRecord(dir, record);
    assert.deepEqual(await readRecord(dir), record);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
