/**
 * CRC-32C (Castagnoli), the checksum of a Kafka record batch, for
 * `produce_request.ts`. Pure.
 *
 * @module
 */

/** The reflected Castagnoli polynomial. */
const POLYNOMIAL = 0x82f63b78;

/** Eight tables of 256 entries: the checksum takes eight bytes per step ("slicing by 8"). */
const TABLES = makeTables();

function makeTables(): Int32Array {
  const t = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLYNOMIAL : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    for (let k = 1; k < 8; k++) {
      const prev = t[(k - 1) * 256 + n];
      t[k * 256 + n] = (prev >>> 8) ^ t[prev & 0xff];
    }
  }
  return t;
}

/**
 * The CRC-32C of `bytes[start..end)`, as an unsigned 32-bit number.
 *
 * @example
 * ```ts
 * import { crc32c } from "./crc32c.ts";
 * crc32c(new TextEncoder().encode("123456789")); // 0xe3069283
 * ```
 */
export function crc32c(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const t = TABLES;
  let crc = -1;
  let i = start;
  // Eight bytes a step: the byte-wise loop's table look-ups, folded.
  for (const last = end - 8; i <= last; i += 8) {
    const a = crc ^ (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
    crc = t[1792 + (a & 0xff)] ^ t[1536 + ((a >>> 8) & 0xff)] ^
      t[1280 + ((a >>> 16) & 0xff)] ^ t[1024 + (a >>> 24)] ^
      t[768 + bytes[i + 4]] ^ t[512 + bytes[i + 5]] ^ t[256 + bytes[i + 6]] ^ t[bytes[i + 7]];
  }
  for (; i < end; i++) crc = t[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}
