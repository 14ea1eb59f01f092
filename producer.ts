/**
 * Generates orders, Avro-encodes them and publishes them to `orders` with an
 * idempotent, `acks=all`, batching, compressing producer. Every order ends in
 * exactly one of three places, and the summary counts each: acknowledged on
 * `orders`, written to `orders-dlq` after the send attempts ran out, or, if
 * even that failed, logged in full to stderr (and the exit code is 1).
 *
 * Usage: `deno task produce -- [count] [delay] [flags]`; see {@linkcode USAGE}.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { CompressionTypes, type Message, type Producer } from "kafkajs";
import { FatalError, UsageError } from "./lib/errors.ts";
import { parseCli, parseNumber } from "./lib/cli/args.ts";
import { resolveBrokers } from "./lib/cli/flags.ts";
import { runMain, shutdownSignal } from "./lib/cli/main.ts";
import { buildDlqHeaders } from "./lib/dlq/headers.ts";
import { connectWithin, createKafka, idempotentProducer } from "./lib/kafka/client.ts";
import { describeError } from "./lib/kafka/errors.ts";
import { partitionFor } from "./lib/kafka/partitioner.ts";
import { formatDelay, LatencyRecorder } from "./lib/metrics/latency.ts";
import { createRecordGenerator, type GeneratedRecord } from "./lib/order/generator.ts";
import { backoffDelay } from "./lib/retry.ts";
import { DEFAULT_PARTITIONS, ensureTopics } from "./lib/kafka/topics.ts";

/** The command-line help. */
export const USAGE = `Usage: deno task produce -- [count] [delay] [flags]

Generates orders, Avro-encodes them and publishes them to Kafka.

  count, --count N          orders to send (default 100)
  delay, --delay SECONDS    pause between orders (default 0)
  --rate N                  orders per second; 0 = as fast as possible (default 0)
  --seed N                  seed for reproducible orders (default 42)
  --brokers LIST            bootstrap brokers (default $KAFKA_BROKERS or 127.0.0.1:9092)
  --topic NAME              topic to publish to (default orders)
  --dlq-topic NAME          dead-letter topic for undeliverable orders (default orders-dlq)
  --partitions N            partitions when the topics are created (default 3)
  --compression C           snappy | gzip | none (default snappy)
  --batch-size N            max orders in one produce request (default 2000)
  --linger-ms MS            wait this long to fill a batch (default 5)
  --attempts N              send attempts per batch before the DLQ (default 3)
  --retry-backoff-ms MS     first wait between attempts, doubled each time (default 200)
  --corrupt-rate P          share of records that are not valid Avro (default 0)
  --invalid-rate P          share of records with a bad price or empty id (default 0)
  --connect-timeout S       give up on an unreachable broker after S seconds (default 30)
  --quiet                   print only the summary
  --json                    one JSON object per line
  --help                    show this help`;

const COMPRESSION = {
  snappy: CompressionTypes.Snappy,
  gzip: CompressionTypes.GZIP,
  none: CompressionTypes.None,
} as const;

/** Everything a producer run needs; built from flags by {@linkcode parseProducerArgs}. */
export interface ProducerConfig {
  brokers: string[];
  topic: string;
  dlqTopic: string;
  partitions: number;
  count: number;
  delayMs: number;
  rate: number;
  seed: number;
  compression: keyof typeof COMPRESSION;
  batchSize: number;
  lingerMs: number;
  attempts: number;
  retryBackoffMs: number;
  corruptRate: number;
  invalidRate: number;
  connectTimeoutMs: number;
  output: "text" | "quiet" | "json";
}

