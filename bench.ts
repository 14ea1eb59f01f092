/**
 * The bench: throughput, latency and memory of our producer and consumer,
 * each measured back to back with Apache Kafka's own perf tools
 * (`ProducerPerformance`, `ConsumerPerformance`) against the same broker with
 * the same record count, record size, acks and compression. Prints a Markdown
 * table on stdout, progress on stderr, and writes the same figures as JSON.
 *
 * The program holds the flags and the wiring; the steps are in `lib/bench/`.
 *
 * Usage: `deno task bench -- [flags]`; see {@linkcode USAGE}.
 *
 * @module
 */
import { dirname } from "node:path";
import { checkKafkaVersion, DEFAULT_KAFKA_VERSION } from "./lib/broker/version.ts";
import { BenchBroker } from "./lib/bench/broker.ts";
import { prepareJavaTools } from "./lib/bench/java_runner.ts";
import { prepareReferenceStack } from "./lib/bench/reference.ts";
import { BENCH_DEFAULTS, type BenchConfig, parseScaling, parseSteps } from "./lib/bench/options.ts";
import { profileSummary } from "./lib/bench/profile.ts";
import { formatReport } from "./lib/bench/report.ts";
import { runBench } from "./lib/bench/run.ts";
import { UsageError } from "./lib/errors.ts";
import { numberFlags, parseCli, parseNumber } from "./lib/cli/args.ts";
import { commonFlags, CONNECTION_USAGE, connectionSettings } from "./lib/cli/flags.ts";
import { tlsTarget } from "./lib/bench/tls.ts";
import { runMain } from "./lib/cli/main.ts";

