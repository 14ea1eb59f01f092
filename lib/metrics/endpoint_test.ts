import assert from "node:assert/strict";
import { exposureWarning, openMetrics } from "./endpoint.ts";

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
