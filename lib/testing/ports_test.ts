import assert from "node:assert/strict";
import { freePortBlock, portFree } from "./ports.ts";

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
