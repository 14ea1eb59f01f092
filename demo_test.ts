import assert from "node:assert/strict";
import { LAUNCHER_PERMISSIONS } from "./lib/cli/subprocess.ts";
import { brokerEnv, INTEGRATION, runScript } from "./lib/testing/harness.ts";

Deno.test({
  name: "demo runs every step of the pipeline against the configured broker",
  ...INTEGRATION,
  async fn() {
    const result = await runScript(
      "demo.ts",
      ["--count=120", "--ui-port=0"],
      await brokerEnv(),
      LAUNCHER_PERMISSIONS,
    );
    assert.equal(result.code, 0, result.stdout + result.stderr);
    for (
      const heading of [
        "PRODUCER METRICS",
        "CONSUMER METRICS",
        "AGGREGATION RESULTS (group demo-",
        "DEAD LETTER QUEUE SUMMARY",
      ]
    ) {
      assert.ok(result.stdout.includes(heading), `missing ${heading}`);
    }
    assert.match(
      result.stdout,
      /^Dashboard: http:\/\/127\.0\.0\.1:\d+\/ — open it to watch the run$/m,
    );
    assert.match(result.stdout, /Messages produced: 120\n/);
    assert.match(result.stdout, /Messages consumed: 120\n/);
  },
});
