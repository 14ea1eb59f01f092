import assert from "node:assert/strict";
import { chaosConfig, SHORT_CHAOS } from "./options.ts";
import { runChaos } from "./run.ts";
import { freePortBlock } from "../testing/ports.ts";

// This soak's cluster: nodes on PORT..PORT+2, controllers after them (39220, else 39240 or 39260).
const PORT = freePortBlock([39220, 39240, 39260], 6);

Deno.test({
  name:
    "runChaos() survives a leader kill and three consumer kills with nothing lost or counted twice",
  // The soak's clients leave kafkajs timers behind, like the integration tests.
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "chaos_run_test_" });
    const lines: string[] = [];
    try {
      const passed = await runChaos(chaosConfig({ ...SHORT_CHAOS, port: PORT }), dir, (line) => {
        lines.push(line);
        console.log(line);
      });
      const output = lines.join("\n");
      assert.equal(passed, true, output);
      assert.match(output, /^ {2}\+ *[\d.]+ s {2}SIGKILL node \d \(pid \d+\), leader of /m);
      assert.equal(
        output.match(/ SIGKILL consumer \d \(pid \d+\); restarted as pid \d+$/gm)?.length,
        3,
      );
      assert.match(
        output,
        /^ {2}kills survived: +1 leader SIGKILLs, 0 brokers restarted in a rolling restart, 3 consumer SIGKILLs$/m,
      );
      assert.match(
        output,
        /^ {2}\[ok\] every order in the topic exactly once, or reported by the producer: 20,000 generated: /m,
      );
      for (
        const figure of [
          "orders/s held",
          "longest pause in consumption",
          "rebalances",
          "end-to-end latency",
        ]
      ) {
        assert.match(output, new RegExp(`^ {2}${figure}: +\\S`, "m"));
      }
      assert.match(output, /^Verdict: PASSED$/m);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
