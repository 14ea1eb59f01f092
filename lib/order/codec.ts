/**
 * The order codec: plain Avro binary for `schema/order.avsc`, with no framing
 * (no magic byte, no schema id), byte-for-byte what fastavro's
 * `schemaless_writer` produces for the reference systems.
 *
 * @module
 */
import avro from "avsc";
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
  /** The undecodable bytes, unchanged. */
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

const orderType = avro.Type.forSchema(ORDER_SCHEMA);

/**
 * Encodes an order as plain Avro binary. Values are not validated here beyond
 * their Avro types: the producer uses this to inject invalid orders on purpose.
 *
 * @example
 * ```ts
 * import { encodeOrder } from "./codec.ts";
 * encodeOrder({ orderId: "ORD-00001", product: "Mouse", price: 29.99 }).length; // 19
 * ```
 */
export function encodeOrder(order: Order): Buffer {
  return orderType.toBuffer(order);
}

/**
 * Decodes plain Avro binary into an order, or throws {@linkcode AvroDecodeError}
 * carrying the raw bytes and the reason. Trailing bytes are an error too.
 */
export function decodeOrder(bytes: Uint8Array | null, origin: RecordOrigin = {}): Order {
  if (bytes === null) throw new AvroDecodeError(new Uint8Array(), "record has no value", origin);
  const buf = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  let decoded: { orderId: string; product: string; price: number };
  try {
    decoded = orderType.fromBuffer(buf);
  } catch (error) {
    throw new AvroDecodeError(
      bytes,
      error instanceof Error ? error.message : String(error),
      origin,
    );
  }
  // Plain object: avsc returns an instance of a generated record class.
  return { orderId: decoded.orderId, product: decoded.product, price: decoded.price };
}
