/**
 * The bench: throughput, latency and memory of our producer and consumer,
 * each measured back to back with Apache Kafka's own perf tools
 * (`ProducerPerformance`, `ConsumerPerformance`) against the same broker with
 * the same record count, record size, acks and compression. Prints a Markdown
 * table on stdout, progress on stderr, and writes the same figures as JSON.
 *
 * Usage: `deno task bench -- [flags]`; see {@linkcode USAGE}.
 *
 * @module
 */
import { Kafka, type Producer } from "kafkajs";
import { dirname, join } from "node:path";
import { parseConsumerArgs, runConsumer } from "./consumer.ts";
import { parseProducerArgs, produceOrders, type ProducerSummary } from "./producer.ts";
import { checkKafkaVersion, DEFAULT_KAFKA_VERSION } from "./lib/broker/version.ts";
import { resolveKafkaTools } from "./lib/broker/resolve.ts";
import { type RunningBroker, startBroker } from "./lib/broker/launch.ts";
import {
  consumerPerfArgs,
  parseConsumerPerf,
  parseProducerPerf,
  producerPerfArgs,
  TOOLS_JVM_OPTIONS,
  toolsLoggingConfig,
} from "./lib/bench/java.ts";
import { watchPeakRss } from "./lib/bench/memory.ts";
import { selfTimeByOwner, topSelfTime } from "./lib/bench/profile.ts";
import {
  type BenchEnvironment,
  type BenchResults,
  type BenchSettings,
  checkTargets,
  type ConsumeFigures,
  formatReport,
  markdownTable,
  medianFigures,
  type ProduceFigures,
  ratio,
  type ScalingFigures,
} from "./lib/bench/report.ts";
import { FatalError, UsageError } from "./lib/errors.ts";
import { parseCli, parseNumber } from "./lib/cli/args.ts";
import { runMain } from "./lib/cli/main.ts";
import { connectWithin, createKafka } from "./lib/kafka/client.ts";
import { describeError } from "./lib/kafka/errors.ts";
import { LatencyRecorder } from "./lib/metrics/latency.ts";
import { createRecordGenerator } from "./lib/order/generator.ts";
import { scriptCommand } from "./lib/cli/subprocess.ts";
import { ensureTopics } from "./lib/kafka/topics.ts";

/** The command-line help. */
export const USAGE = `Usage: deno task bench -- [flags]

Measures our producer and consumer side by side with Kafka's Java perf tools
on one broker: produce and consume throughput, end-to-end latency, cost per
order as the run grows, and the consumer's peak memory.

  --orders N              orders in the produce and consume runs (default 200000)
  --e2e-rate N            orders per second in the end-to-end run (default 1000)
  --e2e-seconds S         length of the end-to-end run (default 30)
  --scaling LIST          order counts of the scaling runs (default 10000,100000)
  --with-1m               add a 1,000,000-order scaling run; memory is measured on it
  --runs N                run the produce and consume pairs N times and report
                          the medians (default 3)
  --no-java               skip Kafka's Java perf tools
  --only LIST             run only some of produce,consume,e2e,scaling,memory
  --out PATH              JSON results file (default .bench/results.json)
  --brokers LIST          broker to use (default $KAFKA_BROKERS; else the bench starts one)
  --port N                port of the broker the bench starts (default 49092; controller N+1)
  --kafka-version V       Kafka version of the broker the bench starts and of the tools
                          (default: the running broker's if known, else ${DEFAULT_KAFKA_VERSION})
  --partitions N          partitions of the bench's topics (default 3)
  --seed N                seed of the generated orders (default 42)
  --keep-topics           leave the bench's topics and groups on the broker
  --summarize-profile F   print the functions with the most self time in the CPU
                          profile F (from deno run --cpu-prof) and exit
  --top N                 how many functions --summarize-profile prints (default 15)
  --help                  show this help`;

const STEPS = ["produce", "consume", "e2e", "scaling", "memory"] as const;
type Step = typeof STEPS[number];

