/**
 * The order codec: plain Avro binary for `schema/order.avsc`, with no framing
 * (no magic byte, no schema id), byte-for-byte what fastavro's
 * `schemaless_writer` produces for the reference systems.
 *
 * Both directions are written by hand for this one fixed schema. Encoding,
 * for speed: avsc's `toBuffer` allocates and copies a Buffer per order, and
 * `codec_test.ts` checks ours against avsc byte for byte. Decoding, for
 * strictness, because a consumer is only as exact as its decoder:
 * avsc turns invalid UTF-8 into U+FFFD, so a record the reference systems
 * refuse would be aggregated. The reader accepts exactly what fastavro's
 * `schemaless_reader` accepts when every byte must be consumed, and reads it
 * to the same values; `deno task fuzz` checks this differentially.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { PipelineError } from "../errors.ts";

/** An order as it travels on the `orders` topic. */
export interface Order {
  /** Unique id, `ORD-00001` style; also the record key. */
  orderId: string;
  /** Product name from the catalog. */
  product: string;
  /** Price in dollars; Avro `float`, so it decodes as the nearest float32. */
  price: number;
}

/** Where a record came from, carried on errors so logs and the DLQ can name it. */
export interface RecordOrigin {
  topic?: string;
  partition?: number;
  offset?: string;
}

/**
 * The value of a record could not be decoded as an order. Permanent: the same
 * bytes never decode, so it is never retried. It keeps the raw bytes.
 */
export class AvroDecodeError extends PipelineError {
  override name = "AvroDecodeError";
  /** The undecodable bytes, unchanged; empty for a record with no value. */
  readonly bytes: Uint8Array;
  /** What the decoder said. */
  readonly reason: string;
  /** Where the bytes came from, when known. */
  readonly origin: RecordOrigin;

  constructor(bytes: Uint8Array, reason: string, origin: RecordOrigin = {}) {
    const where = origin.topic !== undefined
      ? ` (${origin.topic}[${origin.partition}]@${origin.offset})`
      : "";
    super(`cannot decode ${bytes.length} bytes as an Avro order${where}: ${reason}`, {
      errorType: "deserialization",
    });
    this.bytes = bytes;
    this.reason = reason;
    this.origin = origin;
  }
}

/** The schema text, read once when this module loads. */
export const ORDER_SCHEMA = JSON.parse(
  Deno.readTextFileSync(new URL("../../schema/order.avsc", import.meta.url)),
);

/**
 * Encoded orders are cut from slabs of this many bytes: one allocation for
 * thousands of orders. A value keeps its slab alive, so a slab is freed once
 * every order cut from it is sent.
 */
const SLAB_BYTES = 64 * 1024;
let slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
let slabAt = 0;

const utf8Encoder = new TextEncoder();

/**
 * Encodes an order as plain Avro binary, byte for byte what avsc (and
 * fastavro) write for `ORDER_SCHEMA`. Values are not validated here beyond
 * their Avro types: the producer uses this to inject invalid orders on
 * purpose. Written by hand rather than with avsc, whose `toBuffer` allocates
 * and copies a Buffer per call: that was half of what the producer
 * allocated. The Buffer returned is a view into a shared slab.
 *
 * @example
 * ```ts
 * import { encodeOrder } from "./codec.ts";
 * encodeOrder({ orderId: "ORD-00001", product: "Mouse", price: 29.99 }).length; // 20
 * ```
 */
export function encodeOrder(order: Order): Buffer {
  const id = utf8Bytes(order.orderId);
  const product = utf8Bytes(order.product);
  const size = MAX_VARINT_BYTES * 2 + id.length + product.length + 4;
  if (slabAt + size > slab.length) {
    slab = Buffer.allocUnsafeSlow(Math.max(SLAB_BYTES, size));
    slabAt = 0;
  }
  const start = slabAt;
  writeString(id);
  writeString(product);
  f32[0] = order.price;
  const bits = f32bits[0];
  slab[slabAt++] = bits & 0xff;
  slab[slabAt++] = (bits >>> 8) & 0xff;
  slab[slabAt++] = (bits >>> 16) & 0xff;
  slab[slabAt++] = bits >>> 24;
  return slab.subarray(start, slabAt);
}

/** An ASCII string as it is (one byte per code unit), anything else as its UTF-8 bytes. */
function utf8Bytes(text: string): string | Uint8Array {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) >= 0x80) return utf8Encoder.encode(text);
  }
  return text;
}

/** An Avro string at the slab's end: its length as a zigzag varint long, then its bytes. */
function writeString(bytes: string | Uint8Array): void {
  // Zigzag of a non-negative length is twice the length; kept exact as a
  // double, since a length can pass 2^30.
  let z = bytes.length * 2;
  while (z > 0x7f) {
    slab[slabAt++] = (z % 128) | 0x80;
    z = Math.floor(z / 128);
  }
  slab[slabAt++] = z;
  if (typeof bytes === "string") {
    for (let i = 0; i < bytes.length; i++) slab[slabAt++] = bytes.charCodeAt(i);
  } else {
    slab.set(bytes, slabAt);
    slabAt += bytes.length;
  }
}

/** The longest Avro varint: 10 bytes carry 64 bits (70 bits, the top 6 dropped). */
export const MAX_VARINT_BYTES = 10;

