import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { CompressionCodecs, CompressionTypes } from "kafkajs";
import { registerSnappy, snappyCompress, snappyDecompress } from "./snappy.ts";

const TEXT = new TextEncoder().encode("order ORD-00001 Laptop 799.99; ".repeat(40));

function int32BE(value: number): number[] {
  return [(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
}

/** A xerial (snappy-java) stream, built by hand: magic, version 1, compatible 1, chunks. */
function xerialStream(...parts: Uint8Array[]): Uint8Array {
  const out = [0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00, ...int32BE(1), ...int32BE(1)];
  for (const part of parts) {
    const block = snappyCompress(part);
    out.push(...int32BE(block.length), ...block);
  }
  return new Uint8Array(out);
}

Deno.test("snappyCompress() writes a raw block that snappyDecompress() reads back", () => {
  const block = snappyCompress(TEXT);
  assert.ok(Buffer.isBuffer(block));
  assert.ok(block.length < TEXT.length / 4, `${block.length} bytes for ${TEXT.length}`);
  // A raw block starts with the uncompressed length as a varint: 1240 = 0xd8 0x09.
  assert.deepEqual([...block.subarray(0, 2)], [0xd8, 0x09]);
  assert.deepEqual([...snappyDecompress(block)], [...TEXT]);
});

Deno.test("snappyDecompress() round-trips empty and tiny inputs", () => {
  assert.deepEqual([...snappyDecompress(snappyCompress(new Uint8Array()))], []);
  assert.deepEqual([...snappyDecompress(snappyCompress(new Uint8Array([7])))], [7]);
});

Deno.test("snappyDecompress() reads a raw block from a subarray view", () => {
  const block = snappyCompress(TEXT);
  const padded = new Uint8Array(block.length + 6);
  padded.set(block, 3);
  assert.deepEqual([...snappyDecompress(padded.subarray(3, 3 + block.length))], [...TEXT]);
});

Deno.test("snappyDecompress() concatenates the chunks of a xerial-framed stream", () => {
  const first = new TextEncoder().encode("hello, ");
  const second = new TextEncoder().encode("xerial world");
  assert.equal(
    new TextDecoder().decode(snappyDecompress(xerialStream(first, second))),
    "hello, xerial world",
  );
  assert.deepEqual([...snappyDecompress(xerialStream(TEXT))], [...TEXT]);
  assert.deepEqual([...snappyDecompress(xerialStream())], []);
});

Deno.test("registerSnappy() installs the codec with kafkajs once", async () => {
  const before = CompressionCodecs[CompressionTypes.Snappy];
  registerSnappy();
  const installed = CompressionCodecs[CompressionTypes.Snappy];
  assert.notEqual(installed, before);
  registerSnappy();
  assert.equal(CompressionCodecs[CompressionTypes.Snappy], installed);

  const codec = installed();
  const compressed = await codec.compress({ buffer: Buffer.from(TEXT) });
  assert.deepEqual([...compressed], [...snappyCompress(TEXT)]);
  assert.deepEqual([...await codec.decompress(compressed)], [...TEXT]);
  assert.deepEqual([...await codec.decompress(Buffer.from(xerialStream(TEXT)))], [...TEXT]);
});
