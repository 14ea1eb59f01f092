import assert from "node:assert/strict";
import {
  clusterStatusLines,
  nodeStatusLine,
  nodeStoppedLine,
  startedLines,
} from "./cluster_cli.ts";
import { LAUNCHER_PERMISSIONS, runScript } from "../cli/subprocess.ts";
import { brokerIds } from "./probe.ts";
import { waitFor } from "../testing/harness.ts";
import { freePortBlock } from "../testing/ports.ts";

Deno.test("`startedLines()` gives the bootstrap list, then each node's ports, pid and log", () => {
  const nodes = [1, 2, 3].map((node) => ({
    node,
    port: 39199 + node,
    controllerPort: 39202 + node,
    dataDir: `/c/node-${node}`,
  }));
  assert.deepEqual(
    startedLines({
      bootstrap: "127.0.0.1:39200,127.0.0.1:39201,127.0.0.1:39202",
      version: "4.4.0",
      dataDir: "/c",
      startedMs: 12_340,
      nodes,
      brokers: [{ pid: 10 }, { pid: 11 }, { pid: 12 }],
    }),
    [
      "Kafka 4.4.0 cluster of 3 nodes ready at 127.0.0.1:39200,127.0.0.1:39201,127.0.0.1:39202 " +
      "(started in 12.3 s, data /c)",
      "  node 1: 127.0.0.1:39200, controller 127.0.0.1:39203, pid 10, logs /c/node-1/logs/server.log",
      "  node 2: 127.0.0.1:39201, controller 127.0.0.1:39204, pid 11, logs /c/node-2/logs/server.log",
      "  node 3: 127.0.0.1:39202, controller 127.0.0.1:39205, pid 12, logs /c/node-3/logs/server.log",
    ],
  );
});

Deno.test("`clusterStatusLines()` counts the nodes running and tells a stuck node from a dead one", () => {
  const node = (n: number, answers: boolean, pid?: number) => ({
    node: n,
    port: 39199 + n,
    controllerPort: 39202 + n,
    dataDir: `/c/node-${n}`,
    answers,
    ...(pid === undefined ? {} : { pid }),
  });
  const record = {
    kafkaVersion: "4.4.0",
    clusterId: "x",
    nodes: 3,
    port: 39200,
    controllerPort: 39203,
  };
  assert.deepEqual(
    clusterStatusLines({
      record,
      dataDir: "/c",
      bootstrap: "127.0.0.1:39200,127.0.0.1:39201,127.0.0.1:39202",
      nodes: [node(1, true, 7), node(2, false), node(3, false, 9)],
    }),
    [
      "Kafka 4.4.0 cluster at 127.0.0.1:39200,127.0.0.1:39201,127.0.0.1:39202 (data /c): " +
      "1 of 3 nodes running",
      "  node 1: running at 127.0.0.1:39200 (pid 7)",
      "  node 2: not running (127.0.0.1:39201)",
      "  node 3: not answering at 127.0.0.1:39202 (pid 9: starting, or stuck?)",
    ],
  );
  assert.equal(nodeStatusLine(node(1, true)), "node 1: running at 127.0.0.1:39200 (pid not ours)");
});

Deno.test("`nodeStoppedLine()` says where, how long and whether it took SIGKILL", () => {
  const stopped = { pid: 7, dataDir: "/c/node-2", port: 39201, stoppedMs: 1500, killed: false };
  assert.equal(nodeStoppedLine(stopped), "Stopped node at 127.0.0.1:39201 (pid 7) in 1.5 s");
  assert.equal(
    nodeStoppedLine({ ...stopped, port: undefined, killed: true }),
    "Stopped node (pid 7) in 1.5 s with SIGKILL",
  );
});

/** Runs `deno task broker` with `args` on the test's cluster. */
function broker(dir: string, ...args: string[]) {
  return runScript(
    "lib/broker/cli.ts",
    [...args, "--port", String(PORT), "--data-dir", dir],
    {},
    LAUNCHER_PERMISSIONS,
  );
}

/** This test's cluster: nodes on PORT..PORT+2, controllers after them (39210, else 39230 or 39250). */
const PORT = freePortBlock([39210, 39230, 39250], 6);
const at = (node: number) => `127.0.0.1:${PORT + node - 1}`;
const BOOTSTRAP = [1, 2, 3].map(at).join(",");

Deno.test({
  name: "`deno task broker --nodes 3` starts, reports, kills, restarts and stops a cluster",
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "cluster_cli_test_" });
    try {
      const started = await broker(dir, "--nodes", "3", "--detach");
      assert.equal(started.code, 0, started.stdout + started.stderr);
      assert.match(
        started.stdout,
        new RegExp(`^Kafka 4\\.4\\.0 cluster of 3 nodes ready at ${BOOTSTRAP} \\(started in`, "m"),
      );
      assert.deepEqual(await brokerIds(BOOTSTRAP), [1, 2, 3]);

      const killed = await broker(dir, "--node", "2", "--kill");
      assert.match(killed.stdout, /^Killed node 2 \(pid \d+\) with SIGKILL$/m);
      const down = await broker(dir, "--status");
      assert.equal(down.code, 1);
      assert.match(down.stdout, /: 2 of 3 nodes running\n/);
      assert.ok(down.stdout.includes(`\n  node 2: not running (${at(2)})\n`), down.stdout);
      // The controller fences the dead broker after its session timeout.
      await waitFor(async () => (await brokerIds(BOOTSTRAP))?.join() === "1,3", {
        timeoutMs: 20_000,
        message: "the cluster to drop node 2",
      });

      const restarted = await broker(dir, "--node", "2", "--detach");
      assert.equal(restarted.code, 0, restarted.stdout + restarted.stderr);
      assert.ok(restarted.stdout.includes(`node 2 ready at ${at(2)} (pid `), restarted.stdout);
      await waitFor(async () => (await brokerIds(BOOTSTRAP))?.join() === "1,2,3", {
        timeoutMs: 20_000,
        message: "node 2 back in the cluster",
      });
      const up = await broker(dir, "--status");
      assert.equal(up.code, 0, up.stdout);

      const one = await broker(dir, "--node", "3", "--stop");
      assert.match(
        one.stdout,
        new RegExp(`^Stopped node at ${at(3)} \\(pid \\d+\\) in [\\d.]+ s$`, "m"),
      );
      assert.equal((await broker(dir, "--node", "3", "--status")).code, 1);
      const stopped = await broker(dir, "--stop");
      assert.equal(stopped.code, 0, stopped.stderr);
      assert.equal(stopped.stdout.match(/^Stopped node at/gm)?.length, 2, stopped.stdout);
      assert.equal(await brokerIds(BOOTSTRAP, 1000), undefined);
    } finally {
      // Whatever failed: no JVM of this test outlives it.
      await broker(dir, "--stop");
      await Deno.remove(dir, { recursive: true });
    }
  },
});
