/**
 * A Kafka fetch response, version 11, decoded into exactly the objects
 * kafkajs 2.2.4's decoder makes, without its per-record costs: kafkajs gives
 * every record its own decoder and buffer slice, and computes each record's
 * offset and timestamp by parsing the batch's as a BigInt and printing the
 * sum, about 2.7 KB of garbage per record, which kept the consumer's heap
 * near 150 MB over a million orders.
 *
 * Only record batches (magic 2) whose every field is as the protocol says
 * are decoded here; anything else throws, and the caller then uses kafkajs's
 * own decoder, so odd input keeps kafkajs's behaviour. Pure: decompression
 * comes in as a function.
 *
 * @module
 */
import type { Buffer } from "node:buffer";

/** Decompresses a batch's records for its attributes; `undefined` for an uncompressed batch. */
export type DecompressFor = (
  attributes: number,
) => ((bytes: Buffer) => Promise<Buffer>) | undefined;

/** What kafkajs's `RecordBatchDecoder` puts in every record's `batchContext`. */
export interface BatchContext {
  firstOffset: string;
  firstTimestamp: string;
  partitionLeaderEpoch: number;
  inTransaction: boolean;
  isControlBatch: boolean;
  lastOffsetDelta: number;
  producerId: string;
  producerEpoch: number;
  firstSequence: number;
  maxTimestamp: string;
  timestampType: number;
  magicByte: number;
}

/** A record as kafkajs decodes it. */
export interface FetchedRecord {
  magicByte: number;
  attributes: number;
  timestamp: string;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | null | (Buffer | null)[]>;
  isControlRecord: boolean;
  batchContext: BatchContext;
}

/** One partition of a fetch response, as kafkajs decodes it. */
export interface FetchedPartition {
  partition: number;
  errorCode: number;
  highWatermark: string;
  lastStableOffset: string;
  lastStartOffset: string;
  abortedTransactions: { producerId: string; firstOffset: string }[];
  preferredReadReplica: number;
  messages: FetchedRecord[];
}

/** A fetch response v11, as kafkajs's `decode` returns it. */
export interface FetchResponse {
  throttleTime: number;
  clientSideThrottleTime: number;
  errorCode: number;
  sessionId: number;
  responses: { topicName: string | null; partitions: FetchedPartition[] }[];
}

/** Thrown for input this decoder leaves to kafkajs's. */
export class NotDecoded extends Error {
  override name = "NotDecoded";
}

/** The record batch's magic byte: format v2. */
const MAGIC = 2;
/** Where the magic byte of the first batch is in a record set. */
const MAGIC_OFFSET = 16;
/** kafkajs reads a batch only while this many bytes are left. */
const RECORD_BATCH_OVERHEAD = 49;
const TIMESTAMP_TYPE_FLAG = 0x8;
const TRANSACTIONAL_FLAG = 0x10;
const CONTROL_FLAG = 0x20;
const LOG_APPEND_TIME = 1;
const TWO_32 = 2 ** 32;

/** A read position in a Buffer, with kafkajs's encodings; past `end` is an error. */
class Reader {
  constructor(readonly buf: Buffer, public pos: number, readonly end: number) {}

  need(n: number): void {
    if (n < 0 || this.pos + n > this.end) throw new NotDecoded("read past the end");
  }

  int8(): number {
    this.need(1);
    return (this.buf[this.pos++] << 24) >> 24;
  }

  int16(): number {
    this.need(2);
    const v = ((this.buf[this.pos] << 24) | (this.buf[this.pos + 1] << 16)) >> 16;
    this.pos += 2;
    return v;
  }

  int32(): number {
    this.need(4);
    const b = this.buf;
    const p = this.pos;
    this.pos += 4;
    return (b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3];
  }

  /** A signed 64-bit integer as a number when that is exact, else as a bigint. */
  int64(): number | bigint {
    const high = this.int32();
    const low = this.int32() >>> 0;
    const value = high * TWO_32 + low;
    return Number.isSafeInteger(value) ? value : (BigInt(high) << 32n) + BigInt(low);
  }

