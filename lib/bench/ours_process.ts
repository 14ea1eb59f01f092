/**
 * Our producer and consumer as whole processes, `producer.ts` and
 * `consumer.ts` run exactly as their tasks run them, measured from outside
 * (wall, CPU, peak RSS): the bench's side of each comparison of processes.
 *
 * @module
 */
import { scriptCommand } from "../cli/subprocess.ts";
import { FatalError } from "../errors.ts";
import { type BenchContext, newGroup } from "./context.ts";
import { type ProcessFigures, runMeasured } from "./process.ts";

/**
 * The delivered count and orders/s of `producer.ts`'s text summary.
 *
 * @example
 * ```ts
 * import { parseProducerSummary } from "./ours_process.ts";
 * parseProducerSummary("Messages produced: 10\nThroughput: 2500.0 orders/s (10 in 0.00 s)\n");
 * // { produced: 10, ordersPerSec: 2500 }
 * ```
 */
export function parseProducerSummary(stdout: string): { produced: number; ordersPerSec: number } {
  const produced = /^Messages produced: (\d+)$/m.exec(stdout);
  const rate = /^Throughput: ([\d.]+) orders\/s/m.exec(stdout);
  if (!produced || !rate) throw new FatalError(`producer.ts printed no summary:\n${stdout}`);
  return { produced: Number(produced[1]), ordersPerSec: Number(rate[1]) };
}

/** One run of `producer.ts --quiet`: `orders` orders of the bench's seed into `topic`. */
export async function producerProcess(
  ctx: BenchContext,
  topic: string,
  orders: number,
): Promise<ProcessFigures & { ordersPerSec: number }> {
  const run = await runMeasured(scriptCommand("producer.ts", [
    "--quiet",
    `--count=${orders}`,
    `--seed=${ctx.config.seed}`,
    `--topic=${topic}`,
    `--dlq-topic=${topic}-dlq`,
    `--brokers=${ctx.brokers.join(",")}`,
    `--partitions=${ctx.config.partitions}`,
  ]));
  if (run.code !== 0) {
    throw new FatalError(`producer.ts exited with code ${run.code}:\n${run.stdout}${run.stderr}`);
  }
  const { produced, ordersPerSec } = parseProducerSummary(run.stdout);
  if (produced !== orders) {
    throw new FatalError(`producer.ts delivered ${produced} of ${orders} orders to ${topic}`);
  }
  return { wallMs: run.wallMs, cpuMs: run.cpuMs, peakRssMb: run.peakRssMb, ordersPerSec };
}

/**
 * One run of `consumer.ts --quiet` over the `orders` orders of `topic`, in a
 * new group; checks it aggregated every one.
 */
export async function consumerProcess(
  ctx: BenchContext,
  topic: string,
  orders: number,
): Promise<ProcessFigures> {
  const run = await runMeasured(scriptCommand("consumer.ts", [
    "--quiet",
    `--max-messages=${orders}`,
    `--group=${newGroup(ctx, "process")}`,
    `--topic=${topic}`,
    `--dlq-topic=${topic}-dlq`,
    `--brokers=${ctx.brokers.join(",")}`,
    `--partitions=${ctx.config.partitions}`,
  ]));
  if (run.code !== 0 || !run.stdout.includes(`Total orders aggregated: ${orders}\n`)) {
    throw new FatalError(
      `consumer.ts exited with code ${run.code} without aggregating ${orders} orders:\n` +
        run.stdout + run.stderr,
    );
  }
  return { wallMs: run.wallMs, cpuMs: run.cpuMs, peakRssMb: run.peakRssMb };
}
