/**
 * The bench's measuring steps but the end-to-end one (`end_to_end.ts`):
 * produce and consume, ours against the Java tools, the consume cost as the
 * topic grows, and the consumer's peak memory in its own process.
 *
 * @module
 */
import { scriptCommand } from "../cli/subprocess.ts";
import { FatalError } from "../errors.ts";
import { type BenchContext, newGroup, newTopic } from "./context.ts";
import { javaConsume, javaProduce } from "./java_runner.ts";
import { watchPeakRss } from "./memory.ts";
import { consume, ourProduce, produce } from "./ours.ts";
import { consumerProcess, producerProcess } from "./ours_process.ts";
import { type MetricsCost, metricsCost } from "./report_metrics.ts";
import {
  type BenchResults,
  type BenchSettings,
  type ConsumeFigures,
  medianFigures,
  type ProduceFigures,
  ratio,
  type ScalingFigures,
} from "./report.ts";

const MIB = 1024 * 1024;

/** A topic a step filled with valid orders. */
export interface FilledTopic {
  topic: string;
  orders: number;
}

/** The topics the steps filled, for later steps to read instead of filling their own. */
export interface FilledTopics {
  /** The topic of `--orders` orders that the consume step reads. */
  consume?: FilledTopic;
  /** Every filled topic; the memory step reads the largest. */
  all: FilledTopic[];
}

/**
 * Produces `--orders` orders `--runs` times with ours and, when they run,
 * with ProducerPerformance, each into a fresh topic; the first of ours is
 * left for the consume step.
 */
export async function produceStep(
  ctx: BenchContext,
  settings: BenchSettings,
  valueBytes: number,
  filled: FilledTopics,
): Promise<NonNullable<BenchResults["produce"]>> {
  const { orders, runs } = ctx.config;
  const ours: ProduceFigures[] = [];
  const java: ProduceFigures[] = [];
  for (let run = 1; run <= runs; run++) {
    const topic = await newTopic(ctx, `produce-${run}`);
    ctx.progress(`produce ${run}/${runs}: ours, ${orders} orders into ${topic}`);
    ours.push(await ourProduce(ctx, topic, orders, valueBytes));
    filled.consume ??= { topic, orders };
    if (ctx.java !== undefined) {
      const javaTopic = await newTopic(ctx, `produce-java-${run}`);
      ctx.progress(
        `produce ${run}/${runs}: ProducerPerformance, ${orders} records into ${javaTopic}`,
      );
      java.push(
        await javaProduce(
          ctx.java,
          { brokers: ctx.brokers, topic: javaTopic, records: orders },
          settings.recordSizeBytes,
        ),
      );
    }
  }
  filled.all.push(filled.consume!);
  const result: NonNullable<BenchResults["produce"]> = {
    ours: medianFigures(ours),
    java: java.length > 0 ? medianFigures(java) : undefined,
    runs: { ours, java },
  };
  result.ratio = ratio(result.ours.ordersPerSec, result.java?.ordersPerSec);
  return result;
}

/**
 * Consumes the produce step's topic (or a topic it fills itself) `--runs`
 * times with ours and, when they run, with ConsumerPerformance, each in a
 * fresh group, after one unmeasured run of ours.
 */
export async function consumeStep(
  ctx: BenchContext,
  filled: FilledTopics,
): Promise<NonNullable<BenchResults["consume"]>> {
  const { runs } = ctx.config;
  const source = filled.consume ?? await fillForConsume(ctx, filled);
  // A broker the bench just started serves its first fetches and offset
  // commits with cold code, and ours makes many more of both than
  // ConsumerPerformance (small fetches, a commit per batch): one unmeasured
  // run first, so the measured ones compare the clients, not the warm-up.
  ctx.progress(`consume: warm-up run of ours over ${source.topic} (not measured)`);
  await consume(ctx, source.topic, source.orders);
  const ours: ConsumeFigures[] = [];
  const java: ConsumeFigures[] = [];
  for (let run = 1; run <= runs; run++) {
    ctx.progress(`consume ${run}/${runs}: ours, ${source.orders} orders from ${source.topic}`);
    const timing = await consume(ctx, source.topic, source.orders);
    ours.push({
      ordersPerSec: source.orders / (timing.firstToLastMs / 1000),
      ordersPerSecWithJoin: source.orders / (timing.startToLastMs / 1000),
    });
    if (ctx.java !== undefined) {
      ctx.progress(
        `consume ${run}/${runs}: ConsumerPerformance, ${source.orders} records from ${source.topic}`,
      );
      java.push(
        await javaConsume(
          ctx.java,
          { brokers: ctx.brokers, topic: source.topic, records: source.orders },
          newGroup(ctx, "consume-java"),
        ),
      );
    }
  }
  const oursMedian = medianFigures(ours);
  const javaMedian = java.length > 0 ? medianFigures(java) : undefined;
  return {
    ours: oursMedian,
    java: javaMedian,
    ratio: ratio(oursMedian.ordersPerSec, javaMedian?.ordersPerSec),
    ratioWithJoin: ratio(oursMedian.ordersPerSecWithJoin, javaMedian?.ordersPerSecWithJoin),
    runs: { ours, java },
  };
}

/**
 * At least this many pairs in the metrics step of a full-size bench: one
 * run of 200,000 orders takes about half a second, and with 3 pairs the
 * ratio of the medians swung from 0.89x to 1.06x between two benches of the
 * same code; 7 pairs add about 8 s. Below {@linkcode METRICS_MIN_ORDERS}
 * orders a run is a smoke test (the tests'), whose ratio means nothing.
 */
