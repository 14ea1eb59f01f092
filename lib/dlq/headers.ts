/**
 * The dead-letter header contract. Context headers use Spring Kafka's
 * `DeadLetterPublishingRecoverer` names and encodings, so existing tooling can
 * read our DLQ; a few headers of our own follow the `dlq-` prefix.
 *
 * | header | encoding |
 * | --- | --- |
 * | `kafka_dlt-original-topic` | UTF-8 |
 * | `kafka_dlt-original-partition` | 4-byte big-endian int |
 * | `kafka_dlt-original-offset` | 8-byte big-endian long |
 * | `kafka_dlt-original-timestamp` | 8-byte big-endian long (ms) |
 * | `kafka_dlt-original-timestamp-type` | UTF-8 (`CreateTime`) |
 * | `kafka_dlt-original-consumer-group` | UTF-8 |
 * | `kafka_dlt-exception-fqcn` | UTF-8, our error class |
 * | `kafka_dlt-exception-message` | UTF-8 |
 * | `dlq-error-type` | UTF-8: `deserialization`, `validation` or `processing` |
 * | `dlq-attempts` | UTF-8 decimal |
 * | `dlq-failed-at` | UTF-8 ISO-8601 time |
 * | `replay-count` | UTF-8 decimal, on records the DLQ tool replays |
 *
 * @module
 */
import { Buffer } from "node:buffer";
import type { ErrorType } from "../errors.ts";

/** Header names, in one place. */
export const DLQ_HEADERS = {
  topic: "kafka_dlt-original-topic",
  partition: "kafka_dlt-original-partition",
  offset: "kafka_dlt-original-offset",
  timestamp: "kafka_dlt-original-timestamp",
  timestampType: "kafka_dlt-original-timestamp-type",
  group: "kafka_dlt-original-consumer-group",
  exceptionClass: "kafka_dlt-exception-fqcn",
  exceptionMessage: "kafka_dlt-exception-message",
  errorType: "dlq-error-type",
  attempts: "dlq-attempts",
  failedAt: "dlq-failed-at",
} as const;

/** Header a replayed record carries: how many times it has been replayed. */
export const REPLAY_COUNT_HEADER = "replay-count";

/** Headers as kafkajs hands them over and accepts them. */
export type Headers = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

/** The context of one failure. */
export interface DlqContext {
  topic: string;
  partition: number;
  offset: string;
  /** Original record timestamp, ms since the epoch, as kafkajs gives it. */
  timestamp: string;
  group: string;
  errorClass: string;
  errorMessage: string;
  errorType: ErrorType;
  attempts: number;
  failedAt: Date;
}

function int32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(value);
  return b;
}

function int64(value: string): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(value));
  return b;
}

/**
 * The headers of a DLQ record: the original headers, unchanged, then the
 * context headers (which replace any of the same name the original carried).
 */
export function buildDlqHeaders(original: Headers | undefined, ctx: DlqContext): Headers {
  return {
    ...(original ?? {}),
    [DLQ_HEADERS.topic]: ctx.topic,
    [DLQ_HEADERS.partition]: int32(ctx.partition),
    [DLQ_HEADERS.offset]: int64(ctx.offset),
    [DLQ_HEADERS.timestamp]: int64(ctx.timestamp),
    [DLQ_HEADERS.timestampType]: "CreateTime",
    [DLQ_HEADERS.group]: ctx.group,
    [DLQ_HEADERS.exceptionClass]: ctx.errorClass,
    [DLQ_HEADERS.exceptionMessage]: ctx.errorMessage,
    [DLQ_HEADERS.errorType]: ctx.errorType,
    [DLQ_HEADERS.attempts]: String(ctx.attempts),
    [DLQ_HEADERS.failedAt]: ctx.failedAt.toISOString(),
  };
}

/** What could be read back from a DLQ record's headers; anything missing is `undefined`. */
export interface ParsedDlqHeaders {
  topic?: string;
  partition?: number;
  offset?: string;
  timestamp?: string;
  group?: string;
  errorClass?: string;
  errorMessage?: string;
  errorType?: string;
  attempts?: number;
  failedAt?: Date;
  replayCount: number;
  /** The headers that are not DLQ context: what the original record carried. */
  original: Record<string, Buffer>;
}

function first(value: Headers[string]): Buffer | undefined {
  const v = Array.isArray(value) ? value[value.length - 1] : value;
  // kafkajs hands over a header written with no value (length -1) as null.
  if (v === undefined || v === null) return undefined;
  return typeof v === "string" ? Buffer.from(v) : v;
}

function text(value: Headers[string]): string | undefined {
  return first(value)?.toString("utf8");
}

/** Reads an int header written as 4 or 8 big-endian bytes, or as decimal text by other tools. */
function integer(value: Headers[string]): string | undefined {
  const b = first(value);
  if (b === undefined) return undefined;
  // Text first: "1234" or "12345678" is 4 or 8 bytes long too. A binary int whose
  // bytes are all ASCII digits or spaces would exceed 150 million, never a real partition,
  // offset or ms timestamp.
  const s = b.toString("utf8").trim();
  if (/^-?\d+$/.test(s)) return s;
  if (b.length === 4) return String(b.readInt32BE());
  if (b.length === 8) return String(b.readBigInt64BE());
  return undefined;
}

function decimal(value: Headers[string]): number | undefined {
  const s = text(value)?.trim();
  return s !== undefined && /^\d+$/.test(s) ? Number(s) : undefined;
}

const CONTEXT_NAMES = new Set<string>([...Object.values(DLQ_HEADERS)]);

/**
 * Reads a DLQ record's headers, tolerating records with no context headers
 * or headers written by another tool (decimal text instead of binary ints).
 */
export function parseDlqHeaders(headers: Headers | undefined): ParsedDlqHeaders {
  const h = headers ?? {};
  const partition = integer(h[DLQ_HEADERS.partition]);
  const failedAt = text(h[DLQ_HEADERS.failedAt]);
  const failedDate = failedAt === undefined ? undefined : new Date(failedAt);
  const original: Record<string, Buffer> = {};
  for (const [name, value] of Object.entries(h)) {
    if (CONTEXT_NAMES.has(name) || name.startsWith("kafka_dlt-")) continue;
    const b = first(value);
    if (b !== undefined) original[name] = b;
  }
  return {
    topic: text(h[DLQ_HEADERS.topic]),
    partition: partition === undefined ? undefined : Number(partition),
    offset: integer(h[DLQ_HEADERS.offset]),
    timestamp: integer(h[DLQ_HEADERS.timestamp]),
    group: text(h[DLQ_HEADERS.group]),
    errorClass: text(h[DLQ_HEADERS.exceptionClass]),
    errorMessage: text(h[DLQ_HEADERS.exceptionMessage]),
    errorType: text(h[DLQ_HEADERS.errorType]),
    attempts: decimal(h[DLQ_HEADERS.attempts]),
    failedAt: failedDate && !Number.isNaN(failedDate.getTime()) ? failedDate : undefined,
    replayCount: decimal(h[REPLAY_COUNT_HEADER]) ?? 0,
    original,
  };
}
