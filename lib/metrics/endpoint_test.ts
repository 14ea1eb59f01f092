import assert from "node:assert/strict";
import { exposureWarning, openMetrics, withMetrics } from "./endpoint.ts";

Deno.test("exposureWarning() says nothing for loopback and warns for any other host", () => {
  assert.equal(exposureWarning("127.0.0.1"), undefined);
  assert.equal(exposureWarning("localhost"), undefined);
  assert.match(
    exposureWarning("0.0.0.0")!,
    /^WARNING: --metrics-host 0\.0\.0\.0 serves \/metrics beyond this machine/,
  );
});

Deno.test("openMetrics() serves the process metrics and says where", async () => {
  const lines: string[] = [];
  const endpoint = await openMetrics(
    { port: 0, host: "127.0.0.1" },
    "producer",
    (l) => lines.push(l),
  );
  try {
    assert.deepEqual(lines, [`Metrics at ${endpoint.url}`]);
    const text = await (await fetch(endpoint.url)).text();
    assert.match(text, /^order_pipeline_up\{program="producer"\} 1$/m);
  } finally {
    await endpoint.close();
  }
});

Deno.test("openMetrics() throws a FatalError naming the address when the port is taken", async () => {
  const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = taken.addr as Deno.NetAddr;
  try {
    await assert.rejects(openMetrics({ port, host: "127.0.0.1" }, "consumer", () => {}), {
      name: "FatalError",
      message: new RegExp(`^cannot serve metrics on 127\\.0\\.0\\.1:${port}: `),
    });
  } finally {
    taken.close();
  }
});

Deno.test("withMetrics() runs with no hooks and opens nothing without settings", async () => {
  let registered = false;
  const result = await withMetrics(undefined, "consumer", () => {
    registered = true;
    return { hook: () => {} };
  }, (hooks) => Promise.resolve(Object.keys(hooks).length));
  assert.equal(result, 0);
  assert.equal(registered, false);
});

Deno.test("withMetrics() serves while the run goes on and closes after it", async () => {
  const lines: string[] = [];
  const url = await withMetrics(
    { port: 0, host: "127.0.0.1" },
    "dlq-replayer",
    () => ({ hook: () => {} }),
    async (hooks) => {
      assert.equal(typeof hooks.hook, "function");
      const where = lines[0].replace("Metrics at ", "");
      assert.match(await (await fetch(where)).text(), /program="dlq-replayer"/);
      return where;
    },
    (line) => lines.push(line),
  );
  await assert.rejects(fetch(url));
});
