import assert from "node:assert/strict";
import kafkajsCrc32c from "kafkajs/src/protocol/recordBatch/crc32C/crc32C.js";
import { crc32c } from "./crc32c.ts";

Deno.test("crc32c() gives the check value of CRC-32C for '123456789'", () => {
  assert.equal(crc32c(new TextEncoder().encode("123456789")), 0xe3069283);
});

Deno.test("crc32c() matches the iSCSI test vectors of RFC 3720", () => {
  const ascending = Uint8Array.from({ length: 32 }, (_, i) => i);
  assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa);
  assert.equal(crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43);
  assert.equal(crc32c(ascending), 0x46dd794e);
  assert.equal(crc32c(ascending.slice().reverse()), 0x113fdb5c);
});

Deno.test("crc32c() of nothing is 0", () => {
  assert.equal(crc32c(new Uint8Array()), 0);
});

Deno.test("crc32c() reads only bytes[start..end)", () => {
  const bytes = new TextEncoder().encode("xx123456789yy");
  assert.equal(crc32c(bytes, 2, 11), 0xe3069283);
});

Deno.test("crc32c() agrees with kafkajs's byte-wise CRC-32C at every length up to 300", () => {
  const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 131 + 7) & 0xff);
  for (let length = 0; length <= bytes.length; length++) {
    const part = bytes.subarray(0, length);
    assert.equal(crc32c(part), kafkajsCrc32c(part), `length ${length}`);
  }
});
