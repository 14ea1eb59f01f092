/**
 * The end-to-end step: latency from an order's send to its aggregate update,
 * with producer and consumer at a fixed rate in one process.
 *
 * @module
 */
import { consumerConfig } from "../consumer/options.ts";
import { runConsumer } from "../consumer/run.ts";
import { FatalError } from "../errors.ts";
import { describeError } from "../kafka/errors.ts";
import { LatencyRecorder } from "../metrics/latency.ts";
import { type BenchContext, newGroup, newTopic } from "./context.ts";
import { produce } from "./ours.ts";
import type { BenchResults } from "./report.ts";

/** Orders sent before the end-to-end run is measured, so it starts with a joined consumer. */
export const E2E_WARMUP_ORDERS = 50;

/** How long to wait for a consumer to catch up before the bench gives up. */
export const CATCH_UP_TIMEOUT_MS = 120_000;

/**
 * Produces at a fixed rate while a consumer runs in this process, and records
 * each order's latency from the producer's send to its aggregate update. In
 * process because `events.aggregated` is where that moment is seen; it also
 * makes producer and consumer share one thread, the harder case.
 */
export async function endToEnd(ctx: BenchContext): Promise<NonNullable<BenchResults["endToEnd"]>> {
  const { e2eRate, e2eSeconds } = ctx.config;
  const orders = Math.max(1, Math.round(e2eRate * e2eSeconds));
  const topic = await newTopic(ctx, "e2e");
  const config = consumerConfig({
    brokers: ctx.brokers,
    topic,
    dlqTopic: `${topic}-dlq`,
    group: newGroup(ctx, "e2e"),
    partitions: ctx.config.partitions,
    output: "quiet",
  });
  const latency = new LatencyRecorder();
  let aggregated = 0;
  let measuring = false;
  const controller = new AbortController();
  const consumer = runConsumer(config, {
    aggregated(ms) {
      aggregated += 1;
      if (measuring) latency.record(ms);
    },
    warn: (text) => ctx.progress(text),
  }, controller.signal);
  let consumerError: unknown;
  consumer.catch((error) => (consumerError = error));
  try {
    ctx.progress(`e2e: warming up with ${E2E_WARMUP_ORDERS} orders until the consumer has joined`);
    await produce(ctx, topic, E2E_WARMUP_ORDERS, { seed: ctx.config.seed + 1 });
    await caughtUp(() => aggregated >= E2E_WARMUP_ORDERS, () => consumerError, "the warm-up");
    measuring = true;
    ctx.progress(`e2e: ${orders} orders at ${e2eRate}/s`);
    await produce(ctx, topic, orders, { rate: e2eRate });
    await caughtUp(
      () => aggregated >= E2E_WARMUP_ORDERS + orders,
      () => consumerError,
      "the end-to-end run",
    );
  } finally {
    controller.abort();
    await consumer.catch(() => {});
  }
  const { fatal } = await consumer;
  if (fatal !== undefined) throw new FatalError(`consumer stopped: ${fatal}`);
  const [p50Ms, p95Ms, p99Ms, maxMs] = latency.percentiles([50, 95, 99, 100]);
  return { orders: latency.count, p50Ms, p95Ms, p99Ms, maxMs };
}

/** Waits until `done()`, failing on the consumer's error or after `timeoutMs`. */
export async function caughtUp(
  done: () => boolean,
  failure: () => unknown,
  what: string,
  timeoutMs = CATCH_UP_TIMEOUT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    const error = failure();
    if (error !== undefined) {
      throw new FatalError(`consumer failed in ${what}: ${describeError(error)}`);
    }
    if (Date.now() > deadline) {
      throw new FatalError(`the consumer did not catch up with ${what} in ${timeoutMs / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
