import assert from "node:assert/strict";
import { join } from "node:path";
import { clusterStatus, startCluster, startNode, stopCluster, stopNode } from "./cluster.ts";
import { writeClusterRecord } from "./data_dir.ts";
import { writePid } from "./pid_file.ts";
import { display } from "./_util.ts";

// Ports of this project's cluster tests (39200-39299); nothing is started on them here.
const PORT = 39290;
const RECORD = {
  kafkaVersion: "4.4.0",
  clusterId: "C",
  nodes: 3,
  port: PORT,
  controllerPort: 39293,
};

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "cluster_test_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("`startCluster()` refuses a directory that holds a cluster of another size or version", async () => {
  await withDir(async (dir) => {
    await writeClusterRecord(dir, { ...RECORD, nodes: 2 });
    await assert.rejects(startCluster({ nodes: 3, port: PORT, dataDir: dir }), {
      name: "FatalError",
      message: `${
        display(dir)
      } holds a cluster of 2 nodes, not 3: choose another --data-dir or delete it`,
    });
    await writeClusterRecord(dir, { ...RECORD, kafkaVersion: "3.9.1" });
    await assert.rejects(startCluster({ nodes: 3, port: PORT, dataDir: dir }), {
      name: "FatalError",
      message: `${display(dir)} holds a cluster of Kafka 3.9.1, not 4.4.0: ` +
        "choose another --data-dir or delete it",
    });
  });
});

Deno.test("`startNode()` and `stopNode()` need a recorded cluster and one of its node numbers", async () => {
  await withDir(async (dir) => {
    await assert.rejects(startNode(dir, 1), {
      name: "FatalError",
      message: `no cluster in ${display(dir)}: start it with --nodes first`,
    });
    await writeClusterRecord(dir, RECORD);
    await assert.rejects(stopNode(dir, 4, { kill: true }), {
      name: "FatalError",
      message: "--node must be in [1, 3] for this cluster: current value is 4",
    });
    assert.equal(await stopNode(dir, 2), undefined);
  });
});

Deno.test("`clusterStatus()` reports every node of a stopped cluster as not running", async () => {
  await withDir(async (dir) => {
    await writeClusterRecord(dir, RECORD);
    // A stale pid file naming a live process that is not Kafka: never ours.
    await Deno.mkdir(join(dir, "node-2"));
    await writePid(join(dir, "node-2", "broker.pid"), Deno.pid);
    const status = await clusterStatus(dir);
    assert.equal(status.bootstrap, "127.0.0.1:39290,127.0.0.1:39291,127.0.0.1:39292");
    assert.deepEqual(status.nodes.map((n) => [n.node, n.port, n.answers, n.pid]), [
      [1, 39290, false, undefined],
      [2, 39291, false, undefined],
      [3, 39292, false, undefined],
    ]);
    assert.deepEqual(await stopCluster(dir), []);
    assert.deepEqual(await stopCluster(join(dir, "missing")), []);
  });
});
