/**
 * A producer run: generates `count` orders at the configured pace, batches
 * them and sends them through one connected producer, and sums up where each
 * one went.
 *
 * @module
 */
import type { Producer } from "kafkajs";
import { partitionFor } from "../kafka/partitioner.ts";
import { createRecordGenerator } from "../order/generator.ts";
import { HttpSchemaRegistry } from "../registry/client.ts";
import { registerOrderEncoder } from "../registry/encoder.ts";
import type { ProducerConfig } from "./options.ts";
import { SendQueue } from "./queue.ts";
import { BatchSender, type Pending, type ProducerEvents, type SendCounts } from "./send.ts";

/** What a run did; every generated order is in exactly one of produced, sentToDlq, unsent. */
export interface ProducerSummary extends SendCounts {
  generated: number;
  corrupt: number;
  invalid: number;
  elapsedMs: number;
  /** Delivered orders per second. */
  throughput: number;
  /** Ack latency of the delivered orders, in ms. */
  latency: { p50: number; p95: number; p99: number; max: number; mean: number };
  interrupted: boolean;
}

/** How many orders an unpaced run makes per reading of the clock. */
const CLOCK_EVERY = 32;

/** Orders generated so far, by kind. */
interface Generated {
  generated: number;
  corrupt: number;
  invalid: number;
}

/**
 * Sends `config.count` generated orders through a connected kafkajs producer,
 * paced by `rate` or `delayMs`, in batches of up to `batchSize` sent one at a
 * time (see {@linkcode SendQueue} for why). Stops generating when `signal`
 * aborts and still sends what it generated.
 */
export async function produceOrders(
  producer: Producer,
  config: ProducerConfig,
  events: ProducerEvents = {},
  signal?: AbortSignal,
): Promise<ProducerSummary> {
  // Registered before the first order: a refused schema stops the run with nothing sent.
  const encoder = config.schemaRegistry !== undefined
    ? await registerOrderEncoder(new HttpSchemaRegistry(config.schemaRegistry), config.topic)
    : undefined;
  const next = createRecordGenerator({
    seed: config.seed,
    corruptRate: config.corruptRate,
    invalidRate: config.invalidRate,
    encode: encoder?.encode,
  });
  const sender = new BatchSender(producer, config, { events });
  events.started?.(sender.counts);
  const queue = new SendQueue<Pending>((batch) => sender.send(batch), config);
  const generated: Generated = { generated: 0, corrupt: 0, invalid: 0 };
  const start = performance.now();
  const interval = config.rate > 0 ? 1000 / config.rate : config.delayMs;
  let clock = start;
  for (let i = 0; i < config.count && !signal?.aborted; i++) {
    if (interval > 0) {
      const wait = start + i * interval - performance.now();
      if (wait > 0) await abortableSleep(wait, signal);
      if (signal?.aborted) break;
    }
    const record = next();
    generated.generated += 1;
    if (record.kind === "corrupt") generated.corrupt += 1;
    if (record.kind === "invalid") generated.invalid += 1;
    // Reading the clock is a call into the runtime, 0.4 µs: a quarter of an
    // order's cost at full speed. An unpaced run reads it every CLOCK_EVERY
    // orders and after each wait, which dates an order at most ~50 µs early.
    if (interval > 0 || i % CLOCK_EVERY === 0) clock = performance.now();
    queue.add({
      record,
      partition: partitionFor(record.key, config.partitions),
      enqueuedAt: clock,
    });
    if (!queue.hasRoom) {
      await queue.room();
      clock = performance.now();
    }
  }
  await queue.drain();
  return summarize(generated, sender, performance.now() - start, signal?.aborted ?? false);
}

function summarize(
  generated: Generated,
  sender: BatchSender,
  elapsedMs: number,
  interrupted: boolean,
): ProducerSummary {
  const [p50, p95, p99, max] = sender.latency.percentiles([50, 95, 99, 100]);
  return {
    generated: generated.generated,
    produced: sender.counts.produced,
    failedAttempts: sender.counts.failedAttempts,
    sentToDlq: sender.counts.sentToDlq,
    unsent: sender.counts.unsent,
    corrupt: generated.corrupt,
    invalid: generated.invalid,
    elapsedMs,
    throughput: sender.counts.produced / Math.max(elapsedMs / 1000, 1e-9),
    latency: { p50, p95, p99, max, mean: sender.latency.mean() },
    interrupted,
  };
}

/** Waits `ms`, or less if `signal` aborts meanwhile. */
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