// Strict: invalid UTF-8 throws instead of becoming U+FFFD, and a leading
// byte order mark is kept as U+FEFF, as Python's decode("utf-8") keeps it.
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Why a decode failed; turned into an {@linkcode AvroDecodeError} by decodeOrder. */
class Malformed extends Error {}

/**
 * The read position of the decode in progress. Decoding is synchronous, so
 * one module-level cursor serves every call without allocating a reader.
 */
let at = 0;

/**
 * Reads the zigzag varint length of a string field and checks it against the
 * bytes left, before anything is allocated: a length prefix of 2^31 fails here.
 */
function readLength(bytes: Uint8Array, field: string): number {
  const end = bytes.length;
  // Fast path: lengths below 2^27 fit four bytes and plain int arithmetic.
  let n = 0;
  for (let i = 0; i < 4; i++) {
    if (at >= end) throw new Malformed(`truncated: ${field} length ends early`);
    const b = bytes[at++];
    n |= (b & 0x7f) << (7 * i);
    if (b < 0x80) {
      const length = (n >>> 1) ^ -(n & 1);
      return checkLength(length, end, field);
    }
  }
  return readLongLength(bytes, field, BigInt(n));
}

/** The rest of a varint longer than four bytes, read as a 64-bit long. */
function readLongLength(bytes: Uint8Array, field: string, low: bigint): number {
  let n = low;
  for (let i = 4;; i++) {
    if (i >= MAX_VARINT_BYTES) {
      throw new Malformed(`${field} length is longer than ${MAX_VARINT_BYTES} bytes`);
    }
    if (at >= bytes.length) throw new Malformed(`truncated: ${field} length ends early`);
    const b = bytes[at++];
    n |= BigInt(b & 0x7f) << BigInt(7 * i);
    if (b < 0x80) break;
  }
  // A 64-bit long: bits shifted past bit 63 by the tenth byte are dropped.
  n = BigInt.asUintN(64, n);
  const length = BigInt.asIntN(64, (n >> 1n) ^ -(n & 1n));
  if (length < 0n) throw new Malformed(`${field} length is negative: ${length}`);
  const left = bytes.length - at;
  if (length > BigInt(left)) {
    throw new Malformed(`truncated: ${field} length ${length} exceeds the ${left} bytes left`);
  }
  return Number(length);
}

function checkLength(length: number, end: number, field: string): number {
  if (length < 0) throw new Malformed(`${field} length is negative: ${length}`);
  const left = end - at;
  if (length > left) {
    throw new Malformed(`truncated: ${field} length ${length} exceeds the ${left} bytes left`);
  }
  return length;
}

/** Strings up to this many bytes are read with a plain loop when ASCII, longer ones by the decoder. */
const SHORT_STRING_BYTES = 64;

/** The char codes of the short string being read, reused by every read. */
const codes: number[] = [];

/** Reads a string field: its length, then that many bytes of strict UTF-8. */
function readString(bytes: Uint8Array, field: string): string {
  const length = readLength(bytes, field);
  const start = at;
  at += length;
  if (length <= SHORT_STRING_BYTES) {
    // Short ASCII, the common case, is faster made from its char codes than
    // by a decoder call, and one fromCharCode call allocates only the
    // string (appending a char at a time allocated each prefix).
    codes.length = length;
    let i = start;
    while (i < at && bytes[i] < 0x80) {
      codes[i - start] = bytes[i];
      i++;
    }
    if (i === at) return String.fromCharCode.apply(null, codes);
  }
  try {
    return utf8.decode(bytes.subarray(start, at));
  } catch {
    throw new Malformed(`${field} is not valid UTF-8`);
  }
}

function readFloat(bytes: Uint8Array): number {
  const left = bytes.length - at;
  if (left < 4) throw new Malformed(`truncated: price needs 4 bytes, ${left} left`);
  const bits = bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24);
  at += 4;
  f32bits[0] = bits;
  return f32[0];
}

const f32 = new Float32Array(1);
const f32bits = new Int32Array(f32.buffer);

/**
 * Decodes plain Avro binary into an order, or throws {@linkcode AvroDecodeError}
 * carrying the raw bytes and the reason. Strict, as the reference reader with
 * every byte consumed: a tombstone (`null`), an empty value, a truncated value,
 * a negative length, a length past the end, a varint over 10 bytes, a string
 * that is not valid UTF-8 and trailing bytes are all errors.
 *
 * @example
 * ```ts
 * import { decodeOrder } from "./codec.ts";
 * decodeOrder(new Uint8Array([2, 0x41, 2, 0x42, 0, 0, 0x80, 0x3f])); // { orderId: "A", product: "B", price: 1 }
 * ```
 */
export function decodeOrder(bytes: Uint8Array | null, origin: RecordOrigin = {}): Order {
  if (bytes === null) {
    throw new AvroDecodeError(new Uint8Array(), "tombstone: record has no value", origin);
  }
  if (bytes.length === 0) throw new AvroDecodeError(bytes, "record value is empty", origin);
  at = 0;
  try {
    const orderId = readString(bytes, "orderId");
    const product = readString(bytes, "product");
    const price = readFloat(bytes);
    if (at !== bytes.length) {
      throw new Malformed(`${bytes.length - at} trailing bytes after the order`);
    }
    return { orderId, product, price };
  } catch (error) {
    if (!(error instanceof Malformed)) throw error;
    throw new AvroDecodeError(bytes, error.message, origin);
  }
}
