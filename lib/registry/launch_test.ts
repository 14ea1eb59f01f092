import assert from "node:assert/strict";
import { FatalError } from "../errors.ts";
import { INTEGRATION } from "../testing/harness.ts";
import { registryRequirements } from "../testing/registry.ts";
import { needs } from "../testing/tools.ts";
import { startRegistry } from "./launch.ts";
import { registryAnswers } from "./probe.ts";
import { registryStatus } from "./process.ts";

Deno.test({
  name:
    "startRegistry() starts a registry that answers, refuses a second on its port, and stops it",
  ...INTEGRATION,
  ...needs(registryRequirements()[0]),
  async fn() {
    const dataDir = await Deno.makeTempDir();
    const registry = await startRegistry({ port: 18092, dataDir });
    try {
      assert.equal(registry.url, "http://127.0.0.1:18092/apis/ccompat/v7");
      assert.equal(await registryAnswers(registry.url), true);
      assert.deepEqual(await registryStatus(18092, dataDir), {
        url: registry.url,
        answers: true,
        pid: registry.pid,
      });
      await assert.rejects(
        startRegistry({ port: 18092, dataDir }),
        new FatalError(
          `a registry already answers at ${registry.url}: stop it (deno task registry --stop ` +
            "--port 18092) or choose another --port",
        ),
      );
    } finally {
      await registry.stop();
    }
    assert.deepEqual(await registryStatus(18092, dataDir), { url: registry.url, answers: false });
    await Deno.remove(dataDir, { recursive: true });
  },
});
