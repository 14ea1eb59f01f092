import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import Encoder from "kafkajs/src/protocol/encoder.js";
import { utf8Length, varintSize, varlongSize, Writer } from "./record_writer.ts";

Deno.test("utf8Length() counts as Buffer.byteLength does, a lone surrogate as three bytes", () => {
  for (const text of ["", "ORD-00001", "é", "€", "😀", "a\ud800b", "\udc00", "😀\ud83d"]) {
    assert.equal(utf8Length(text), Buffer.byteLength(text), JSON.stringify(text));
  }
  assert.equal(utf8Length("aé€😀"), 10);
});

Deno.test("varintSize() counts kafkajs's zigzag varint bytes", () => {
  assert.deepEqual(
    [0, -1, 63, 64, -64, -65, 8191, 8192, 2 ** 30 - 1].map(varintSize),
    [1, 1, 1, 2, 1, 2, 2, 3, 5],
  );
});

Deno.test("Writer writes kafkajs's varints and varlongs, byte for byte", () => {
  const ints = [0, 1, -1, 63, -64, 64, 300, -300, 2 ** 20, 2 ** 31 - 1, -(2 ** 31)];
  const longs = [0, 1, -1, 5, -5, 1_732_700_000_000, -(2 ** 40), 2 ** 52, -(2 ** 52)];
  const ours = new Writer();
  const theirs = new Encoder();
  for (const v of ints) {
    ours.varint(v);
    theirs.writeVarInt(v);
  }
  for (const v of longs) {
    ours.varlong(v);
    theirs.writeVarLong(v);
  }
  assert.deepEqual([...ours.buf.subarray(0, ours.pos)], [...theirs.buffer]);
  assert.deepEqual(longs.map(varlongSize), longs.map((v) => Encoder.sizeOfVarLong(v)));
});

Deno.test("Writer writes strings as Buffer does and grows past its first 64 KB", () => {
  const w = new Writer();
  const text = "é😀a\ud800";
  w.utf8(text, utf8Length(text));
  w.bytes(new Uint8Array(70_000).fill(7));
  w.utf8("ok", 2);
  assert.equal(w.pos, utf8Length(text) + 70_002);
  assert.deepEqual([...w.buf.subarray(0, utf8Length(text))], [...Buffer.from(text)]);
  assert.equal(new TextDecoder().decode(w.buf.subarray(w.pos - 2, w.pos)), "ok");
});
