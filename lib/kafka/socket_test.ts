import assert from "node:assert/strict";
import { PLAINTEXT_TO_TLS } from "./failures.ts";
import { SocketFailures, watchedSocketFactory } from "./socket.ts";

Deno.test("SocketFailures.next() resolves with the next failure, and cancel() stops listening", async () => {
  const failures = new SocketFailures();
  const cancelled = failures.next();
  cancelled.cancel();
  const waiting = failures.next();
  const error = Object.assign(new Error("x"), { code: "CERT_HAS_EXPIRED" });
  failures.report({ error, broker: "b:1" });
  assert.deepEqual(await waiting.failure, { error, broker: "b:1" });
  let late = false;
  cancelled.failure.then(() => (late = true));
  await Promise.resolve();
  assert.equal(late, false);
});

Deno.test({
  name: "watchedSocketFactory() reports TLS heard on a plaintext socket as a failure",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    // A server that answers like a TLS listener fed a Kafka request: one alert record.
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (listener.addr as Deno.NetAddr).port;
    const served = (async () => {
      const conn = await listener.accept();
      await conn.read(new Uint8Array(64));
      await conn.write(new Uint8Array([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x50]));
      conn.close();
    })();
    const failures = new SocketFailures();
    const next = failures.next();
    const socket = watchedSocketFactory(failures)({
      host: "127.0.0.1",
      port,
      ssl: undefined as never,
      onConnect: () => socket.write(new Uint8Array([0, 0, 0, 1, 0])),
    });
    socket.on("error", () => {});
    const { error, broker } = await next.failure;
    assert.equal(error.code, PLAINTEXT_TO_TLS);
    assert.equal(broker, `127.0.0.1:${port}`);
    socket.destroy();
    await served;
    listener.close();
  },
});
