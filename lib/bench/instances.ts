/**
 * The bench's `instances` step: consuming one topic of six partitions with
 * 1, 2 and 3 `consumer.ts` processes in one group. Processes, not one
 * process with several consumers: a Deno process runs its JavaScript on one
 * core, and scaling out is running more of them.
 *
 * Two figures per count: the wall time from starting the processes to the
 * group's last commit (start, join and rebalances included), and the rate
 * once the group has settled with every instance holding its partitions
 * (what was consumed before that is taken off), which is what more
 * instances can speed up.
 *
 * @module
 */
import type { Admin } from "kafkajs";
import { scriptCommand } from "../cli/subprocess.ts";
import { FatalError } from "../errors.ts";
import { type BenchContext, newGroup, newTopic } from "./context.ts";
import { produce } from "./ours.ts";
import { grouped, median } from "./format.ts";

/** The partitions of the step's topic: two per instance at three. */
export const INSTANCES_PARTITIONS = 6;

/** The instance counts measured. */
export const INSTANCE_COUNTS: readonly number[] = [1, 2, 3];

/** How long one measured run may take. */
const RUN_TIMEOUT_MS = 300_000;

/** The figures of one instance count (medians over the runs). */
export interface InstancesFigures {
  instances: number;
  orders: number;
  /** Starting the processes to the last commit. */
  totalMs: number;
  /** Orders per second once the group had settled. */
  settledOrdersPerSec: number;
}

/** What one run saw: when the group settled and how much was committed then. */
export interface RunTimes {
  totalMs: number;
  settledMs: number;
  committedWhenSettled: number;
}

/**
 * Fills a 6-partition topic with `--instances-orders` orders, then consumes
 * it `--runs` times with each instance count, each run in a fresh group.
 */
export async function instancesStep(ctx: BenchContext): Promise<InstancesFigures[]> {
  const { instancesOrders: orders, runs } = ctx.config;
  const topic = await newTopic(ctx, "instances", INSTANCES_PARTITIONS);
  ctx.progress(
    `instances: filling ${topic} (${INSTANCES_PARTITIONS} partitions) with ${orders} orders`,
  );
  await produce(ctx, topic, orders, { partitions: INSTANCES_PARTITIONS });
  const figures: InstancesFigures[] = [];
  for (const instances of INSTANCE_COUNTS) {
    const times: RunTimes[] = [];
    for (let run = 1; run <= runs; run++) {
      ctx.progress(
        `instances ${run}/${runs}: ${instances} consumer.ts processes over ${orders} orders`,
      );
      times.push(await consumeWith(ctx, topic, instances));
    }
    figures.push(instancesFigures(instances, orders, times));
  }
  return figures;
}

/**
 * The figures of `runs` with `instances` over `orders` orders: medians of the
 * wall time and of the settled rate.
 *
 * @example
 * ```ts
 * import { instancesFigures } from "./instances.ts";
 * instancesFigures(2, 1000, [
 *   { totalMs: 3000, settledMs: 1000, committedWhenSettled: 500 },
 *   { totalMs: 5000, settledMs: 4000, committedWhenSettled: 0 },
 * ]);
 * // { instances: 2, orders: 1000, totalMs: 4000, settledOrdersPerSec: 375 }
 * ```
 */
export function instancesFigures(
  instances: number,
  orders: number,
  runs: RunTimes[],
): InstancesFigures {
  return {
    instances,
    orders,
    totalMs: median(runs.map((r) => r.totalMs)),
    settledOrdersPerSec: median(
      runs.map((r) =>
        (orders - r.committedWhenSettled) / (Math.max(r.totalMs - r.settledMs, 1) / 1000)
      ),
    ),
  };
}

/** Runs `instances` consumer processes in a new group until it has committed all of `topic`. */
async function consumeWith(ctx: BenchContext, topic: string, instances: number): Promise<RunTimes> {
  const group = newGroup(ctx, `instances-${instances}`);
  const { admin } = ctx.session;
  const ends = await topicEnds(admin, topic);
  const args = [
    "--quiet",
    `--group=${group}`,
    `--topic=${topic}`,
    `--dlq-topic=${topic}-dlq`,
    `--brokers=${ctx.brokers.join(",")}`,
    `--partitions=${INSTANCES_PARTITIONS}`,
  ];
  const start = performance.now();
  const children = Array.from(
    { length: instances },
    () => scriptCommand("consumer.ts", args).spawn(),
  );
  const outputs = children.map((child) => child.output());
  let times: RunTimes;
  try {
    times = await watchGroup(admin, { group, topic, instances, ends, start });
  } finally {
    for (const child of children) {
      try {
        child.kill("SIGTERM");
      } catch {
        // Already exited.
      }
    }
  }
  for (const [i, output] of outputs.entries()) {
    const { code, stderr } = await output;
    if (code !== 0) {
      throw new FatalError(
        `consumer ${i + 1} of ${instances} exited with code ${code}: ${
          new TextDecoder().decode(stderr)
        }`,
      );
    }
  }
  return times;
}

/**
 * Polls `group` every 50 ms until it has committed `ends` records of
 * `topic`, noting when it first settled with `instances` members.
 */
async function watchGroup(
  admin: Admin,
  run: { group: string; topic: string; instances: number; ends: number; start: number },
): Promise<RunTimes> {
  let settled: { at: number; committed: number } | undefined;
  for (;;) {
    const committed = await committedTotal(admin, run.group, run.topic);
    if (settled === undefined && (await groupSettled(admin, run.group, run.instances))) {
      settled = { at: performance.now(), committed };
    }
    if (committed >= run.ends) break;
    if (performance.now() - run.start > RUN_TIMEOUT_MS) {
      throw new FatalError(
        `${run.instances} consumers did not commit ${run.topic} in ${RUN_TIMEOUT_MS / 1000} s`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const end = performance.now();
  return {
    totalMs: end - run.start,
    settledMs: (settled?.at ?? end) - run.start,
    committedWhenSettled: settled?.committed ?? run.ends,
  };
}

/** The sum of the high watermarks of `topic`. */
async function topicEnds(admin: Admin, topic: string): Promise<number> {
  return (await admin.fetchTopicOffsets(topic)).reduce((sum, o) => sum + Number(o.high), 0);
}

/** The sum of `group`'s committed offsets on `topic` (an uncommitted partition counts 0). */
async function committedTotal(admin: Admin, group: string, topic: string): Promise<number> {
  const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
  return offsets.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
}

/** Whether `group` is stable with `members` members, each holding partitions. */
async function groupSettled(admin: Admin, group: string, members: number): Promise<boolean> {
  const { groups } = await admin.describeGroups([group]);
  const g = groups[0];
  return g?.state === "Stable" && g.members.length === members &&
    g.members.every((m) => m.memberAssignment.length > 0);
}

/**
 * The rows of the bench's table for the step.
 *
 * @example
 * ```ts
 * import { instancesRows } from "./instances.ts";
 * instancesRows([{ instances: 2, orders: 1000, totalMs: 4000, settledOrdersPerSec: 375 }])[0][1];
 * // "375/s settled, 4.0 s in all"
 * ```
 */
export function instancesRows(figures: readonly InstancesFigures[]): string[][] {
  return figures.map((f) => [
    `consume ${grouped(f.orders)} orders, ${f.instances} instance${
      f.instances === 1 ? "" : "s"
    }, ` +
    `${INSTANCES_PARTITIONS} partitions ⁵`,
    `${grouped(f.settledOrdersPerSec)}/s settled, ${(f.totalMs / 1000).toFixed(1)} s in all`,
    "–",
    "",
  ]);
}
