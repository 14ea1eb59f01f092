/**
 * Our producer and consumer, run in-process the way their programs run them,
 * and timed: the bench's side of each comparison with the Java tools.
 *
 * @module
 */
import { Kafka } from "kafkajs";
import { registerConsumerMetrics } from "../consumer/metrics.ts";
import { consumerConfig } from "../consumer/options.ts";
import type { ConsumerEvents } from "../consumer/output.ts";
import { runConsumer } from "../consumer/run.ts";
import { FatalError } from "../errors.ts";
import { connectWithin, idempotentProducer } from "../kafka/client.ts";
import { every } from "../kafka/lifecycle.ts";
import { openMetrics } from "../metrics/endpoint.ts";
import { mergeHooks } from "../metrics/hooks.ts";
import { producerConfig } from "../producer/options.ts";
import { produceOrders, type ProducerSummary } from "../producer/run.ts";
import { type BenchContext, newGroup } from "./context.ts";
import type { ProduceFigures } from "./report.ts";

const MIB = 1024 * 1024;

/** Options for {@linkcode produce}. */
export interface ProduceOptions {
  /** Orders per second; 0 is as fast as possible. @default {0} */
  rate?: number;
  /** Seed of the orders. @default {the bench's --seed} */
  seed?: number;
  /** The topic's partitions, which the partitioner spreads over. @default {the bench's --partitions} */
  partitions?: number;
}

/**
 * Sends `count` orders to `topic` through `produceOrders`, configured the way
 * `producer.ts` configures itself (Avro, snappy, acks=all, idempotent, its
 * default batching), optionally at a fixed `rate` per second. Throws unless
 * every order was delivered.
 */
export async function produce(
  ctx: BenchContext,
  topic: string,
  count: number,
  options: ProduceOptions = {},
): Promise<ProducerSummary> {
  const config = producerConfig({
    brokers: ctx.brokers,
    security: ctx.security,
    topic,
    dlqTopic: `${topic}-dlq`,
    partitions: options.partitions ?? ctx.config.partitions,
    count,
    rate: options.rate ?? 0,
    seed: options.seed ?? ctx.config.seed,
    output: "quiet",
  });
  // Its own producer, as producer.ts's main() builds it, disconnected after the run.
  const producer = idempotentProducer(ctx.session.kafka);
  await connectWithin(producer, config);
  try {
    const summary = await produceOrders(producer, config);
    if (summary.produced !== count) {
      throw new FatalError(
        `the producer delivered ${summary.produced} of ${count} orders to ${topic} ` +
          `(${summary.sentToDlq} to the DLQ, ${summary.unsent} unsent)`,
      );
    }
    return summary;
  } finally {
    await producer.disconnect();
  }
}

/** One run of our producer: {@linkcode produce} unthrottled, as figures. */
export async function ourProduce(
  ctx: BenchContext,
  topic: string,
  orders: number,
  valueBytes: number,
): Promise<ProduceFigures> {
  const summary = await produce(ctx, topic, orders);
  return {
    ordersPerSec: summary.throughput,
    mbPerSec: valueBytes / MIB / (summary.elapsedMs / 1000),
    p50Ms: summary.latency.p50,
    p99Ms: summary.latency.p99,
  };
}

/** What one consume run took. */
export interface ConsumeTiming {
  /** From the first record reaching our code to the last commit. */
  firstToLastMs: number;
  /** From calling runConsumer to the last commit. */
  startToLastMs: number;
}

/** How often the bench scrapes a consumer's `/metrics` when they are on. */
export const SCRAPE_INTERVAL_MS = 1000;

/** Options for {@linkcode consume}. */
export interface ConsumeOptions {
  /**
   * Open the consumer's `/metrics` endpoint (on a free loopback port) with
   * its hooks, and scrape it every {@linkcode SCRAPE_INTERVAL_MS}, as
   * `consumer.ts --metrics-port` under Prometheus. @default {false}
   */
  metrics?: boolean;
}

/**
 * Consumes all `orders` orders of `topic` through `runConsumer` (decode,
 * validate, aggregate, commit with the aggregate) in a new group, quiet,
 * stopping at `maxMessages`, and checks every order was aggregated.
 */
export async function consume(
  ctx: BenchContext,
  topic: string,
  orders: number,
  options: ConsumeOptions = {},
): Promise<ConsumeTiming> {
  const config = consumerConfig({
    brokers: ctx.brokers,
    security: ctx.security,
    topic,
    dlqTopic: `${topic}-dlq`,
    group: newGroup(ctx, "consume"),
    partitions: ctx.config.partitions,
    maxMessages: orders,
    output: "quiet",
  });
  let first: number | undefined;
  let last = 0;
  let aggregated = 0;
  const own: ConsumerEvents = {
    aggregated() {
      aggregated += 1;
      last = performance.now();
    },
    warn: (text) => ctx.progress(text),
  };
  const endpoint = options.metrics
    ? await openMetrics({ port: 0, host: "127.0.0.1" }, "consumer", () => {})
    : undefined;
  const hooks = endpoint ? registerConsumerMetrics(endpoint.registry, config) : {};
  const stopScraping = endpoint
    ? every(SCRAPE_INTERVAL_MS, async () => void await (await fetch(endpoint.url)).text())
    : () => {};
  const start = performance.now();
  const result = await onBatchStart(
    () => (first ??= performance.now()),
    () => runConsumer(config, mergeHooks(own, hooks)),
  ).finally(async () => {
    stopScraping();
    await endpoint?.close();
  });
  if (result.fatal !== undefined) throw new FatalError(`consumer stopped: ${result.fatal}`);
  if (aggregated !== orders || result.aggregate.count !== orders) {
    throw new FatalError(
      `the consumer aggregated ${aggregated} of ${orders} orders from ${topic} ` +
        `(${result.aggregate.count} in the committed aggregate)`,
    );
  }
  return { firstToLastMs: last - (first ?? start), startToLastMs: last - start };
}

/**
 * Runs `fn`, calling `onBatch` whenever a kafkajs consumer created meanwhile
 * is about to hand a non-empty batch to its handler. runConsumer builds its
 * own client, so the hook goes on `Kafka.prototype.consumer` for the
 * duration; kafkajs emits START_BATCH_PROCESS right before `eachBatch`.
 */
export async function onBatchStart<T>(onBatch: () => void, fn: () => Promise<T>): Promise<T> {
  const original = Kafka.prototype.consumer;
  Kafka.prototype.consumer = function (this: Kafka, ...args: Parameters<Kafka["consumer"]>) {
    const consumer = original.apply(this, args);
    consumer.on(consumer.events.START_BATCH_PROCESS, onBatch);
    return consumer;
  };
  try {
    return await fn();
  } finally {
    Kafka.prototype.consumer = original;
  }
}
