import assert from "node:assert/strict";
import { freePortBlock, freePorts, portFree } from "./ports.ts";

Deno.test("portFree() is false for a port someone listens on, true once it is closed", () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  try {
    assert.equal(portFree(port), false);
  } finally {
    listener.close();
  }
  assert.equal(portFree(port), true);
});

Deno.test("freePortBlock() passes over a block with a busy port and names the candidates when all are", () => {
  const busy = Deno.listen({ hostname: "127.0.0.1", port: 39297 });
  try {
    assert.equal(freePortBlock([39295, 39290], 3), 39290);
    assert.throws(() => freePortBlock([39296], 3), {
      name: "RangeError",
      message: "no block of 3 free ports from any of 39296: something holds them",
    });
  } finally {
    busy.close();
  }
});

Deno.test("freePorts() gives distinct ports that are free once it returns", () => {
  const ports = freePorts(3);
  assert.equal(new Set(ports).size, 3);
  for (const port of ports) assert.equal(portFree(port), true);
});