const METRICS_MIN_RUNS = 7;
const METRICS_MIN_ORDERS = 100_000;

/**
 * Consumes the produce step's topic `--runs` times (at least
 * {@linkcode METRICS_MIN_RUNS} for a full-size bench) without and as many
 * times with `/metrics`, alternating which goes first so a drifting machine
 * weighs on both alike, after one unmeasured run.
 */
export async function metricsStep(ctx: BenchContext, filled: FilledTopics): Promise<MetricsCost> {
  const { runs: asked, orders } = ctx.config;
  const runs = orders >= METRICS_MIN_ORDERS ? Math.max(asked, METRICS_MIN_RUNS) : asked;
  const source = filled.consume ?? await fillForConsume(ctx, filled);
  ctx.progress(`metrics: warm-up run over ${source.topic} (not measured)`);
  await consume(ctx, source.topic, source.orders);
  const off: number[] = [];
  const on: number[] = [];
  const rate = async (metrics: boolean) => {
    const { firstToLastMs } = await consume(ctx, source.topic, source.orders, { metrics });
    (metrics ? on : off).push(source.orders / (firstToLastMs / 1000));
  };
  for (let run = 1; run <= runs; run++) {
    ctx.progress(`metrics ${run}/${runs}: ${source.orders} orders with /metrics off and on`);
    const order = run % 2 === 1 ? [false, true] : [true, false];
    for (const metrics of order) await rate(metrics);
  }
  return metricsCost(off, on);
}

/** Fills a topic with `--orders` orders for the consume step when the produce step did not run. */
async function fillForConsume(ctx: BenchContext, filled: FilledTopics): Promise<FilledTopic> {
  const topic = await newTopic(ctx, "produce");
  ctx.progress(`consume: filling ${topic} with ${ctx.config.orders} orders`);
  await produce(ctx, topic, ctx.config.orders);
  filled.consume = { topic, orders: ctx.config.orders };
  filled.all.push(filled.consume);
  return filled.consume;
}

/**
 * Fills a topic of each `--scaling` size with a `producer.ts` process (its
 * cost per order and peak RSS), then times one consume run over it in
 * process and measures a `consumer.ts` process over it (its peak RSS).
 */
export async function scalingStep(
  ctx: BenchContext,
  filled: FilledTopics,
): Promise<ScalingFigures[]> {
  const runs: ScalingFigures[] = [];
  for (const orders of ctx.config.scaling) {
    const topic = await newTopic(ctx, `scaling-${orders}`);
    ctx.progress(`scaling: filling ${topic} with ${orders} orders (producer.ts)`);
    const producer = await producerProcess(ctx, topic, orders);
    filled.all.push({ topic, orders });
    ctx.progress(`scaling: consuming ${orders} orders`);
    const { firstToLastMs } = await consume(ctx, topic, orders);
    ctx.progress(`scaling: consumer.ts over ${orders} orders`);
    const consumer = await consumerProcess(ctx, topic, orders);
    runs.push({
      orders,
      elapsedMs: firstToLastMs,
      usPerOrder: (firstToLastMs * 1000) / orders,
      peakRssMb: consumer.peakRssMb,
      produce: {
        usPerOrder: 1e6 / producer.ordersPerSec,
        cpuUsPerOrder: (producer.cpuMs * 1000) / orders,
        peakRssMb: producer.peakRssMb,
      },
    });
  }
  return runs;
}

/**
 * Measures the consumer's peak memory over the largest topic filled so far,
 * or over a topic of the largest configured size that it fills itself.
 */
export async function memoryStep(
  ctx: BenchContext,
  filled: FilledTopics,
): Promise<NonNullable<BenchResults["memory"]>> {
  let target = filled.all.sort((a, b) => b.orders - a.orders)[0];
  if (target === undefined) {
    const orders = Math.max(ctx.config.orders, ...ctx.config.scaling);
    const topic = await newTopic(ctx, "memory");
    ctx.progress(`memory: filling ${topic} with ${orders} orders`);
    await produce(ctx, topic, orders);
    target = { topic, orders };
  }
  return await consumerPeakMemory(ctx, target);
}

/**
 * Runs `consumer.ts` as its own process over `orders` orders of `topic` and
 * reads its peak RSS (VmHWM) while it runs.
 */
async function consumerPeakMemory(
  ctx: BenchContext,
  { topic, orders }: FilledTopic,
): Promise<NonNullable<BenchResults["memory"]>> {
  ctx.progress(`memory: consumer.ts subprocess over ${orders} orders of ${topic}`);
  const start = performance.now();
  // With the consume task's permissions, as `deno task consume` runs it.
  const child = scriptCommand("consumer.ts", [
    "--quiet",
    `--max-messages=${orders}`,
    `--group=${newGroup(ctx, "memory")}`,
    `--topic=${topic}`,
    `--dlq-topic=${topic}-dlq`,
    `--brokers=${ctx.brokers.join(",")}`,
    `--partitions=${ctx.config.partitions}`,
  ]).spawn();
  const output = child.output();
  const peak = await watchPeakRss(child.pid, output);
  const { code, stdout, stderr } = await output;
  const elapsedMs = performance.now() - start;
  const text = new TextDecoder().decode(stdout);
  if (code !== 0 || !text.includes(`Total orders aggregated: ${orders}\n`)) {
    throw new FatalError(
      `consumer.ts exited with code ${code} without aggregating ${orders} orders:\n` +
        text + new TextDecoder().decode(stderr),
    );
  }
  if (peak === undefined) throw new FatalError("could not read the consumer's VmHWM from /proc");
  return { orders, peakRssMb: peak / MIB, elapsedMs };
}