/** Parses the command line into a {@linkcode ProducerConfig}; throws UsageError. */
export function parseProducerArgs(args: string[]): ProducerConfig | "help" {
  const { values, positionals } = parseCli(args, {
    allowPositionals: true,
    options: {
      count: { type: "string" },
      delay: { type: "string" },
      rate: { type: "string" },
      seed: { type: "string" },
      brokers: { type: "string" },
      topic: { type: "string" },
      "dlq-topic": { type: "string" },
      partitions: { type: "string" },
      compression: { type: "string" },
      "batch-size": { type: "string" },
      "linger-ms": { type: "string" },
      attempts: { type: "string" },
      "retry-backoff-ms": { type: "string" },
      "corrupt-rate": { type: "string" },
      "invalid-rate": { type: "string" },
      "connect-timeout": { type: "string" },
      quiet: { type: "boolean" },
      json: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return "help";
  if (positionals.length > 2) {
    throw new UsageError(`unexpected argument '${positionals[2]}': give at most count and delay`);
  }
  const compression = values.compression ?? "snappy";
  if (!(compression in COMPRESSION)) {
    throw new UsageError(
      `--compression must be snappy, gzip or none: current value is '${compression}'`,
    );
  }
  const corruptRate = parseNumber("corrupt-rate", values["corrupt-rate"], 0, { min: 0, max: 1 });
  const invalidRate = parseNumber("invalid-rate", values["invalid-rate"], 0, { min: 0, max: 1 });
  if (corruptRate + invalidRate > 1) {
    throw new UsageError(
      `--corrupt-rate plus --invalid-rate must be at most 1: current sum is ${
        corruptRate + invalidRate
      }`,
    );
  }
  if (values.quiet && values.json) throw new UsageError("--quiet and --json cannot be combined");
  const delay = parseNumber("delay", values.delay ?? positionals[1], 0, { min: 0 });
  const rate = parseNumber("rate", values.rate, 0, { min: 0 });
  if (delay > 0 && rate > 0) throw new UsageError("give --delay or --rate, not both");
  return {
    brokers: resolveBrokers(values.brokers),
    topic: values.topic ?? "orders",
    dlqTopic: values["dlq-topic"] ?? "orders-dlq",
    partitions: parseNumber("partitions", values.partitions, DEFAULT_PARTITIONS, {
      min: 1,
      max: 1000,
      integer: true,
    }),
    count: parseNumber("count", values.count ?? positionals[0], 100, { min: 0, integer: true }),
    delayMs: delay * 1000,
    rate,
    seed: parseNumber("seed", values.seed, 42, { integer: true }),
    compression: compression as keyof typeof COMPRESSION,
    batchSize: parseNumber("batch-size", values["batch-size"], 2000, {
      min: 1,
      max: 100_000,
      integer: true,
    }),
    lingerMs: parseNumber("linger-ms", values["linger-ms"], 5, { min: 0, max: 60_000 }),
    attempts: parseNumber("attempts", values.attempts, 3, { min: 1, max: 100, integer: true }),
    retryBackoffMs: parseNumber("retry-backoff-ms", values["retry-backoff-ms"], 200, { min: 0 }),
    corruptRate,
    invalidRate,
    connectTimeoutMs: parseNumber("connect-timeout", values["connect-timeout"], 30, { min: 0.1 }) *
      1000,
    output: values.json ? "json" : values.quiet ? "quiet" : "text",
  };
}

/** What a run did; every generated order is in exactly one of produced, sentToDlq, unsent. */
export interface ProducerSummary {
  generated: number;
  produced: number;
  /** Batches whose send attempt failed, counted per order, including those later delivered. */
  failedAttempts: number;
  sentToDlq: number;
  unsent: number;
  corrupt: number;
  invalid: number;
  elapsedMs: number;
  throughput: number;
  latency: { p50: number; p95: number; p99: number; max: number; mean: number };
  interrupted: boolean;
}

/** A delivered record, as the producer reports it. */
export interface Delivery {
  record: GeneratedRecord;
  topic: string;
  partition: number;
  offset: string;
  latencyMs: number;
}

/** Hooks for what a run reports; the CLI prints, the bench and tests may count. */
export interface ProducerEvents {
  delivered?(d: Delivery): void;
  retrying?(
    records: number,
    attempt: number,
    attempts: number,
    delayMs: number,
    error: unknown,
  ): void;
  deadLettered?(record: GeneratedRecord, error: unknown): void;
  lost?(record: GeneratedRecord, error: unknown, dlqError: unknown): void;
}

interface Pending {
  record: GeneratedRecord;
  partition: number;
  enqueuedAt: number;
}

/**
 * Sends `config.count` generated orders through a connected kafkajs producer.
 * Orders are collected into batches of up to `batchSize` (or whatever
 * arrived within `lingerMs`); up to five batches wait while one is sent, so
 * generating and encoding overlap the network.
 *
 * Sends are strictly one at a time. When a request fails on the client side
 * kafkajs rolls its sequence numbers back and releases its per-broker lock
 * before retrying: a second send waiting on that lock would reuse the same
 * sequence numbers, and if the broker had stored the first request it would
 * take the second for a duplicate, store nothing and still acknowledge it.
 * One send at a time, retried with the same records, is what idempotence
 * actually de-duplicates.
 */
export async function produceOrders(
  producer: Producer,
  config: ProducerConfig,
  events: ProducerEvents = {},
  signal?: AbortSignal,
): Promise<ProducerSummary> {
  const maxQueued = 5;
  const next = createRecordGenerator({
    seed: config.seed,
    corruptRate: config.corruptRate,
    invalidRate: config.invalidRate,
  });
  const latency = new LatencyRecorder();
  const summary = {
    generated: 0,
    produced: 0,
    failedAttempts: 0,
    sentToDlq: 0,
    unsent: 0,
    corrupt: 0,
    invalid: 0,
  };
  let pending: Pending[] = [];
  const inFlight = new Set<Promise<void>>();
  let sendChain: Promise<void> = Promise.resolve();
  let lingerTimer: ReturnType<typeof setTimeout> | undefined;
  const start = performance.now();

  const toMessage = (p: Pending): Message => ({
    key: p.record.key,
    value: p.record.value,
    partition: p.partition,
    // The create time is when the order was made: the consumer measures
    // end-to-end latency from it.
    timestamp: String(Math.round(performance.timeOrigin + p.enqueuedAt)),
  });

  const sendBatch = async (batch: Pending[]): Promise<void> => {
    const messages = batch.map(toMessage);
    let lastError: unknown;
    for (let attempt = 1; attempt <= config.attempts; attempt++) {
      try {
        const acks = await producer.sendBatch({
          topicMessages: [{ topic: config.topic, messages }],
          acks: -1,
          compression: COMPRESSION[config.compression],
        });
        const now = performance.now();
        const baseOffsets = new Map(acks.map((a) => [a.partition, BigInt(a.baseOffset ?? "-1")]));
        const seen = new Map<number, bigint>();
        for (const p of batch) {
          const index = seen.get(p.partition) ?? 0n;
          seen.set(p.partition, index + 1n);
          const ms = now - p.enqueuedAt;
          latency.record(ms);
          summary.produced += 1;
          events.delivered?.({
            record: p.record,
            topic: config.topic,
            partition: p.partition,
            offset: String((baseOffsets.get(p.partition) ?? -1n) + index),
            latencyMs: ms,
          });
        }
        return;
      } catch (error) {
        lastError = error;
        summary.failedAttempts += batch.length;
        if (attempt < config.attempts) {
          const delay = backoffDelay(attempt, { initialMs: config.retryBackoffMs });
          events.retrying?.(batch.length, attempt, config.attempts, delay, error);
          await new Promise((resolve) => setTimeout(resolve, delay));
        }
      }
    }
    await deadLetter(batch, lastError);
  };

  const deadLetter = async (batch: Pending[], error: unknown): Promise<void> => {
    const failedAt = new Date();
    const messages: Message[] = batch.map((p) => ({
      key: p.record.key,
      value: p.record.value,
      headers: buildDlqHeaders(undefined, {
        topic: config.topic,
        partition: p.partition,
        // Never written: there is no original offset.
        offset: "-1",
        timestamp: String(Math.round(performance.timeOrigin + p.enqueuedAt)),
        group: "",
        errorClass: error instanceof Error ? error.name : "Error",
        errorMessage: `send failed after ${config.attempts} attempts: ${describeError(error)}`,
        errorType: "production",
        attempts: config.attempts,
        failedAt,
      }),
    }));
    try {
      await producer.sendBatch({ topicMessages: [{ topic: config.dlqTopic, messages }], acks: -1 });
      summary.sentToDlq += batch.length;
      for (const p of batch) events.deadLettered?.(p.record, error);
    } catch (dlqError) {
      summary.unsent += batch.length;
      for (const p of batch) events.lost?.(p.record, error, dlqError);
    }
  };

  const dispatch = () => {
    clearTimeout(lingerTimer);
    lingerTimer = undefined;
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    // sendBatch never rejects: every order ends produced, dead-lettered or logged.
    const sending = sendChain.then(() => sendBatch(batch)).finally(() => inFlight.delete(sending));
    sendChain = sending;
    inFlight.add(sending);
  };

  const interval = config.rate > 0 ? 1000 / config.rate : config.delayMs;
  for (let i = 0; i < config.count && !signal?.aborted; i++) {
    if (interval > 0) {
      const wait = start + i * interval - performance.now();
      if (wait > 0) await abortableSleep(wait, signal);
      if (signal?.aborted) break;
    }
    const record = next();
    summary.generated += 1;
    if (record.kind === "corrupt") summary.corrupt += 1;
    if (record.kind === "invalid") summary.invalid += 1;
    pending.push({
      record,
      partition: partitionFor(record.key, config.partitions),
      enqueuedAt: performance.now(),
    });
    if (pending.length >= config.batchSize) dispatch();
    else if (lingerTimer === undefined) lingerTimer = setTimeout(dispatch, config.lingerMs);
    while (inFlight.size >= maxQueued) await Promise.race(inFlight);
  }
  dispatch();
  while (inFlight.size > 0) await Promise.race(inFlight);

  const elapsedMs = performance.now() - start;
  const [p50, p95, p99, max] = latency.percentiles([50, 95, 99, 100]);
  return {
    ...summary,
    elapsedMs,
    throughput: summary.produced / Math.max(elapsedMs / 1000, 1e-9),
    latency: { p50, p95, p99, max, mean: latency.mean() },
    interrupted: signal?.aborted ?? false,
  };
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** Formats an order the way the reference prints it: `{orderId: 'ORD-00001', ...}`. */
export function formatOrder(record: GeneratedRecord): string {
  const { order } = record;
  if (record.kind === "corrupt") {
    return `<corrupt: ${record.value.length} bytes for ${record.key}>`;
  }
  const price = Number.isFinite(order.price) ? order.price.toFixed(2) : String(order.price);
  const text = `{orderId: '${order.orderId}', product: '${order.product}', price: ${price}}`;
  return record.kind === "invalid" ? `${text} [invalid]` : text;
}

function summaryLines(s: ProducerSummary): string[] {
  const rule = "=".repeat(60);
  const f = (n: number) => n.toFixed(1);
  return [
    rule,
    "PRODUCER METRICS",
    rule,
    `Messages produced: ${s.produced}`,
    `Messages failed: ${s.sentToDlq + s.unsent}`,
    `Sent to DLQ: ${s.sentToDlq}`,
    `Unsent (logged in full above): ${s.unsent}`,
    `Poison pills injected: ${s.corrupt + s.invalid} (corrupt ${s.corrupt}, invalid ${s.invalid})`,
    `Throughput: ${f(s.throughput)} orders/s (${s.produced} in ${
      (s.elapsedMs / 1000).toFixed(2)
    } s)`,
    `Latency p50/p95/p99/max: ${f(s.latency.p50)} / ${f(s.latency.p95)} / ${f(s.latency.p99)} / ${
      f(s.latency.max)
    } ms`,
    ...(s.interrupted ? ["Interrupted: stopped generating, flushed what was in flight"] : []),
    rule,
  ];
}

function jsonOrder(record: GeneratedRecord) {
  return record.kind === "corrupt"
    ? { orderId: record.key, kind: record.kind, bytes: record.value.length }
    : { ...record.order, kind: record.kind };
}

/** The producer CLI. Returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const config = parseProducerArgs(args);
  if (config === "help") {
    console.log(USAGE);
    return 0;
  }
  const kafka = createKafka({ brokers: config.brokers, clientId: "order-producer" });
  const admin = kafka.admin();
  await connectWithin(admin, config.brokers, config.connectTimeoutMs);
  try {
    await ensureTopics(admin, [
      { topic: config.topic, partitions: config.partitions },
      { topic: config.dlqTopic, partitions: config.partitions },
    ]);
    const { topics } = await admin.fetchTopicMetadata({ topics: [config.topic] });
    config.partitions = topics[0].partitions.length;
  } finally {
    await admin.disconnect();
  }
  const producer = idempotentProducer(kafka);
  await connectWithin(producer, config.brokers, config.connectTimeoutMs);

  const shutdown = shutdownSignal();

  const out = config.output;
  const progress = out === "text" && Deno.stdout.isTerminal() && config.count > 1000 &&
    config.rate === 0 && config.delayMs === 0;
  const log = (line: string) => console.log(line);
  let delivered = 0;
  const events: ProducerEvents = {
    delivered(d) {
      delivered += 1;
      if (out === "json") {
        log(JSON.stringify({
          event: "delivered",
          ...jsonOrder(d.record),
          topic: d.topic,
          partition: d.partition,
          offset: d.offset,
          latencyMs: Math.round(d.latencyMs * 100) / 100,
        }));
      } else if (out === "text" && !progress) {
        log(
          `[OK] Sent: ${formatOrder(d.record)} -> ${d.topic}[${d.partition}]@${d.offset} (${
            d.latencyMs.toFixed(1)
          } ms)`,
        );
      }
    },
    retrying(records, attempt, attempts, delayMs, error) {
      const message = `send of ${records} orders failed (attempt ${attempt}/${attempts}): ${
        describeError(error)
      }. Retrying in ${formatDelay(delayMs)}...`;
      if (out === "json") {
        log(
          JSON.stringify({
            event: "retrying",
            records,
            attempt,
            attempts,
            delayMs,
            error: describeError(error),
          }),
        );
      } else console.error(`[WARN] ${message}`);
    },
    deadLettered(record, error) {
      if (out === "json") {
        log(
          JSON.stringify({
            event: "dead-lettered",
            ...jsonOrder(record),
            error: describeError(error),
          }),
        );
      } else {console.error(
          `[DLQ] ${formatOrder(record)} -> ${config.dlqTopic}: ${describeError(error)}`,
        );}
    },
    lost(record, error, dlqError) {
      // The order could be delivered nowhere: keep it in full in the log.
      console.error(`[UNSENT] ${
        JSON.stringify({
          key: record.key,
          ...jsonOrder(record),
          valueBase64: Buffer.from(record.value).toString("base64"),
          error: describeError(error),
          dlqError: describeError(dlqError),
        })
      }`);
    },
  };

  let ticker: ReturnType<typeof setInterval> | undefined;
  if (progress) {
    const started = performance.now();
    ticker = setInterval(() => {
      const secs = (performance.now() - started) / 1000;
      const rate = delivered / Math.max(secs, 1e-9);
      const eta = rate > 0 ? (config.count - delivered) / rate : 0;
      Deno.stdout.writeSync(new TextEncoder().encode(
        `\r${delivered.toLocaleString("en-US")}/${config.count.toLocaleString("en-US")} orders  ${
          Math.round(rate).toLocaleString("en-US")
        }/s  ETA ${eta.toFixed(1)} s   `,
      ));
    }, 200);
  }

  let summary: ProducerSummary;
  try {
    summary = await produceOrders(producer, config, events, shutdown.signal);
  } finally {
    clearInterval(ticker);
    if (progress) Deno.stdout.writeSync(new TextEncoder().encode("\r\x1b[K"));
    shutdown.dispose();
    await producer.disconnect();
  }
  if (out === "json") {
    log(JSON.stringify({ event: "summary", ...summary }));
  } else {
    for (const line of summaryLines(summary)) log(line);
  }
  if (summary.unsent > 0) {
    throw new FatalError(
      `${summary.unsent} orders could not be delivered to ${config.topic} or ${config.dlqTopic}; they are logged in full above`,
    );
  }
  return 0;
}

if (import.meta.main) runMain(main, USAGE);
