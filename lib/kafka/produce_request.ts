/**
 * The body of a Kafka produce request, versions 3 to 7 (one layout), written
 * in one pass per partition: byte for byte what kafkajs 2.2.4 writes for the
 * same arguments, without its per-record allocations. kafkajs gives every
 * record and header an encoder with a 512-byte `Buffer` and writes every
 * varint through `Buffer.from([...])`; under Deno each of those goes through
 * the Node `Buffer` layer, and that was two thirds of the producer's CPU.
 *
 * Only arguments whose bytes are certain are taken: keys and values that are
 * null, strings or Buffers, header values that are strings or Buffers,
 * integer timestamps and fields. For anything else
 * {@linkcode encodeProduceRequest} returns `undefined` and the caller uses
 * kafkajs's own encoder, so odd input keeps kafkajs's behaviour, errors
 * included. Pure: compression comes in as a function.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { crc32c } from "./crc32c.ts";
import { utf8Length, varintSize, varlongSize, Writer } from "./record_writer.ts";

/** A message as kafkajs hands it to the request: the fields of `Message` that are written. */
export interface ProduceMessage {
  key?: unknown;
  value?: unknown;
  headers?: unknown;
  timestamp?: unknown;
}

/** One partition's messages in a request, with the idempotent producer's first sequence. */
export interface ProducePartition {
  partition: unknown;
  firstSequence?: unknown;
  messages: ProduceMessage[];
}

/** The arguments kafkajs's produce request (v3 to v7) is built from. */
export interface ProduceRequestArgs {
  acks: unknown;
  timeout: unknown;
  /** kafkajs's `CompressionTypes`. @default {0} */
  compression?: unknown;
  topicData: { topic: unknown; partitions: ProducePartition[] }[];
  /** @default {null} */
  transactionalId?: unknown;
  /** A number, numeric string, bigint or kafkajs `Long`. @default {-1} */
  producerId?: unknown;
  /** @default {0} */
  producerEpoch?: unknown;
}

/** Compresses a partition's records with the codec of the request; `undefined` when there is none. */
export type CompressorFor = (
  compression: number,
) => ((records: Uint8Array) => Promise<Uint8Array>) | undefined;

/** Thrown inside the encoder for input it does not take; never escapes it. */
class Unsupported extends Error {}

/** The record batch's magic byte: format v2. */
const MAGIC = 2;
/** The attributes bit of a transactional batch. */
const TRANSACTIONAL = 16;
/** Bytes of a batch body before its records: attributes to the record count. */
const BODY_HEADER = 2 + 4 + 8 + 8 + 8 + 2 + 4 + 4;
/** Bytes of a partition entry before its batch body: partition to the CRC. */
const PARTITION_HEADER = 4 + 4 + 8 + 4 + 4 + 1 + 4;

const textEncoder = new TextEncoder();
const records = new Writer();

/** The byte length of a key, value or header value; -1 for null. */
function fieldLength(value: unknown): number {
  if (value === null || value === undefined) return -1;
  if (typeof value === "string") return utf8Length(value);
  if (Buffer.isBuffer(value)) return value.length;
  // kafkajs sizes other values with Buffer.byteLength but writes String(value).
  throw new Unsupported();
}

function writeField(w: Writer, value: unknown, length: number): void {
  w.varint(length);
  if (length < 0) return;
  if (typeof value === "string") w.utf8(value, length);
  else w.bytes(value as Uint8Array);
}

/** A header as kafkajs flattens it: one per value, an array value giving several. */
interface Header {
  key: string;
  keyLength: number;
  value: unknown;
  valueLength: number;
}

/** The headers of a record without any; never written to. */
const NO_HEADERS: readonly Header[] = [];

function flattenHeaders(headers: unknown): readonly Header[] {
  if (headers === undefined) return NO_HEADERS;
  if (typeof headers !== "object" || headers === null) throw new Unsupported();
  const out: Header[] = [];
  for (const key of Object.keys(headers)) {
    const raw = (headers as Record<string, unknown>)[key];
    for (const value of Array.isArray(raw) ? raw : [raw]) {
      // kafkajs throws on a null header value (Buffer.byteLength(null)).
      if (value === null || value === undefined) throw new Unsupported();
      out.push({ key, keyLength: utf8Length(key), value, valueLength: fieldLength(value) });
    }
  }
  return out;
}

