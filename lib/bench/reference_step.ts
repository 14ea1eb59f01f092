/**
 * The bench's comparison with the second reference system, confluent-kafka
 * with fastavro (`reference.ts`): at `--orders` and, with `--with-1m`, at
 * 1,000,000 orders, our producer and consumer and the reference's, each a
 * whole process, alternating run by run on the same broker.
 *
 * @module
 */
import { toCents } from "../order/money.ts";
import { createRecordGenerator } from "../order/generator.ts";
import { FatalError } from "../errors.ts";
import { type BenchContext, newGroup, newTopic } from "./context.ts";
import { ONE_MILLION } from "./options.ts";
import { consume } from "./ours.ts";
import { consumerProcess, producerProcess } from "./ours_process.ts";
import type { ProcessFigures } from "./process.ts";
import { referenceConsume, referenceProduce, type ReferenceStack } from "./reference.ts";
import { medianFigures } from "./report.ts";

/** A producer process: its own orders/s (first order to last ack) and what it took. */
export interface ProducerProcessFigures extends ProcessFigures {
  ordersPerSec: number;
}

/** A consumer: its orders/s without and with the group join, and what its process took. */
export interface ConsumerProcessFigures extends ProcessFigures {
  /** First record received to last commit. */
  ordersPerSec: number;
  /** Subscribing (ours: calling runConsumer) to last commit. */
  ordersPerSecWithJoin: number;
}

/** Ours and the reference at one order count: medians, and every run. */
export interface ReferenceSize {
  orders: number;
  produce: {
    ours: ProducerProcessFigures;
    reference: ProducerProcessFigures;
    runs: { ours: ProducerProcessFigures[]; reference: ProducerProcessFigures[] };
  };
  consume: {
    ours: ConsumerProcessFigures;
    reference: ConsumerProcessFigures;
    runs: { ours: ConsumerProcessFigures[]; reference: ConsumerProcessFigures[] };
  };
}

/** The order counts compared: `--orders`, and 1,000,000 when a scaling run has it. */
export function referenceSizes(config: { orders: number; scaling: number[] }): number[] {
  return config.scaling.includes(ONE_MILLION) && config.orders !== ONE_MILLION
    ? [config.orders, ONE_MILLION]
    : [config.orders];
}

/**
 * The sum in cents of the first `orders` orders of `seed`: what every
 * consumer of them must aggregate.
 */
export function expectedCents(orders: number, seed: number): number {
  const next = createRecordGenerator({ seed });
  let sum = 0;
  for (let i = 0; i < orders; i++) sum += toCents(next().order.price);
  return sum;
}

/** Runs the comparison at each of {@linkcode referenceSizes}. */
export async function referenceStep(
  ctx: BenchContext,
  ref: ReferenceStack,
): Promise<ReferenceSize[]> {
  const sizes: ReferenceSize[] = [];
  for (const orders of referenceSizes(ctx.config)) {
    const { topic, produce } = await compareProducers(ctx, ref, orders);
    sizes.push({ orders, produce, consume: await compareConsumers(ctx, ref, topic, orders) });
  }
  return sizes;
}

/** `--runs` alternating producer runs, each into a fresh topic; returns the first of ours. */
async function compareProducers(ctx: BenchContext, ref: ReferenceStack, orders: number) {
  const ours: ProducerProcessFigures[] = [];
  const reference: ProducerProcessFigures[] = [];
  let first: string | undefined;
  for (let run = 1; run <= ctx.config.runs; run++) {
    const topic = await newTopic(ctx, `ref-ours-${orders}-${run}`);
    first ??= topic;
    ctx.progress(`reference ${run}/${ctx.config.runs}: producer.ts, ${orders} orders`);
    ours.push(await producerProcess(ctx, topic, orders));
    const refTopic = await newTopic(ctx, `ref-py-${orders}-${run}`);
    ctx.progress(`reference ${run}/${ctx.config.runs}: confluent-kafka producer, ${orders} orders`);
    const { process, produced } = await referenceProduce(
      ref,
      { brokers: ctx.brokers, topic: refTopic, orders },
      ctx.config.seed,
    );
    reference.push({ ...figures(process), ordersPerSec: orders / (produced.elapsedMs / 1000) });
  }
  return {
    topic: first!,
    produce: {
      ours: medianFigures(ours),
      reference: medianFigures(reference),
      runs: { ours, reference },
    },
  };
}

/**
 * `--runs` alternating consumer runs over the orders our producer wrote:
 * ours in process (its orders/s), ours as a process (what it takes), then
 * the reference; every run must aggregate exactly the orders' cents.
 */
async function compareConsumers(
  ctx: BenchContext,
  ref: ReferenceStack,
  topic: string,
  orders: number,
): Promise<ReferenceSize["consume"]> {
  const cents = expectedCents(orders, ctx.config.seed);
  const ours: ConsumerProcessFigures[] = [];
  const reference: ConsumerProcessFigures[] = [];
  for (let run = 1; run <= ctx.config.runs; run++) {
    ctx.progress(`reference ${run}/${ctx.config.runs}: our consumer, ${orders} orders`);
    const timing = await consume(ctx, topic, orders);
    const process = await consumerProcess(ctx, topic, orders);
    ours.push({
      ...process,
      ordersPerSec: orders / (timing.firstToLastMs / 1000),
      ordersPerSecWithJoin: orders / (timing.startToLastMs / 1000),
    });
    ctx.progress(`reference ${run}/${ctx.config.runs}: confluent-kafka consumer, ${orders} orders`);
    const { process: py, consumed } = await referenceConsume(
      ref,
      { brokers: ctx.brokers, topic, orders },
      newGroup(ctx, "ref-py"),
    );
    if (consumed.sumCents !== cents) {
      throw new FatalError(
        `the reference consumer aggregated ${consumed.sumCents} cents, not ${cents}`,
      );
    }
    reference.push({
      ...figures(py),
      ordersPerSec: orders / (consumed.elapsedMs / 1000),
      ordersPerSecWithJoin: orders / (consumed.elapsedWithJoinMs / 1000),
    });
  }
  return {
    ours: medianFigures(ours),
    reference: medianFigures(reference),
    runs: { ours, reference },
  };
}

function figures(p: ProcessFigures): ProcessFigures {
  return { wallMs: p.wallMs, cpuMs: p.cpuMs, peakRssMb: p.peakRssMb };
}
