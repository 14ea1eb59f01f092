import assert from "node:assert/strict";
import { join } from "node:path";
import { writePid } from "./pid_file.ts";
import { brokerStatus, isKafkaProcess, stopBroker } from "./process.ts";
import { freePorts } from "../testing/ports.ts";

Deno.test("`isKafkaProcess()` is false for a live process that is not Kafka", async () => {
  assert.equal(await isKafkaProcess(Deno.pid), false);
});

Deno.test("`stopBroker()` removes a stale pid file without signalling its process", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "process_test_" });
  try {
    // Our own pid: alive, but not Kafka, so it must survive.
    await writePid(join(dataDir, "broker.pid"), Deno.pid);
    assert.deepEqual(await stopBroker({ dataDir }), []);
    await assert.rejects(Deno.stat(join(dataDir, "broker.pid")), Deno.errors.NotFound);
    assert.deepEqual(await stopBroker({ dataDir }), []);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("`brokerStatus()` reports no owner and no answer for a stale data directory", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "process_test_" });
  const [port] = freePorts(1);
  try {
    await writePid(join(dataDir, "broker.pid"), Deno.pid);
    assert.deepEqual(await brokerStatus(port, dataDir), {
      bootstrap: `127.0.0.1:${port}`,
      answers: false,
    });
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
