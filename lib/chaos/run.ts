/**
 * A whole chaos soak: a fresh three-broker cluster, two consumer instances
 * in one group, a producer at a fixed rate, the seeded schedule of broker
 * and consumer kills played against them, then the read-back, the figures
 * and the verdict. Everything it started is stopped at the end, whatever
 * happened.
 *
 * @module
 */
import { type RunningCluster, startCluster } from "../broker/cluster.ts";
import { readCommittedAggregate } from "../consumer/committed.ts";
import { fetchTopicLayout, layoutLines } from "../kafka/layout.ts";
import { KafkaSession } from "../kafka/session.ts";
import { ensureTopics } from "../kafka/topics.ts";
import { summarize } from "../order/aggregate.ts";
import { generateRecords } from "../order/generator.ts";
import { type BrokerDeps, killLeader, rollingRestart } from "./brokers.ts";
import { ConsumerPool } from "./consumers.ts";
import { chaosFigures } from "./figures.ts";
import type { ChaosConfig } from "./options.ts";
import { type ProducerRun, startProducer } from "./producer.ts";
import { caughtUp, readDeadLetters, readOrders } from "./readback.ts";
import { eventLine, figureLines, headingLines, type Survived, verdictLines } from "./report.ts";
import { type ChaosEvent, chaosSchedule } from "./schedule.ts";
import { chaosVerdict } from "./verdict.ts";
import { sleep } from "./_util.ts";

/** How long the consumers get to catch up once production and the events are over. */
export const CATCH_UP_MS = 180_000;

/** The names a soak's topics and group take, unique per run. */
interface Names {
  topic: string;
  dlqTopic: string;
  group: string;
}

/** What the soak holds while it runs, for the clean-up. */
interface Running {
  cluster?: RunningCluster;
  session?: KafkaSession;
  pool?: ConsumerPool;
  producer?: { kill(): void };
}

/**
 * Runs the soak described by `config`, printing through `out`, in the
 * cluster directory `dir`. Resolves with whether the verdict passed.
 * `signal` aborts it (everything started is stopped).
 */
export async function runChaos(
  config: ChaosConfig,
  dir: string,
  out: (line: string) => void,
  signal?: AbortSignal,
): Promise<boolean> {
  const running: Running = {};
  const onAbort = () => {
    running.producer?.kill();
    void running.pool?.stop();
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    return await soak(config, dir, out, running);
  } finally {
    signal?.removeEventListener("abort", onAbort);
    running.producer?.kill();
    await running.pool?.stop();
    await running.session?.close();
    if (!config.keep) await running.cluster?.stop();
  }
}

async function soak(
  config: ChaosConfig,
  dir: string,
  out: (line: string) => void,
  running: Running,
): Promise<boolean> {
  const runId = `chaos-${Date.now().toString(36)}`;
  const names: Names = { topic: `${runId}-orders`, dlqTopic: `${runId}-orders-dlq`, group: runId };
  const cluster = running.cluster = await startCluster({
    nodes: 3,
    port: config.port,
    dataDir: dir,
  });
  for (const line of headingLines(config, cluster.bootstrap, 3)) out(line);
  out(`Cluster of 3 brokers started in ${(cluster.startedMs / 1000).toFixed(1)} s (data ${dir})`);
  const brokers = cluster.bootstrap.split(",");
  const session = running.session = await KafkaSession.open(
    { brokers, connectTimeoutMs: 30_000 },
    "order-chaos",
  );
  await ensureTopics(session.admin, [
    { topic: names.topic, partitions: config.partitions },
    { topic: names.dlqTopic, partitions: config.partitions },
  ], { replicationFactor: 3 });
  for (const line of layoutLines(await fetchTopicLayout(session.admin, names.topic))) out(line);

  let start = Date.now();
  const log = (text: string) => out(eventLine(Date.now() - start, text));
  const pool = running.pool = new ConsumerPool({
    brokers: cluster.bootstrap,
    ...names,
    sessionTimeoutMs: config.sessionTimeoutMs,
  }, log);
  pool.start(config.instances);
  await until(() => pool.allJoined(), 60_000, "the consumers to join their group");
  out("Events (time since production started):");
  start = Date.now();
  const producer = startProducer({
    ...config,
    brokers: cluster.bootstrap,
    ...names,
    attempts: config.producerAttempts,
  }, (line) => log(`producer: ${line}`));
  running.producer = producer;
  const deps: BrokerDeps = {
    dir,
    bootstrap: cluster.bootstrap,
    nodes: 3,
    admin: session.admin,
    topics: [names.topic, names.dlqTopic, "__consumer_offsets"],
    topic: names.topic,
    log,
  };
  const survived = await playSchedule(chaosSchedule(config), { config, deps, pool, start });
  const produced = await producer.done;
  log(`producer exited with code ${produced.exitCode}`);
  await until(
    () => caughtUp(session.admin, names.group, names.topic).catch(() => false),
    CATCH_UP_MS,
    "the consumers to commit every record",
  );
  log("consumers caught up; stopping them");
  await pool.stop();
  return await judge(config, names, { session, pool, produced, survived, start }, out);
}

