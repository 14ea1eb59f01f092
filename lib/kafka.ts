/**
 * Thin kafkajs wiring shared by the scripts: one client factory with our
 * defaults, a bounded connect that fails with one clear line, and the
 * partitioner we use to know each record's partition before it is sent.
 *
 * @module
 */
import process from "node:process";
import { Kafka, logLevel, Partitioners, type Producer } from "kafkajs";
import { FatalError } from "./cli.ts";
import { registerSnappy } from "./snappy.ts";

/** Options for {@linkcode createKafka}. */
export interface KafkaOptions {
  brokers: string[];
  /** @default {"order-pipeline"} */
  clientId?: string;
  /** TCP connect timeout for one attempt, in ms. @default {3000} */
  connectionTimeoutMs?: number;
  /** kafkajs log level; the scripts print their own concise lines. @default {logLevel.NOTHING} */
  level?: logLevel;
}

/**
 * Creates a kafkajs client with snappy registered and kafkajs's own logging
 * silenced: connection retries and rebalances are reported by our scripts in
 * one line each instead of kafkajs's multi-line JSON.
 */
export function createKafka(options: KafkaOptions): Kafka {
  registerSnappy();
  quietTimeoutWarnings();
  return new Kafka({
    clientId: options.clientId ?? "order-pipeline",
    brokers: options.brokers,
    connectionTimeout: options.connectionTimeoutMs ?? 3000,
    logLevel: options.level ?? logLevel.NOTHING,
  });
}

let warningsPatched = false;

/**
 * Exported for clients built without createKafka (the launcher's probe).
 * kafkajs's request queue schedules `setTimeout(throttledUntil - Date.now())`
 * with `throttledUntil` 0 when the broker never throttled, and Node's timers
 * print a TimeoutNegativeWarning for it. The timeout is clamped to 1 ms
 * anyway, so the warning is noise: drop just that one.
 */
export function quietTimeoutWarnings(): void {
  if (warningsPatched) return;
  warningsPatched = true;
  const emit = process.emitWarning.bind(process);
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const name = typeof warning === "string" ? rest[0] : warning.name;
    const type = typeof name === "object" && name !== null
      ? (name as { type?: string }).type
      : name;
    if (type === "TimeoutNegativeWarning") return;
    // deno-lint-ignore no-explicit-any
    (emit as any)(warning, ...rest);
  }) as typeof process.emitWarning;
}

/**
 * An idempotent, `acks=all`-capable producer whose kafkajs retries are
 * bounded. kafkajs retries an idempotent send forever by default: a dead
 * broker or an unwritable topic would then hang the caller (and its
 * shutdown) instead of reaching our own attempts, the DLQ, or a clean
 * failure. Send through it one request at a time (see producer.ts).
 */
export function idempotentProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 5000 },
  });
}

/**
 * Connects `client` or throws {@linkcode FatalError} within `timeoutMs`:
 * kafkajs would otherwise keep retrying an unreachable broker for a long time.
 */
export async function connectWithin(
  client: { connect(): Promise<void>; disconnect(): Promise<void> },
  brokers: string[],
  timeoutMs: number,
): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${(timeoutMs / 1000).toFixed(0)} s`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([client.connect(), deadline]);
  } catch (error) {
    throw new FatalError(
      `cannot reach Kafka at ${brokers.join(",")}: ${
        describeError(error)
      }; start one with 'deno task broker' or point --brokers / KAFKA_BROKERS at a running broker`,
    );
  } finally {
    clearTimeout(timer);
  }
}

/** One line for an error: kafkajs's wrapped causes included, no stack. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const parts = [error.message];
  let cause = (error as { cause?: unknown; originalError?: unknown }).originalError ??
    (error as { cause?: unknown }).cause;
  while (cause instanceof Error && parts.length < 4) {
    if (!parts.includes(cause.message)) parts.push(cause.message);
    cause = (cause as { originalError?: unknown }).originalError ??
      (cause as { cause?: unknown }).cause;
  }
  return parts.join(": ");
}

const encoder = new TextEncoder();
let scratch = new Uint8Array(256);

/**
 * Java's `Utils.murmur2` over the UTF-8 bytes of `key`, as the Java client's
 * and kafkajs's default partitioners use it. Written here because kafkajs's
 * copies every key into a new Buffer first: that was 13% of the producer's
 * time at full speed.
 */
export function murmur2(key: string): number {
  if (key.length * 3 > scratch.length) scratch = new Uint8Array(key.length * 3);
  const length = encoder.encodeInto(key, scratch).written;
  const data = scratch;
  const m = 0x5bd1e995;
  let h = 0x9747b28c ^ length;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = data[i4] | (data[i4 + 1] << 8) | (data[i4 + 2] << 16) | (data[i4 + 3] << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  // Java's switch falls through from 3 to 1: the tail bytes, then one mix.
  const tail = length & ~3;
  const rest = length & 3;
  if (rest === 3) h ^= data[tail + 2] << 16;
  if (rest >= 2) h ^= data[tail + 1] << 8;
  if (rest >= 1) h = Math.imul(h ^ data[tail], m);
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/**
 * The partition the Java client's (and kafkajs's) default partitioner picks
 * for `key` on a topic with `partitions` partitions: murmur2, made positive,
 * modulo the count. The producer assigns it explicitly so each
 * acknowledgement can be matched to its records.
 */
export function partitionFor(key: string, partitions: number): number {
  return (murmur2(key) & 0x7fffffff) % partitions;
}
