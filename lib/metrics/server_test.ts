import assert from "node:assert/strict";
import { counterFrom, newRegistry } from "./registry.ts";
import { metricsHandler, serveMetrics } from "./server.ts";

Deno.test("serveMetrics() serves the registry at /metrics on a free loopback port", async () => {
  const registry = newRegistry();
  counterFrom(registry, { name: "x_total", help: "X.", read: () => 7 });
  const server = await serveMetrics({ port: 0, registry });
  try {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const response = await fetch(server.url);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    assert.match(await response.text(), /^x_total 7$/m);
  } finally {
    await server.close();
  }
});

Deno.test("metricsHandler() answers 404 off /metrics and 405 to a POST", async () => {
  const handle = metricsHandler(newRegistry());
  const other = await handle(new Request("http://h/other"));
  assert.equal(other.status, 404);
  await other.body?.cancel();
  const post = await handle(new Request("http://h/metrics", { method: "POST" }));
  assert.equal(post.status, 405);
  assert.equal(post.headers.get("allow"), "GET, HEAD");
  await post.body?.cancel();
});

Deno.test("metricsHandler() answers 500 with the reason when a collector fails", async () => {
  const registry = newRegistry();
  counterFrom(registry, {
    name: "broken_total",
    help: "Broken.",
    read: () => Promise.reject(new Error("broker gone")),
  });
  const response = await metricsHandler(registry)(new Request("http://h/metrics"));
  assert.equal(response.status, 500);
  assert.equal(await response.text(), "collecting the metrics failed: broker gone\n");
});