/**
 * Plays `events` against the cluster and the consumers: broker events one
 * after another (each waits for the cluster to heal), consumer kills on
 * their own line, each at its time or as soon as its lane is free.
 */
async function playSchedule(
  events: ChaosEvent[],
  ctx: { config: ChaosConfig; deps: BrokerDeps; pool: ConsumerPool; start: number },
): Promise<Survived> {
  const survived: Survived = { leaderKills: 0, nodesRestarted: 0, consumerKills: 0 };
  const lane = async (kinds: ChaosEvent["kind"][]) => {
    for (const event of events.filter((e) => kinds.includes(e.kind))) {
      await sleep(ctx.start + event.atMs - Date.now());
      if (event.kind === "kill-leader") {
        await killLeader(ctx.deps, event.partition, ctx.config.downMs);
        survived.leaderKills += 1;
      } else if (event.kind === "rolling-restart") {
        survived.nodesRestarted += await rollingRestart(ctx.deps);
      } else {
        const { killed, started } = await ctx.pool.kill(event.instance);
        ctx.deps.log(
          `SIGKILL consumer ${event.instance + 1} (pid ${killed}); restarted as pid ${started}`,
        );
        survived.consumerKills += 1;
      }
    }
  };
  await Promise.all([lane(["kill-leader", "rolling-restart"]), lane(["kill-consumer"])]);
  return survived;
}

/** Reads everything back, prints the figures and the verdict, and says whether it passed. */
async function judge(
  config: ChaosConfig,
  names: Names,
  run: {
    session: KafkaSession;
    pool: ConsumerPool;
    produced: ProducerRun;
    survived: Survived;
    start: number;
  },
  out: (line: string) => void,
): Promise<boolean> {
  const { kafka, admin } = run.session;
  const topic = await readOrders(kafka, admin, names.topic);
  const deadLetters = await readDeadLetters(kafka, admin, names.dlqTopic);
  const committed = summarize(
    (await readCommittedAggregate(admin, names.group, names.topic)).aggregate,
  );
  const verdict = chaosVerdict({
    generated: generateRecords(config.orders, {
      seed: config.seed,
      corruptRate: config.poisonRate / 2,
      invalidRate: config.poisonRate / 2,
    }),
    topic,
    deadLetters,
    producer: { exitCode: run.produced.exitCode, unsentKeys: run.produced.unsentKeys },
    committed,
    unexpectedExits: run.pool.unexpectedExits,
  });
  const figures = chaosFigures({
    rate: config.rate,
    topic,
    commits: run.pool.commits,
    joins: run.pool.joins,
  });
  out("Producer:");
  for (const line of run.produced.summary) out(`  ${line}`);
  out(`  retried send attempts: ${run.produced.retries}`);
  out("Figures:");
  for (const line of figureLines(figures, run.survived, run.start, verdict.duplicateDeadLetters)) {
    out(line);
  }
  for (const line of verdictLines(verdict)) out(line);
  return verdict.passed;
}

/** Polls `condition` every 250 ms until it holds; throws after `timeoutMs` naming `what`. */
async function until(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    }
    await sleep(250);
  }
}
