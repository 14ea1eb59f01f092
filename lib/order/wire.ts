/**
 * The Confluent wire format around an Avro body: byte 0 (the magic byte), the
 * schema id as a 4-byte big-endian integer, then the body as the codec
 * writes it. Pure and allocation-free on the read side, so the consumer's hot
 * path pays one comparison and four byte reads per record.
 *
 * Telling the two formats apart: a plain order starts with the zigzag length
 * of its `orderId`, which is 0 only for an empty id, so every valid plain
 * order starts with a byte other than 0. A framed record read as plain
 * always fails to decode for schema ids below 2^24 (the plain decoder stops
 * after 6 bytes and finds trailing data), so a plain topic reports it as a
 * `deserialization` failure, with a reason naming the wire format.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { AvroDecodeError, decodeOrder, type Order, type RecordOrigin } from "./codec.ts";

/** Turns a record value into an order, or throws a permanent error saying why not. */
export type OrderDecoder = (bytes: Uint8Array | null, origin: RecordOrigin) => Order;

/** The first byte of every framed record. */
export const MAGIC_BYTE = 0;
/** The magic byte and the schema id. */
export const WIRE_HEADER_BYTES = 5;

/**
 * The schema id of a record in the wire format, or -1 when `bytes` cannot be
 * one (shorter than the header, or not starting with the magic byte). A
 * number either way, so the caller's branch stays monomorphic.
 *
 * @example
 * ```ts
 * import { framedSchemaId } from "./wire.ts";
 * framedSchemaId(new Uint8Array([0, 0, 0, 1, 2, 9])); // 258
 * framedSchemaId(new Uint8Array([18, 79, 82])); // -1
 * ```
 */
export function framedSchemaId(bytes: Uint8Array | null): number {
  if (bytes === null || bytes.length < WIRE_HEADER_BYTES || bytes[0] !== MAGIC_BYTE) return -1;
  // `>>> 0` keeps ids of 2^31 and above positive, as Java's unsigned reading would not.
  return ((bytes[1] << 24) | (bytes[2] << 16) | (bytes[3] << 8) | bytes[4]) >>> 0;
}

/**
 * `body` framed with `schemaId`: one new buffer of 5 + `body.length` bytes.
 *
 * @example
 * ```ts
 * import { frame } from "./wire.ts";
 * [...frame(258, new Uint8Array([9]))]; // [0, 0, 0, 1, 2, 9]
 * ```
 */
export function frame(schemaId: number, body: Uint8Array): Buffer {
  if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > 0xffff_ffff) {
    throw new RangeError(`schema id must be in [0, 2^32): current value is ${schemaId}`);
  }
  const out = Buffer.allocUnsafe(WIRE_HEADER_BYTES + body.length);
  out[0] = MAGIC_BYTE;
  out.writeUInt32BE(schemaId, 1);
  out.set(body, WIRE_HEADER_BYTES);
  return out;
}

/**
 * The reason a framed record on a plain topic fails, naming the schema id.
 *
 * @example
 * ```ts
 * import { framedOnPlainReason } from "./wire.ts";
 * framedOnPlainReason(7).startsWith("looks like the Confluent wire format (schema id 7)"); // true
 * ```
 */
export function framedOnPlainReason(schemaId: number): string {
  return `looks like the Confluent wire format (schema id ${schemaId}) but the topic is read ` +
    "as plain Avro: read it with --schema-registry";
}

/**
 * The reason a plain record on a registry topic fails.
 *
 * @example
 * ```ts
 * import { plainOnFramedReason } from "./wire.ts";
 * plainOnFramedReason(new Uint8Array([18])).startsWith("not in the Confluent wire format"); // true
 * ```
 */
export function plainOnFramedReason(bytes: Uint8Array): string {
  const first = bytes.length === 0 ? "no bytes" : `first byte ${bytes[0]}`;
  return `not in the Confluent wire format (${first}, expected magic byte 0 and a 4-byte ` +
    "schema id): a plain Avro record on a topic read with --schema-registry";
}

/**
 * Decodes a plain (schemaless) order, as {@linkcode decodeOrder} does; when
 * that fails and the bytes look framed, the error says so. Costs nothing on
 * the path of a record that decodes.
 */
export function decodePlainOrder(bytes: Uint8Array | null, origin: RecordOrigin = {}): Order {
  try {
    return decodeOrder(bytes, origin);
  } catch (error) {
    const id = framedSchemaId(bytes);
    if (id < 0 || !(error instanceof AvroDecodeError)) throw error;
    throw new AvroDecodeError(bytes!, framedOnPlainReason(id), origin);
  }
}
