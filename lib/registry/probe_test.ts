import assert from "node:assert/strict";
import { registryAnswers } from "./probe.ts";

Deno.test("registryAnswers() is true only for a 200 on /subjects", async () => {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (request) =>
      new URL(request.url).pathname === "/ok/subjects"
        ? Response.json([])
        : new Response("no", { status: 404 }),
  );
  const base = `http://127.0.0.1:${server.addr.port}`;
  try {
    assert.equal(await registryAnswers(`${base}/ok`), true);
    assert.equal(await registryAnswers(`${base}/other`), false);
  } finally {
    await server.shutdown();
  }
  assert.equal(await registryAnswers(base, 500), false);
});
