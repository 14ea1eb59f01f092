/**
 * A test file that `container_test.ts` runs in a `deno test` process of its
 * own, without `KAFKA_BROKERS`: its one test gets the harness's broker (Kafka
 * in a container) and then passes, fails, or waits to be interrupted, as
 * `FIXTURE_OUTCOME` (`pass`, `fail`, `interrupt`) says. Not named `_test.ts`,
 * so the suite itself never runs it.
 *
 * @module
 */
import { INTEGRATION, testBrokers } from "./harness.ts";

Deno.test({
  name: "a test on the harness's container ends as FIXTURE_OUTCOME says",
  ...INTEGRATION,
  async fn() {
    await testBrokers();
    const outcome = Deno.env.get("FIXTURE_OUTCOME");
    if (outcome === "fail") throw new Error("failing on purpose");
    if (outcome === "interrupt") {
      // Until Ctrl-C: a connection that never comes holds the test open without a timer.
      using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
      console.error("waiting for SIGINT");
      await listener.accept();
    }
  },
});
