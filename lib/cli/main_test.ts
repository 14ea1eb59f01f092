import assert from "node:assert/strict";
import { shutdownSignal } from "./main.ts";

Deno.test("shutdownSignal() aborts on SIGTERM until disposed", async () => {
  const shutdown = shutdownSignal();
  try {
    assert.equal(shutdown.signal.aborted, false);
    Deno.kill(Deno.pid, "SIGTERM");
    // Signal listeners do not keep the event loop alive: poll with a deadline.
    const deadline = Date.now() + 5000;
    while (!shutdown.signal.aborted && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(shutdown.signal.aborted, true);
  } finally {
    shutdown.dispose();
  }
});