function headersSize(headers: readonly Header[]): number {
  let size = varintSize(headers.length);
  for (const h of headers) {
    size += varintSize(h.keyLength) + h.keyLength + varintSize(h.valueLength) + h.valueLength;
  }
  return size;
}

/** Writes one record as kafkajs's `Record` v0 does. */
function writeRecord(w: Writer, m: ProduceMessage, offsetDelta: number, delta: number): void {
  const keyLength = fieldLength(m.key);
  const valueLength = fieldLength(m.value);
  const headers = flattenHeaders(m.headers);
  const body = 1 + varlongSize(delta) + varintSize(offsetDelta) +
    varintSize(keyLength) + Math.max(keyLength, 0) +
    varintSize(valueLength) + Math.max(valueLength, 0) + headersSize(headers);
  w.varint(body);
  w.ensure(1);
  w.buf[w.pos++] = 0;
  w.varlong(delta);
  w.varint(offsetDelta);
  writeField(w, m.key, keyLength);
  writeField(w, m.value, valueLength);
  w.varint(headers.length);
  for (const h of headers) {
    w.varint(h.keyLength);
    w.utf8(h.key, h.keyLength);
    writeField(w, h.value, h.valueLength);
  }
}

/** The first and last of the messages' timestamps as kafkajs picks them: sorted as strings. */
function timestampRange(messages: ProduceMessage[], now: number): [unknown, unknown] {
  let first: unknown;
  let last: unknown;
  let firstText = "";
  let lastText = "";
  for (const m of messages) {
    const t = m.timestamp;
    if (t === null || t === undefined) continue;
    if (typeof t !== "string" && typeof t !== "number") throw new Unsupported();
    const text = String(t);
    // A stable sort: the first of equal minima, the last of equal maxima.
    if (first === undefined || text < firstText) {
      first = t;
      firstText = text;
    }
    if (last === undefined || text >= lastText) {
      last = t;
      lastText = text;
    }
  }
  return first === undefined ? [now, now] : [first, last];
}

/** A 64-bit field as kafkajs's `Long.fromValue` reads it. */
function int64(value: unknown): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "number") {
    if (!Number.isInteger(value)) throw new Unsupported();
    return BigInt(value);
  }
  if (typeof value === "string") {
    if (value === "NaN" || value === "Infinity" || value === "+Infinity" || value === "-Infinity") {
      return 0n;
    }
    if (!/^-?\d+$/.test(value)) throw new Unsupported();
    return BigInt(value);
  }
  if (
    typeof value === "object" && value !== null &&
    typeof (value as { value?: unknown }).value === "bigint"
  ) {
    return (value as { value: bigint }).value;
  }
  throw new Unsupported();
}

/** An integer field of `bits` bits, or a numeric string as Node's `writeInt32BE` coerces it. */
function intField(value: unknown, bits: 16 | 32): number {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  const limit = 2 ** (bits - 1);
  if (typeof n !== "number" || !Number.isInteger(n) || n < -limit || n >= limit) {
    throw new Unsupported();
  }
  return n;
}

/** A partition's records, and the batch fields that depend on them. */
interface EncodedRecords {
  bytes: Uint8Array;
  count: number;
  firstTimestamp: bigint;
  maxTimestamp: bigint;
}

/** Encodes a partition's messages as kafkajs's `partitionsEncoder` does, into a fresh copy. */
function encodeRecords(messages: ProduceMessage[]): EncodedRecords {
  const now = Date.now();
  const [first, last] = timestampRange(messages, now);
  const firstTimestamp = int64(first);
  const maxTimestamp = int64(last);
  records.pos = 0;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    // kafkajs's own expression, coercions included.
    const delta = ((m.timestamp || now) as number) - (first as number);
    if (!Number.isSafeInteger(delta) || Math.abs(delta) > 2 ** 52) throw new Unsupported();
    writeRecord(records, m, i, delta);
  }
  return {
    bytes: records.buf.slice(0, records.pos),
    count: messages.length,
    firstTimestamp,
    maxTimestamp,
  };
}

/** The batch fields of a request that are the same for every partition. */
interface RequestFields {
  compression: number;
  transactional: boolean;
  producerId: bigint;
  producerEpoch: number;
}

