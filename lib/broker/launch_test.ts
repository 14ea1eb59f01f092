import assert from "node:assert/strict";
import { brokerAnswers } from "./probe.ts";
import { startBroker } from "./launch.ts";
import { writeRecord } from "./data_dir.ts";
import { freePorts } from "../testing/ports.ts";
import { display } from "./_util.ts";

Deno.test({
  name: "`startBroker()` starts a broker that answers until `stop()`",
  ignore: Deno.env.get("SKIP_BROKER_LAUNCH_TEST") === "1",
  async fn() {
    const dataDir = await Deno.makeTempDir({ prefix: "broker_test_" });
    const [port, controllerPort] = freePorts(2);
    try {
      const broker = await startBroker({ port, controllerPort, dataDir });
      try {
        assert.equal(broker.dataDir, dataDir);
        assert.equal(
          (await Deno.readTextFile(`${dataDir}/broker.pid`)).trim(),
          String(broker.pid),
        );
        assert.equal(await brokerAnswers(broker.bootstrap), true);
        await assert.rejects(startBroker({ port, controllerPort, dataDir }), {
          name: "FatalError",
          message: `a broker already answers at 127.0.0.1:${port}: stop it (lib/broker.ts --stop ` +
            `--port ${port}) or choose another --port`,
        });
      } finally {
        await broker.stop();
      }
      assert.equal(await brokerAnswers(broker.bootstrap, 1000), false);
      await assert.rejects(Deno.stat(`${dataDir}/broker.pid`), Deno.errors.NotFound);
    } finally {
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});

Deno.test({
  name: "`startBroker()` refuses a data directory of another Kafka version",
  // Resolves Kafka from Maven Central on first use; cached afterwards.
  ignore: Deno.env.get("SKIP_BROKER_LAUNCH_TEST") === "1",
  async fn() {
    const dataDir = await Deno.makeTempDir({ prefix: "broker_test_" });
    const [port] = freePorts(1);
    try {
      await writeRecord(dataDir, {
        kafkaVersion: "3.9.1",
        clusterId: "C",
        port,
        controllerPort: port + 1,
      });
      await assert.rejects(startBroker({ port, dataDir, kafkaVersion: "4.4.0" }), {
        name: "FatalError",
        message: `${display(dataDir)} holds data of Kafka 3.9.1, not 4.4.0: ` +
          "choose another --data-dir or delete it",
      });
      await assert.rejects(Deno.stat(`${dataDir}/broker.pid`), Deno.errors.NotFound);
    } finally {
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});
