/**
 * A pure-JavaScript snappy codec for kafkajs (which ships none), built on
 * `snappyjs`. Compression writes raw snappy blocks, as kafkajs-snappy does;
 * decompression also reads the xerial framing the Java client writes, so
 * records produced by Kafka's own tools decode too.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import SnappyJS from "snappyjs";
import { CompressionCodecs, CompressionTypes } from "kafkajs";

/** snappy-java's stream header: 0x82 "SNAPPY" 0x00. */
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
/** Magic plus two 4-byte version fields. */
const XERIAL_HEADER_LENGTH = 16;

/** `bytes` as a Buffer over the same memory: snappyjs returns plain arrays, kafkajs wants Buffers. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** Compresses bytes into one raw snappy block. */
export function snappyCompress(bytes: Uint8Array): Buffer {
  return asBuffer(SnappyJS.compress(bytes));
}

/** Decompresses a raw snappy block or a xerial-framed stream of blocks. */
export function snappyDecompress(bytes: Uint8Array): Buffer {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (buf.length < XERIAL_HEADER_LENGTH || !buf.subarray(0, 8).equals(XERIAL_MAGIC)) {
    return asBuffer(SnappyJS.uncompress(buf));
  }
  const chunks: Buffer[] = [];
  let at = XERIAL_HEADER_LENGTH;
  while (at < buf.length) {
    const size = buf.readUInt32BE(at);
    at += 4;
    chunks.push(Buffer.from(SnappyJS.uncompress(buf.subarray(at, at + size))));
    at += size;
  }
  return Buffer.concat(chunks);
}

let registered = false;

/** Registers the codec with kafkajs once; later calls do nothing. */
export function registerSnappy(): void {
  if (registered) return;
  registered = true;
  CompressionCodecs[CompressionTypes.Snappy] = () => ({
    compress: (encoder: { buffer: Buffer }) => Promise.resolve(snappyCompress(encoder.buffer)),
    decompress: (buffer: Buffer) => Promise.resolve(snappyDecompress(buffer)),
  });
}