/** A partition's batch body: attributes to the last record, compressed if the request is. */
async function batchBody(
  p: ProducePartition,
  fields: RequestFields,
  compress: ((records: Uint8Array) => Promise<Uint8Array>) | undefined,
): Promise<Uint8Array> {
  const firstSequence = intField(p.firstSequence, 32);
  const encoded = encodeRecords(p.messages);
  const payload = compress === undefined ? encoded.bytes : await compress(encoded.bytes);
  const body = new Uint8Array(BODY_HEADER + payload.length);
  const view = new DataView(body.buffer);
  view.setInt16(0, (fields.compression & 0x07) | (fields.transactional ? TRANSACTIONAL : 0));
  view.setInt32(2, encoded.count - 1);
  view.setBigInt64(6, encoded.firstTimestamp);
  view.setBigInt64(14, encoded.maxTimestamp);
  view.setBigInt64(22, fields.producerId);
  view.setInt16(30, fields.producerEpoch);
  view.setInt32(32, firstSequence);
  view.setInt32(36, encoded.count);
  body.set(payload, BODY_HEADER);
  return body;
}

/** The request's top-level fields, checked and with kafkajs's defaults. */
function requestFields(args: ProduceRequestArgs): RequestFields & {
  transactionalId: string | null;
  acks: number;
  timeout: number;
} {
  const { transactionalId = null, compression = 0 } = args;
  if (transactionalId !== null && typeof transactionalId !== "string") throw new Unsupported();
  if (typeof compression !== "number" || !Number.isInteger(compression)) throw new Unsupported();
  return {
    transactionalId,
    acks: intField(args.acks, 16),
    timeout: intField(args.timeout, 32),
    compression,
    transactional: !!transactionalId,
    producerId: int64(args.producerId ?? -1),
    producerEpoch: intField(args.producerEpoch ?? 0, 16),
  };
}

/** A string as kafkajs's `writeString` writes it: int16 length, UTF-8; null as length -1. */
function stringBytes(text: string | null): Uint8Array {
  if (text === null) return new Uint8Array([0xff, 0xff]);
  const length = utf8Length(text);
  if (length > 0x7fff) throw new Unsupported();
  const out = new Uint8Array(2 + length);
  new DataView(out.buffer).setInt16(0, length);
  textEncoder.encodeInto(text, out.subarray(2));
  return out;
}

/**
 * Encodes a produce request body (v3 to v7) from the arguments kafkajs's
 * `produce` request takes, byte for byte as kafkajs 2.2.4 would; `undefined`
 * for arguments it does not take (see the module comment) or a codec
 * `compressorFor` does not know, for the caller to use kafkajs's encoder.
 *
 * @example
 * ```ts
 * import { encodeProduceRequest } from "./produce_request.ts";
 * const bytes = await encodeProduceRequest({
 *   acks: -1,
 *   timeout: 30000,
 *   topicData: [{ topic: "t", partitions: [{ partition: 0, firstSequence: 0, messages: [{ key: "k", value: "v", timestamp: "1" }] }] }],
 * }, () => undefined);
 * bytes?.length; // 97
 * ```
 */
export async function encodeProduceRequest(
  args: ProduceRequestArgs,
  compressorFor: CompressorFor,
): Promise<Uint8Array | undefined> {
  try {
    const fields = requestFields(args);
    const compress = fields.compression === 0 ? undefined : compressorFor(fields.compression);
    if (fields.compression !== 0 && compress === undefined) return undefined;
    const parts: Uint8Array[] = [stringBytes(fields.transactionalId), new Uint8Array(10)];
    const head = new DataView(parts[1].buffer);
    head.setInt16(0, fields.acks);
    head.setInt32(2, fields.timeout);
    head.setInt32(6, args.topicData.length);
    for (const { topic, partitions } of args.topicData) {
      if (typeof topic !== "string") return undefined;
      parts.push(stringBytes(topic), int32Bytes(partitions.length));
      for (const p of partitions) {
        const partition = intField(p.partition, 32);
        const body = await batchBody(p, fields, compress);
        parts.push(partitionHeader(partition, body), body);
      }
    }
    return concat(parts);
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

function int32Bytes(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setInt32(0, value);
  return out;
}

/** Partition, record set size, base offset, batch length, leader epoch, magic and CRC. */
function partitionHeader(partition: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(PARTITION_HEADER);
  const view = new DataView(out.buffer);
  const batchLength = 4 + 1 + 4 + body.length;
  view.setInt32(0, partition);
  view.setInt32(4, 8 + 4 + batchLength);
  view.setBigInt64(8, 0n);
  view.setInt32(16, batchLength);
  view.setInt32(20, 0);
  view.setInt8(24, MAGIC);
  view.setUint32(25, crc32c(body));
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