  /** kafkajs's `readVarInt` (zigzag), for the five bytes a 32-bit varint may take. */
  varint(): number {
    let result = 0;
    let shift = 0;
    let b: number;
    do {
      if (shift > 28 || this.pos >= this.end) throw new NotDecoded("varint");
      b = this.buf[this.pos++];
      result += (b & 0x7f) << shift;
      shift += 7;
    } while (b >= 0x80);
    return (result >>> 1) ^ -(result & 1);
  }

  /** kafkajs's `readVarLong` (zigzag), for values that fit 48 bits. */
  varlong(): number {
    let z = 0;
    let scale = 1;
    let b: number;
    do {
      if (scale > 2 ** 42 || this.pos >= this.end) throw new NotDecoded("varlong");
      b = this.buf[this.pos++];
      z += (b & 0x7f) * scale;
      scale *= 128;
    } while (b >= 0x80);
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  /** kafkajs's `readVarIntBytes`: a view of the bytes, null for length -1. */
  bytes(): Buffer | null {
    const length = this.varint();
    if (length === -1) return null;
    this.need(length);
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  /** A string of a varint length (null for -1) or an int16 length, as kafkajs decodes it. */
  string(length: number): string | null {
    if (length === -1) return null;
    this.need(length);
    const text = this.buf.subarray(this.pos, this.pos + length).toString("utf8");
    this.pos += length;
    return text;
  }
}

/** `base + delta` as kafkajs prints it (`Long.add(...).toString()`). */
function sum(base: number | bigint, delta: number): string {
  if (typeof base === "number") {
    const n = base + delta;
    if (Number.isSafeInteger(n)) return String(n);
  }
  return String(BigInt(base) + BigInt(delta));
}

/** The headers of a record, merged as kafkajs merges them: a repeated key becomes an array. */
function readHeaders(r: Reader): FetchedRecord["headers"] {
  const count = r.varint();
  const headers: FetchedRecord["headers"] = {};
  for (let i = 0; i < count; i++) {
    const key = String(r.string(r.varint()));
    const value = r.bytes();
    const had = headers[key];
    const merged = had === undefined
      ? value
      : Array.isArray(had)
      ? had.concat([value])
      : [had, value];
    // Defined, not assigned: a header named "__proto__" is a property, as in kafkajs.
    Object.defineProperty(headers, key, {
      value: merged,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
  return headers;
}

/** The batch fields a record needs, with the first offset and timestamp as numbers when exact. */
interface Batch {
  context: BatchContext;
  attributes: number;
  firstOffset: number | bigint;
  firstTimestamp: number | bigint;
  /** The last timestamp delta read and its text: most records of a batch share one. */
  lastDelta: number;
  lastTimestamp: string;
}

/** One record, from its length prefix on, as kafkajs's `RecordDecoder`. */
function readRecord(r: Reader, batch: Batch): FetchedRecord {
  const length = r.varint();
  r.need(length);
  const record = new Reader(r.buf, r.pos, r.pos + length);
  r.pos += length;
  const ctx = batch.context;
  const attributes = record.int8();
  const delta = record.varlong();
  let timestamp: string;
  if (ctx.timestampType === LOG_APPEND_TIME && ctx.maxTimestamp) timestamp = ctx.maxTimestamp;
  else if (delta === batch.lastDelta) timestamp = batch.lastTimestamp;
  else {
    timestamp = sum(batch.firstTimestamp, delta);
    batch.lastDelta = delta;
    batch.lastTimestamp = timestamp;
  }
  const offset = sum(batch.firstOffset, record.varint());
  const key = record.bytes();
  const value = record.bytes();
  const headers = readHeaders(record);
  return {
    magicByte: ctx.magicByte,
    attributes,
    timestamp,
    offset,
    key,
    value,
    headers,
    isControlRecord: ctx.isControlBatch,
    batchContext: ctx,
  };
}

/** The fields of a batch after its length, up to its records. */
function readBatchHeader(r: Reader, firstOffset: number | bigint): Batch {
  const partitionLeaderEpoch = r.int32();
  const magicByte = r.int8();
  r.int32(); // CRC: kafkajs does not check it either; the broker did.
  const attributes = r.int16();
  const lastOffsetDelta = r.int32();
  const firstTimestamp = r.int64();
  const maxTimestamp = String(r.int64());
  const producerId = String(r.int64());
  const producerEpoch = r.int16();
  const firstSequence = r.int32();
  const context: BatchContext = {
    firstOffset: String(firstOffset),
    firstTimestamp: String(firstTimestamp),
    partitionLeaderEpoch,
    inTransaction: (attributes & TRANSACTIONAL_FLAG) > 0,
    isControlBatch: (attributes & CONTROL_FLAG) > 0,
    lastOffsetDelta,
    producerId,
    producerEpoch,
    firstSequence,
    maxTimestamp,
    timestampType: (attributes & TIMESTAMP_TYPE_FLAG) > 0 ? LOG_APPEND_TIME : 0,
    magicByte,
  };
  return {
    context,
    attributes,
    firstOffset,
    firstTimestamp,
    lastDelta: Number.NaN,
    lastTimestamp: "",
  };
}

/** One record batch, appending its records to `out`; false for a batch cut short at the end. */
async function readBatch(
  r: Reader,
  decompressFor: DecompressFor,
  out: FetchedRecord[],
): Promise<boolean> {
  const firstOffset = r.int64();
  const length = r.int32();
  // kafkajs stops at a partial batch: the broker cuts the last one at the size limit.
  if (r.end - r.pos < length) return false;
  const b = new Reader(r.buf, r.pos, r.pos + length);
  r.pos += length;
  const batch = readBatchHeader(b, firstOffset);
  const decompress = decompressFor(batch.attributes);
  const count = b.int32();
  if (decompress === undefined) {
    for (let i = 0; i < count; i++) out.push(readRecord(b, batch));
    return true;
  }
  if (count <= 0) return true;
  const records = await decompress(b.buf.subarray(b.pos, b.end));
  const d = new Reader(records, 0, records.length);
  for (let i = 0; i < count; i++) out.push(readRecord(d, batch));
  return true;
}

/** A partition's record set, as kafkajs's `decodeMessages` (v4 and later). */
async function readMessages(r: Reader, decompressFor: DecompressFor): Promise<FetchedRecord[]> {
  const size = r.int32();
  if (size <= 0 || r.end - r.pos < size) return [];
  const set = new Reader(r.buf, r.pos, r.pos + size);
  r.pos += size;
  if (size <= MAGIC_OFFSET || r.buf[set.pos + MAGIC_OFFSET] !== MAGIC) {
    throw new NotDecoded("not a record batch (magic 2)");
  }
  const out: FetchedRecord[] = [];
  while (set.end - set.pos >= RECORD_BATCH_OVERHEAD) {
    if (!await readBatch(set, decompressFor, out)) break;
  }
  return out;
}

async function readPartition(r: Reader, decompressFor: DecompressFor): Promise<FetchedPartition> {
  const partition = r.int32();
  const errorCode = r.int16();
  const highWatermark = String(r.int64());
  const lastStableOffset = String(r.int64());
  const lastStartOffset = String(r.int64());
  const aborted = r.int32();
  const abortedTransactions = [];
  for (let i = 0; i < aborted; i++) {
    abortedTransactions.push({ producerId: String(r.int64()), firstOffset: String(r.int64()) });
  }
  const preferredReadReplica = r.int32();
  const messages = await readMessages(r, decompressFor);
  return {
    partition,
    errorCode,
    highWatermark,
    lastStableOffset,
    lastStartOffset,
    abortedTransactions,
    preferredReadReplica,
    messages,
  };
}

/**
 * Decodes a fetch response v11 body as kafkajs 2.2.4's `decode` does, or
 * throws {@linkcode NotDecoded} (or a codec's error) for the caller to use
 * kafkajs's decoder instead.
 */
export async function decodeFetchResponse(
  raw: Buffer,
  decompressFor: DecompressFor,
): Promise<FetchResponse> {
  const r = new Reader(raw, 0, raw.length);
  const clientSideThrottleTime = r.int32();
  const errorCode = r.int16();
  const sessionId = r.int32();
  const topics = r.int32();
  const responses = [];
  for (let t = 0; t < topics; t++) {
    const topicName = r.string(r.int16());
    const count = r.int32();
    const partitions = [];
    for (let p = 0; p < count; p++) partitions.push(await readPartition(r, decompressFor));
    responses.push({ topicName, partitions });
  }
  return { throttleTime: 0, clientSideThrottleTime, errorCode, sessionId, responses };
}
