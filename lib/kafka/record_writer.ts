/**
 * The byte-level writing of kafkajs's record encodings, for
 * `produce_request.ts`: a growable buffer with kafkajs's varints, varlongs
 * and strings, and the sizes kafkajs computes for them. Pure.
 *
 * @module
 */

const textEncoder = new TextEncoder();

/** A growable byte buffer with kafkajs's encodings. */
export class Writer {
  /** The bytes so far are `buf[0..pos)`. */
  buf = new Uint8Array(64 * 1024);
  /** Where the next byte goes. */
  pos = 0;

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buf.subarray(0, this.pos));
    this.buf = grown;
  }

  /** kafkajs's `writeVarInt`: 32-bit zigzag, then LEB128. */
  varint(value: number): void {
    this.ensure(5);
    let z = ((value << 1) ^ (value >> 31)) >>> 0;
    while (z > 0x7f) {
      this.buf[this.pos++] = (z & 0x7f) | 0x80;
      z >>>= 7;
    }
    this.buf[this.pos++] = z;
  }

  /** kafkajs's `writeVarLong` for a safe integer of at most 2^52: 64-bit zigzag, then LEB128. */
  varlong(value: number): void {
    this.ensure(10);
    let z = value >= 0 ? value * 2 : -value * 2 - 1;
    while (z > 0x7f) {
      this.buf[this.pos++] = (z % 128) | 0x80;
      z = Math.floor(z / 128);
    }
    this.buf[this.pos++] = z;
  }

  /** A string of `byteLength` UTF-8 bytes, as Buffer's `write` encodes it. */
  utf8(text: string, byteLength: number): void {
    this.ensure(byteLength);
    if (byteLength === text.length) {
      for (let i = 0; i < byteLength; i++) this.buf[this.pos + i] = text.charCodeAt(i);
    } else {
      textEncoder.encodeInto(text, this.buf.subarray(this.pos, this.pos + byteLength));
    }
    this.pos += byteLength;
  }

  /** Bytes as they are. */
  bytes(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }
}

/**
 * The UTF-8 length of `text` as `Buffer.byteLength` counts it: a lone
 * surrogate is written as U+FFFD, three bytes.
 *
 * @example
 * ```ts
 * import { utf8Length } from "./produce_request.ts";
 * utf8Length("aé€😀"); // 10
 * ```
 */
export function utf8Length(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (
      c >= 0xd800 && c <= 0xdbff && i + 1 < text.length &&
      (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00
    ) {
      // Two code units, four bytes.
      n += 2;
      i++;
    } else n += 2;
  }
  return n;
}

/**
 * The size of the varint kafkajs writes for `value` (32-bit zigzag).
 *
 * @example
 * ```ts
 * import { varintSize } from "./produce_request.ts";
 * [varintSize(-1), varintSize(63), varintSize(64)]; // [1, 1, 2]
 * ```
 */
export function varintSize(value: number): number {
  let z = ((value << 1) ^ (value >> 31)) >>> 0;
  let n = 1;
  while (z > 0x7f) {
    n++;
    z >>>= 7;
  }
  return n;
}

/** The size of the varlong kafkajs writes for a safe integer of at most 2^52 (64-bit zigzag). */
export function varlongSize(value: number): number {
  let z = value >= 0 ? value * 2 : -value * 2 - 1;
  let n = 1;
  while (z > 0x7f) {
    n++;
    z = Math.floor(z / 128);
  }
  return n;
}