/** The command-line help. */
export const USAGE = `Usage: deno task bench -- [flags]

Measures our producer and consumer side by side with Kafka's Java perf tools
and with confluent-kafka + fastavro (a Python venv under .cache/python, made on
first use) on one broker: produce and consume throughput, whole-process time
and peak memory, end-to-end latency, cost per order as the run grows.

  --orders N              orders in the produce and consume runs (default 200000)
  --e2e-rate N            orders per second in the end-to-end run (default 1000)
  --e2e-seconds S         length of the end-to-end run (default 30)
  --scaling LIST          order counts of the scaling runs (default 10000,100000)
  --instances-orders N    orders consumed by 1, 2 and 3 instances on 6 partitions (default 1000000)
  --with-1m               add a 1,000,000-order scaling run and reference comparison;
                          memory is measured on it
  --runs N                run the produce and consume pairs N times and report
                          the medians (default 3)
  --no-java               skip Kafka's Java perf tools
  --only LIST             run only some of produce,consume,metrics,reference,e2e,scaling,
                          instances,memory,tls
  --out PATH              JSON results file (default .bench/results.json)
  --brokers LIST          broker to use (default $KAFKA_BROKERS; else the bench starts one,
                          with the launcher's secured listeners when the tls step runs)
${CONNECTION_USAGE}
  --tls-config FILE       tls step: the client file of the same broker's SASL_SSL listener
                          (a broker the bench starts has its own)
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
      "instances-orders": { type: "string" },
      "with-1m": { type: "boolean" },
      "no-java": { type: "boolean" },
      only: { type: "string" },
      out: { type: "string" },
      port: { type: "string" },
      "kafka-version": { type: "string" },
      seed: { type: "string" },
      "keep-topics": { type: "boolean" },
      "summarize-profile": { type: "string" },
      top: { type: "string" },
      ...commonFlags("brokers", "partitions", "help"),
      ...commonFlags("config", "property"),
      "tls-config": { type: "string" },
    },
  });
  if (values.help) return "help";
  const top = parseNumber("top", values.top, 15, { min: 1, integer: true });
  if (values["summarize-profile"] !== undefined) {
    return { profile: values["summarize-profile"], top };
  }
  const scaling = parseScaling(values.scaling, values["with-1m"] ?? false);
  const steps = parseSteps(values.only);
  if (values["kafka-version"] !== undefined) {
    try {
      checkKafkaVersion(values["kafka-version"]);
    } catch (error) {
      throw new UsageError(`--kafka-version: ${(error as Error).message}`);
    }
  }
  // No default broker: without one the bench starts its own.
  const rawBrokers = values.brokers ?? Deno.env.get("KAFKA_BROKERS");
  const brokers = rawBrokers?.split(",").map((b) => b.trim()).filter((b) => b !== "");
  if (brokers !== undefined && brokers.length === 0) {
    throw new UsageError("--brokers must list host:port pairs");
  }
  // A cluster's client properties name its brokers and how to reach them.
  const secured = values.config ?? values.property ?? Deno.env.get("KAFKA_CONFIG");
  const connection = secured === undefined ? undefined : connectionSettings(values);
  const d = BENCH_DEFAULTS;
  const n = numberFlags(values);
  return {
    brokers: connection?.brokers ?? brokers,
    security: connection?.security,
    tls: tlsTarget(values["tls-config"]),
    orders: n("orders", d.orders, { min: 1, integer: true }),
    runs: n("runs", d.runs, { min: 1, max: 100, integer: true }),
    e2eRate: n("e2e-rate", d.e2eRate, { min: 1, max: 100_000 }),
    e2eSeconds: n("e2e-seconds", d.e2eSeconds, { min: 0.1 }),
    scaling,
    instancesOrders: n("instances-orders", d.instancesOrders, { min: 1 }),
    java: !values["no-java"],
    steps,
    out: values.out ?? d.out,
    port: n("port", d.port, { min: 1, max: 65534, integer: true }),
    kafkaVersion: values["kafka-version"],
    partitions: n("partitions", d.partitions, { min: 1, max: 1000, integer: true }),
    seed: n("seed", d.seed, { integer: true }),
    keepTopics: values["keep-topics"] ?? d.keepTopics,
  };
}

/** The bench CLI. Returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const config = parseBenchArgs(args);
  if (config === "help") {
    console.log(USAGE);
    return 0;
  }
  if ("profile" in config) {
    console.log(
      profileSummary(
        JSON.parse(await Deno.readTextFile(config.profile)),
        config.profile,
        config.top,
      ),
    );
    return 0;
  }
  const began = performance.now();
  const progress = (line: string) =>
    console.error(`[bench ${((performance.now() - began) / 1000).toFixed(1)}s] ${line}`);
  const broker = new BenchBroker();
  const removeSignalListeners = broker.stopOnSignal();
  try {
    const opened = await broker.open({ ...config, secure: config.steps.has("tls") }, progress);
    const { brokers, kafkaVersion } = opened;
    // Only produce, consume and reference run the Java tools, and only
    // reference runs the Python stack; on a secured cluster they would need
    // its security in their own clients' properties.
    const javaSteps = ["produce", "consume", "reference"].some((s) => config.steps.has(s as never));
    if (config.security) {
      progress("Java perf tools and the reference stack skipped: secured cluster");
    }
    const java = config.java && javaSteps && !config.security
      ? await prepareJavaTools(config, kafkaVersion, progress)
      : undefined;
    const reference = config.steps.has("reference") && !config.security
      ? await prepareReferenceStack(progress)
      : undefined;
    const results = await runBench({
      config,
      brokers,
      progress,
      java,
      kafkaVersion,
      ownBroker: broker.own,
      args,
      tls: config.tls ?? tlsTarget(opened.tlsConfig),
      reference,
    });
    await Deno.mkdir(dirname(config.out), { recursive: true });
    await Deno.writeTextFile(config.out, JSON.stringify(results, null, 2) + "\n");
    console.log(formatReport(results));
    progress(`done; figures in ${config.out}`);
    return 0;
  } finally {
    removeSignalListeners();
    await broker.stop();
  }
}

if (import.meta.main) runMain(main, USAGE);