/** Everything a bench run needs; built from flags by {@linkcode parseBenchArgs}. */
export interface BenchConfig {
  /** Brokers to use; `undefined` makes the bench start its own. */
  brokers?: string[];
  orders: number;
  /** How many times the produce and consume pairs run; the report shows medians. */
  runs: number;
  e2eRate: number;
  e2eSeconds: number;
  scaling: number[];
  java: boolean;
  steps: Set<Step>;
  out: string;
  port: number;
  kafkaVersion?: string;
  partitions: number;
  seed: number;
  keepTopics: boolean;
}

/** Parses the command line; `"help"` for `--help`, a profile path for `--summarize-profile`. */
export function parseBenchArgs(
  args: string[],
): BenchConfig | "help" | { profile: string; top: number } {
  const { values } = parseCli(args, {
    options: {
      orders: { type: "string" },
      runs: { type: "string" },
      "e2e-rate": { type: "string" },
      "e2e-seconds": { type: "string" },
      scaling: { type: "string" },
      "with-1m": { type: "boolean" },
      "no-java": { type: "boolean" },
      only: { type: "string" },
      out: { type: "string" },
      brokers: { type: "string" },
      port: { type: "string" },
      "kafka-version": { type: "string" },
      partitions: { type: "string" },
      seed: { type: "string" },
      "keep-topics": { type: "boolean" },
      "summarize-profile": { type: "string" },
      top: { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return "help";
  const top = parseNumber("top", values.top, 15, { min: 1, integer: true });
  if (values["summarize-profile"] !== undefined) {
    return { profile: values["summarize-profile"], top };
  }
  const scaling = (values.scaling ?? "10000,100000")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((s) => parseNumber("scaling", s, 0, { min: 1, integer: true }));
  if (values["with-1m"] && !scaling.includes(1_000_000)) scaling.push(1_000_000);
  scaling.sort((a, b) => a - b);
  const steps = new Set<Step>();
  for (const step of (values.only ?? STEPS.join(",")).split(",").map((s) => s.trim())) {
    if (!(STEPS as readonly string[]).includes(step)) {
      throw new UsageError(
        `--only must list steps of ${STEPS.join(",")}: current value has '${step}'`,
      );
    }
    steps.add(step as Step);
  }
  if (values["kafka-version"] !== undefined) {
    try {
      checkKafkaVersion(values["kafka-version"]);
    } catch (error) {
      throw new UsageError(`--kafka-version: ${(error as Error).message}`);
    }
  }
  const rawBrokers = values.brokers ?? Deno.env.get("KAFKA_BROKERS");
  const brokers = rawBrokers?.split(",").map((b) => b.trim()).filter((b) => b !== "");
  if (brokers !== undefined && brokers.length === 0) {
    throw new UsageError("--brokers must list host:port pairs");
  }
  return {
    brokers,
    orders: parseNumber("orders", values.orders, 200_000, { min: 1, integer: true }),
    runs: parseNumber("runs", values.runs, 3, { min: 1, max: 100, integer: true }),
    e2eRate: parseNumber("e2e-rate", values["e2e-rate"], 1000, { min: 1, max: 100_000 }),
    e2eSeconds: parseNumber("e2e-seconds", values["e2e-seconds"], 30, { min: 0.1 }),
    scaling,
    java: !values["no-java"],
    steps,
    out: values.out ?? ".bench/results.json",
    port: parseNumber("port", values.port, 49092, { min: 1, max: 65534, integer: true }),
    kafkaVersion: values["kafka-version"],
    partitions: parseNumber("partitions", values.partitions, 3, {
      min: 1,
      max: 1000,
      integer: true,
    }),
    seed: parseNumber("seed", values.seed, 42, { integer: true }),
    keepTopics: values["keep-topics"] ?? false,
  };
}

/** Orders sent before the end-to-end run is measured, so it starts with a joined consumer. */
const E2E_WARMUP_ORDERS = 50;
/** How long to wait for a consumer to catch up before the bench gives up. */
const CATCH_UP_TIMEOUT_MS = 120_000;
const MIB = 1024 * 1024;

/** The bench's state shared by its steps. */
interface Context {
  config: BenchConfig;
  brokers: string[];
  kafka: Kafka;
  /** Topics and groups to delete at the end. */
  topics: string[];
  groups: string[];
  /** A prefix that makes this run's topic and group names unique. */
  runId: string;
  progress: (line: string) => void;
  /** Set when the Java tools run. */
  java?: { command: string; options: string[]; classpath: string; version: string };
}

/** The bench CLI. Returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const config = parseBenchArgs(args);
  if (config === "help") {
    console.log(USAGE);
    return 0;
  }
  if ("profile" in config) {
    console.log(await summarizeProfile(config.profile, config.top));
    return 0;
  }
  const began = performance.now();
  const progress = (line: string) =>
    console.error(`[bench ${((performance.now() - began) / 1000).toFixed(1)}s] ${line}`);

  let broker: RunningBroker | undefined;
  let brokerDir: string | undefined;
  const stopOwnBroker = async () => {
    await broker?.stop();
    if (brokerDir !== undefined) await Deno.remove(brokerDir, { recursive: true }).catch(() => {});
  };
  // A signal must not leave our broker's JVM running.
  const onSignal = () => void stopOwnBroker().finally(() => Deno.exit(130));
  const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
  for (const s of signals) Deno.addSignalListener(s, onSignal);
  try {
    let brokers = config.brokers;
    let kafkaVersion: string;
    if (brokers === undefined) {
      kafkaVersion = config.kafkaVersion ?? DEFAULT_KAFKA_VERSION;
      brokerDir = await Deno.makeTempDir({ prefix: "bench-kafka-" });
      progress(`starting a Kafka ${kafkaVersion} broker on 127.0.0.1:${config.port}`);
      broker = await startBroker({
        port: config.port,
        controllerPort: config.port + 1,
        dataDir: brokerDir,
        kafkaVersion,
        log: progress,
      });
      brokers = [broker.bootstrap];
    } else {
      kafkaVersion = await launcherVersion(brokers[0]) ?? "unknown";
    }
    const kafka = createKafka({ brokers, clientId: "order-bench" });
    const ctx: Context = {
      config,
      brokers,
      kafka,
      topics: [],
      groups: [],
      runId: `bench-${Date.now().toString(36)}`,
      progress,
    };
    if (config.java) {
      const tools = await resolveKafkaTools(
        config.kafkaVersion ?? (kafkaVersion === "unknown" ? DEFAULT_KAFKA_VERSION : kafkaVersion),
        { log: progress },
      );
      const logging = toolsLoggingConfig(tools.version);
      const dir = join(dirname(config.out), "tools");
      await Deno.mkdir(dir, { recursive: true });
      const path = join(dir, logging.fileName);
      await Deno.writeTextFile(path, logging.text);
      ctx.java = {
        command: javaCommand(),
        options: [...TOOLS_JVM_OPTIONS, logging.flag(path)],
        classpath: tools.classpath,
        version: tools.version,
      };
    }
    const results = await runBench(ctx, kafkaVersion, broker !== undefined, args);
    await Deno.mkdir(dirname(config.out), { recursive: true });
    await Deno.writeTextFile(config.out, JSON.stringify(results, null, 2) + "\n");
    console.log(formatReport(results));
    progress(`done; figures in ${config.out}`);
    return 0;
  } finally {
    for (const s of signals) Deno.removeSignalListener(s, onSignal);
    await stopOwnBroker();
  }
}

async function runBench(
  ctx: Context,
  kafkaVersion: string,
  ownBroker: boolean,
  args: string[],
): Promise<BenchResults> {
  const { config } = ctx;
  const { valueBytes, keyBytes } = recordBytes(config.orders, config.seed);
  const environment: BenchEnvironment = {
    startedAt: new Date().toISOString(),
    kafkaVersion,
    toolsVersion: ctx.java?.version,
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    typescript: Deno.version.typescript,
    cores: navigator.hardwareConcurrency,
    os: `${Deno.build.os} ${Deno.build.arch}`,
    brokers: ctx.brokers.join(","),
    ownBroker,
    command: ["deno task bench", ...args].join(" "),
  };
  const settings: BenchSettings = {
    orders: config.orders,
    recordSizeBytes: valueBytes / config.orders,
    keySizeBytes: keyBytes / config.orders,
    partitions: config.partitions,
    e2eRate: config.e2eRate,
    e2eSeconds: config.e2eSeconds,
    scalingSizes: config.steps.has("scaling") ? config.scaling : [],
  };
  const results: Omit<BenchResults, "targets"> = { environment, settings };
  const admin = ctx.kafka.admin();
  await connectWithin(admin, ctx.brokers, 30_000);
  try {
    // The topic of `orders` valid orders that the consume run reads.
    let filled: { topic: string; orders: number } | undefined;
    const largest: { topic: string; orders: number }[] = [];

    if (config.steps.has("produce")) {
      const ours: ProduceFigures[] = [];
      const java: ProduceFigures[] = [];
      for (let run = 1; run <= config.runs; run++) {
        const topic = await newTopic(ctx, admin, `produce-${run}`);
        ctx.progress(`produce ${run}/${config.runs}: ours, ${config.orders} orders into ${topic}`);
        ours.push(await ourProduce(ctx, topic, config.orders, valueBytes));
        filled ??= { topic, orders: config.orders };
        if (ctx.java !== undefined) {
          const javaTopic = await newTopic(ctx, admin, `produce-java-${run}`);
          ctx.progress(
            `produce ${run}/${config.runs}: ProducerPerformance, ${config.orders} records into ${javaTopic}`,
          );
          java.push(await javaProduce(ctx, javaTopic, config.orders, settings.recordSizeBytes));
        }
      }
      results.produce = {
        ours: medianFigures(ours),
        java: java.length > 0 ? medianFigures(java) : undefined,
        runs: { ours, java },
      };
      results.produce.ratio = ratio(
        results.produce.ours.ordersPerSec,
        results.produce.java?.ordersPerSec,
      );
      largest.push(filled!);
    }

    if (config.steps.has("consume")) {
      if (filled === undefined) {
        const topic = await newTopic(ctx, admin, "produce");
        ctx.progress(`consume: filling ${topic} with ${config.orders} orders`);
        await produce(ctx, topic, config.orders);
        filled = { topic, orders: config.orders };
        largest.push(filled);
      }
      // A broker the bench just started serves its first fetches and offset
      // commits with cold code, and ours makes many more of both than
      // ConsumerPerformance (small fetches, a commit per batch): one unmeasured
      // run first, so the measured ones compare the clients, not the warm-up.
      ctx.progress(`consume: warm-up run of ours over ${filled.topic} (not measured)`);
      await consume(ctx, filled.topic, filled.orders);
      const ours: ConsumeFigures[] = [];
      const java: ConsumeFigures[] = [];
      for (let run = 1; run <= config.runs; run++) {
        ctx.progress(
          `consume ${run}/${config.runs}: ours, ${filled.orders} orders from ${filled.topic}`,
        );
        const timing = await consume(ctx, filled.topic, filled.orders);
        ours.push({
          ordersPerSec: filled.orders / (timing.firstToLastMs / 1000),
          ordersPerSecWithJoin: filled.orders / (timing.startToLastMs / 1000),
        });
        if (ctx.java !== undefined) {
          ctx.progress(
            `consume ${run}/${config.runs}: ConsumerPerformance, ${filled.orders} records from ${filled.topic}`,
          );
          java.push(await javaConsume(ctx, filled.topic, filled.orders));
        }
      }
      const oursMedian = medianFigures(ours);
      const javaMedian = java.length > 0 ? medianFigures(java) : undefined;
      results.consume = {
        ours: oursMedian,
        java: javaMedian,
        ratio: ratio(oursMedian.ordersPerSec, javaMedian?.ordersPerSec),
        ratioWithJoin: ratio(oursMedian.ordersPerSecWithJoin, javaMedian?.ordersPerSecWithJoin),
        runs: { ours, java },
      };
    }

    if (config.steps.has("e2e")) {
      results.endToEnd = await endToEnd(ctx, admin);
    }

    if (config.steps.has("scaling")) {
      const runs: ScalingFigures[] = [];
      for (const orders of config.scaling) {
        const topic = await newTopic(ctx, admin, `scaling-${orders}`);
        ctx.progress(`scaling: filling ${topic} with ${orders} orders`);
        await produce(ctx, topic, orders);
        largest.push({ topic, orders });
        ctx.progress(`scaling: consuming ${orders} orders`);
        const { firstToLastMs } = await consume(ctx, topic, orders);
        runs.push({
          orders,
          elapsedMs: firstToLastMs,
          usPerOrder: (firstToLastMs * 1000) / orders,
        });
      }
      results.scaling = runs;
    }

    if (config.steps.has("memory")) {
      let target = largest.sort((a, b) => b.orders - a.orders)[0];
      if (target === undefined) {
        const orders = Math.max(config.orders, ...config.scaling);
        const topic = await newTopic(ctx, admin, "memory");
        ctx.progress(`memory: filling ${topic} with ${orders} orders`);
        await produce(ctx, topic, orders);
        target = { topic, orders };
      }
      results.memory = await memory(ctx, target.topic, target.orders);
    }
  } finally {
    if (!config.keepTopics) await cleanUp(ctx, admin);
    await admin.disconnect().catch(() => {});
  }
  return { ...results, targets: checkTargets(results) };
}

/**
 * The total value and key bytes of the first `orders` generated orders: the
 * bench sends exactly these, and ProducerPerformance gets their average size.
 */
function recordBytes(orders: number, seed: number): { valueBytes: number; keyBytes: number } {
  let valueBytes = 0;
  let keyBytes = 0;
  const next = createRecordGenerator({ seed });
  for (let i = 0; i < orders; i++) {
    const record = next();
    valueBytes += record.value.length;
    keyBytes += record.key.length;
  }
  return { valueBytes, keyBytes };
}

/** Creates a fresh topic (and its DLQ) for one step and remembers both for clean-up. */
async function newTopic(ctx: Context, admin: ReturnType<Kafka["admin"]>, what: string) {
  const topic = `${ctx.runId}-${what}`;
  ctx.topics.push(topic, `${topic}-dlq`);
  await ensureTopics(admin, [
    { topic, partitions: ctx.config.partitions },
    { topic: `${topic}-dlq`, partitions: ctx.config.partitions },
  ]);
  return topic;
}

function newGroup(ctx: Context, what: string): string {
  const group = `${ctx.runId}-${what}-${Math.random().toString(36).slice(2, 6)}`;
  ctx.groups.push(group);
  return group;
}

/** One run of our producer: {@linkcode produce} unthrottled, as figures. */
async function ourProduce(
  ctx: Context,
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

/** One run of ProducerPerformance with our settings and average record size. */
async function javaProduce(
  ctx: Context,
  topic: string,
  records: number,
  recordSizeBytes: number,
): Promise<ProduceFigures> {
  const output = await runJava(
    ctx,
    producerPerfArgs({
      toolsVersion: ctx.java!.version,
      bootstrap: ctx.brokers.join(","),
      topic,
      records,
      recordSize: Math.round(recordSizeBytes),
    }),
  );
  const java = parseProducerPerf(output);
  if (java.records !== records) {
    throw new FatalError(`ProducerPerformance sent ${java.records} of ${records} records`);
  }
  return {
    ordersPerSec: java.recordsPerSec,
    mbPerSec: java.mbPerSec,
    p50Ms: java.p50Ms,
    p99Ms: java.p99Ms,
  };
}

/** One run of ConsumerPerformance over `topic` in a new group. */
async function javaConsume(ctx: Context, topic: string, records: number): Promise<ConsumeFigures> {
  const output = await runJava(
    ctx,
    consumerPerfArgs({
      toolsVersion: ctx.java!.version,
      bootstrap: ctx.brokers.join(","),
      topic,
      records,
      group: newGroup(ctx, "consume-java"),
    }),
  );
  const java = parseConsumerPerf(output);
  if (java.records !== records) {
    throw new FatalError(`ConsumerPerformance read ${java.records} of ${records} records`);
  }
  return { ordersPerSec: java.fetchRecordsPerSec, ordersPerSecWithJoin: java.recordsPerSec };
}

async function cleanUp(ctx: Context, admin: ReturnType<Kafka["admin"]>): Promise<void> {
  try {
    if (ctx.groups.length > 0) await admin.deleteGroups(ctx.groups);
  } catch (error) {
    ctx.progress(`could not delete the bench's groups: ${describeError(error)}`);
  }
  try {
    const existing = new Set(await admin.listTopics());
    const topics = ctx.topics.filter((t) => existing.has(t));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
  } catch (error) {
    ctx.progress(`could not delete the bench's topics: ${describeError(error)}`);
  }
}

/**
 * Sends `count` orders to `topic` through {@linkcode produceOrders}, configured
 * the way `producer.ts` configures itself (Avro, snappy, acks=all, idempotent,
 * its default batching), optionally at a fixed `rate` per second.
 */
async function produce(
  ctx: Context,
  topic: string,
  count: number,
  options: { rate?: number; seed?: number } = {},
): Promise<ProducerSummary> {
  const config = parseProducerArgs([
    `--brokers=${ctx.brokers.join(",")}`,
    `--topic=${topic}`,
    `--dlq-topic=${topic}-dlq`,
    `--partitions=${ctx.config.partitions}`,
    `--count=${count}`,
    `--rate=${options.rate ?? 0}`,
    `--seed=${options.seed ?? ctx.config.seed}`,
    "--quiet",
  ]);
  if (config === "help") throw new Error("unreachable");
  // As producer.ts's main() builds it.
  const producer: Producer = ctx.kafka.producer({
    idempotent: true,
    retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 5000 },
  });
  await connectWithin(producer, ctx.brokers, config.connectTimeoutMs);
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

/** What one consume run took. */
interface ConsumeTiming {
  /** From the first record reaching our code to the last commit. */
  firstToLastMs: number;
  /** From calling runConsumer to the last commit. */
  startToLastMs: number;
}

/**
 * Consumes all `orders` orders of `topic` through {@linkcode runConsumer}
 * (decode, validate, aggregate, commit with the aggregate) in a new group,
 * quiet, stopping at `--max-messages`, and checks every order was aggregated.
 */
async function consume(ctx: Context, topic: string, orders: number): Promise<ConsumeTiming> {
  const config = parseConsumerArgs([
    `--brokers=${ctx.brokers.join(",")}`,
    `--topic=${topic}`,
    `--dlq-topic=${topic}-dlq`,
    `--group=${newGroup(ctx, "consume")}`,
    `--partitions=${ctx.config.partitions}`,
    `--max-messages=${orders}`,
    "--quiet",
  ]);
  if (config === "help") throw new Error("unreachable");
  let first: number | undefined;
  let last = 0;
  let aggregated = 0;
  const start = performance.now();
  const result = await onBatchStart(
    () => (first ??= performance.now()),
    () =>
      runConsumer(config, {
        aggregated() {
          aggregated += 1;
          last = performance.now();
        },
        warn: (text) => ctx.progress(text),
      }),
  );
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
async function onBatchStart<T>(onBatch: () => void, fn: () => Promise<T>): Promise<T> {
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

/**
 * Produces at a fixed rate while a consumer runs in this process, and records
 * each order's latency from the producer's send to its aggregate update. In
 * process because `events.aggregated` is where that moment is seen; it also
 * makes producer and consumer share one thread, the harder case.
 */
async function endToEnd(
  ctx: Context,
  admin: ReturnType<Kafka["admin"]>,
): Promise<NonNullable<BenchResults["endToEnd"]>> {
  const { e2eRate, e2eSeconds } = ctx.config;
  const orders = Math.max(1, Math.round(e2eRate * e2eSeconds));
  const topic = await newTopic(ctx, admin, "e2e");
  const config = parseConsumerArgs([
    `--brokers=${ctx.brokers.join(",")}`,
    `--topic=${topic}`,
    `--dlq-topic=${topic}-dlq`,
    `--group=${newGroup(ctx, "e2e")}`,
    `--partitions=${ctx.config.partitions}`,
    "--quiet",
  ]);
  if (config === "help") throw new Error("unreachable");
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

/** Waits until `done()`, failing on the consumer's error or after {@linkcode CATCH_UP_TIMEOUT_MS}. */
async function caughtUp(
  done: () => boolean,
  failure: () => unknown,
  what: string,
): Promise<void> {
  const deadline = Date.now() + CATCH_UP_TIMEOUT_MS;
  while (!done()) {
    const error = failure();
    if (error !== undefined) {
      throw new FatalError(`consumer failed in ${what}: ${describeError(error)}`);
    }
    if (Date.now() > deadline) {
      throw new FatalError(
        `the consumer did not catch up with ${what} in ${CATCH_UP_TIMEOUT_MS / 1000} s`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Runs `consumer.ts` as its own process over `orders` orders of `topic` and
 * reads its peak RSS (VmHWM) while it runs.
 */
async function memory(
  ctx: Context,
  topic: string,
  orders: number,
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

/** The `java` to run: `$JAVA_HOME/bin/java` when set, as lib/broker.ts picks it, else PATH's. */
function javaCommand(): string {
  const home = Deno.env.get("JAVA_HOME");
  return home ? join(home, "bin", "java") : "java";
}

/** Runs a Kafka tool class with the tools classpath; returns its stdout or throws with its output. */
async function runJava(ctx: Context, args: string[]): Promise<string> {
  const java = ctx.java!;
  let result: Deno.CommandOutput;
  try {
    result = await new Deno.Command(java.command, {
      args: [...java.options, "-cp", java.classpath, ...args],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new FatalError(`${java.command} not found: install Java 17+ or run with --no-java`);
    }
    throw error;
  }
  const decoder = new TextDecoder();
  const stdout = decoder.decode(result.stdout);
  if (!result.success) {
    throw new FatalError(
      `${args[0]} exited with code ${result.code}:\n${stdout}${decoder.decode(result.stderr)}`,
    );
  }
  return stdout;
}

/**
 * The Kafka version our launcher recorded for a broker on `bootstrap`
 * (`<repo>/.kafka-data/<version>-<port>/launcher.json`), or `undefined` for a
 * broker it did not start.
 */
async function launcherVersion(bootstrap: string): Promise<string | undefined> {
  const match = /^(127\.0\.0\.1|localhost):(\d+)$/.exec(bootstrap);
  if (!match) return undefined;
  const root = new URL("./.kafka-data/", import.meta.url).pathname;
  try {
    for await (const entry of Deno.readDir(root)) {
      if (!entry.isDirectory || !entry.name.endsWith(`-${match[2]}`)) continue;
      const dir = join(root, entry.name);
      const alive = await Deno.stat(join(dir, "broker.pid")).then(() => true, () => false);
      if (!alive) continue;
      const record = JSON.parse(await Deno.readTextFile(join(dir, "launcher.json")));
      if (record.port === Number(match[2])) return record.kafkaVersion;
    }
  } catch {
    // No launcher data: a broker started some other way.
  }
  return undefined;
}

/** The top self-time functions of a `.cpuprofile`, as a Markdown table. */
async function summarizeProfile(path: string, top: number): Promise<string> {
  const profile = JSON.parse(await Deno.readTextFile(path));
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const rows = topSelfTime(profile, { limit: top }).map((e) => [
    e.fn,
    e.selfMs.toFixed(0),
    `${(e.share * 100).toFixed(1)}%`,
  ]);
  const owners = selfTimeByOwner(profile).map((e) => [
    e.owner,
    e.selfMs.toFixed(0),
    `${(e.share * 100).toFixed(1)}%`,
  ]);
  return [
    `${path}: ${(totalMs / 1000).toFixed(1)} s profiled`,
    "",
    ...markdownTable(["owner of the code", "self ms", "share"], owners),
    "",
    ...markdownTable(["function (file:line)", "self ms", "share"], rows),
  ].join("\n");
}

if (import.meta.main) runMain(main, USAGE);
