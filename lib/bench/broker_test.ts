import assert from "node:assert/strict";
import { join } from "node:path";
import { BenchBroker, launcherVersion } from "./broker.ts";

/** A launcher data root with one live broker on `port` and one stopped one. */
async function launcherData(port: number): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "bench_broker_test_" });
  const live = join(root, `4.1.0-${port}`);
  const stopped = join(root, `3.9.1-${port + 1}`);
  for (const [dir, version, p] of [[live, "4.1.0", port], [stopped, "3.9.1", port + 1]] as const) {
    await Deno.mkdir(dir);
    await Deno.writeTextFile(
      join(dir, "launcher.json"),
      JSON.stringify({ port: p, kafkaVersion: version }),
    );
  }
  await Deno.writeTextFile(join(live, "broker.pid"), "123\n");
  return root;
}

Deno.test("launcherVersion() reads the version of a live broker the launcher started", async () => {
  const root = await launcherData(39092);
  try {
    assert.equal(await launcherVersion("127.0.0.1:39092", root), "4.1.0");
    assert.equal(await launcherVersion("localhost:39092", root), "4.1.0");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("launcherVersion() is undefined for a stopped, unknown or remote broker", async () => {
  const root = await launcherData(39092);
  try {
    assert.equal(await launcherVersion("127.0.0.1:39093", root), undefined);
    assert.equal(await launcherVersion("127.0.0.1:1", root), undefined);
    assert.equal(await launcherVersion("kafka.example:39092", root), undefined);
    assert.equal(await launcherVersion("127.0.0.1:39092", join(root, "missing")), undefined);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("BenchBroker uses the given brokers and owns none of them", async () => {
  const broker = new BenchBroker();
  const address = await broker.open({ brokers: ["kafka.example:9092"], port: 1 }, () => {});
  assert.deepEqual(address, { brokers: ["kafka.example:9092"], kafkaVersion: "unknown" });
  assert.equal(broker.own, false);
  await broker.stop();
});
