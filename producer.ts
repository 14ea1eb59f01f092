/**
 * Generates orders, Avro-encodes them and publishes them to `orders` with an
 * idempotent, `acks=all`, batching, compressing producer. Every order ends in
 * exactly one of three places, and the summary counts each: acknowledged on
 * `orders`, written to `orders-dlq` after the send attempts ran out, or, if
 * even that failed, logged in full to stderr (and the exit code is 1).
 *
 * The program holds the flags and the wiring; the run itself is in
 * `lib/producer/`.
 *
 * Usage: `deno task produce -- [count] [delay] [flags]`; see {@linkcode USAGE}.
 *
 * @module
 */
import type { Producer } from "kafkajs";
import { FatalError, UsageError } from "./lib/errors.ts";
import { numberFlags, parseCli, parseNumber } from "./lib/cli/args.ts";
import {
  commonFlags,
  CONNECTION_USAGE,
  connectionSettings,
  METRICS_USAGE,
  metricsSettings,
  outputMode,
  REPLICATION_USAGE,
  replicationFactorFlag,
} from "./lib/cli/flags.ts";
import { runMain, withShutdownSignal } from "./lib/cli/main.ts";
import { KafkaSession } from "./lib/kafka/session.ts";
import { withMetrics } from "./lib/metrics/endpoint.ts";
import { mergeHooks } from "./lib/metrics/hooks.ts";
import { registerProducerMetrics } from "./lib/producer/metrics.ts";
import { prepareTopics } from "./lib/producer/topics.ts";
import {
  isCompressionName,
  PRODUCER_DEFAULTS,
  type ProducerConfig,
} from "./lib/producer/options.ts";
import { printEvents, ProgressTicker, summaryLines, wantsProgress } from "./lib/producer/output.ts";
import { produceOrders, type ProducerSummary } from "./lib/producer/run.ts";
import { registryFromFlags } from "./lib/registry/config.ts";

/** The command-line help. */
export const USAGE = `Usage: deno task produce -- [count] [delay] [flags]

Generates orders, Avro-encodes them and publishes them to Kafka.

  count, --count N          orders to send (default 100)
  delay, --delay SECONDS    pause between orders (default 0)
  --rate N                  orders per second; 0 = as fast as possible (default 0)
  --seed N                  seed for reproducible orders (default 42)
  --brokers LIST            bootstrap brokers (default $KAFKA_BROKERS or 127.0.0.1:9092)
${CONNECTION_USAGE}
  --topic NAME              topic to publish to (default orders)
  --dlq-topic NAME          dead-letter topic for undeliverable orders (default orders-dlq)
  --partitions N            partitions when the topics are created (default 3)
${REPLICATION_USAGE}
  --compression C           snappy | gzip | none (default snappy)
  --batch-size N            max orders in one produce request (default 2000)
  --linger-ms MS            wait this long to fill a batch (default 5)
  --attempts N              send attempts per batch before the DLQ (default 3)
  --retry-backoff-ms MS     first wait between attempts, doubled each time (default 200)
  --corrupt-rate P          share of records that are not valid Avro (default 0)
  --invalid-rate P          share of records with a bad price or empty id (default 0)
  --connect-timeout S       give up on an unreachable broker after S seconds (default 30)
  --schema-registry URL     write the Confluent wire format, registering <topic>-value there
${METRICS_USAGE}
  --verbose                 print the topic's layout (leader and replicas per partition) first
  --quiet                   print only the summary
  --json                    one JSON object per line
  --help                    show this help`;

/** Parses the command line into a {@linkcode ProducerConfig}; throws UsageError. */
export function parseProducerArgs(args: string[]): ProducerConfig | "help" {
  const { values, positionals } = parseCli(args, {
    allowPositionals: true,
    options: {
      count: { type: "string" },
      delay: { type: "string" },
      rate: { type: "string" },
      seed: { type: "string" },
      compression: { type: "string" },
      "batch-size": { type: "string" },
      "linger-ms": { type: "string" },
      attempts: { type: "string" },
      "retry-backoff-ms": { type: "string" },
      "corrupt-rate": { type: "string" },
      "invalid-rate": { type: "string" },
      ...commonFlags("brokers", "topic", "dlq-topic", "partitions", "connect-timeout", "config"),
      ...commonFlags("property", "schema-registry", "quiet", "json", "help", "verbose"),
      ...commonFlags("metrics-port", "metrics-host", "replication-factor"),
    },
  });
  if (values.help) return "help";
  const connection = connectionSettings(values);
  if (positionals.length > 2) {
    throw new UsageError(`unexpected argument '${positionals[2]}': give at most count and delay`);
  }
  const compression = values.compression ?? PRODUCER_DEFAULTS.compression;
  if (!isCompressionName(compression)) {
    throw new UsageError(
      `--compression must be snappy, gzip or none: current value is '${compression}'`,
    );
  }
  const corruptRate = numberFlags(values)("corrupt-rate", 0, { min: 0, max: 1 });
  const invalidRate = numberFlags(values)("invalid-rate", 0, { min: 0, max: 1 });
  if (corruptRate + invalidRate > 1) {
    throw new UsageError(
      `--corrupt-rate plus --invalid-rate must be at most 1: current sum is ${
        corruptRate + invalidRate
      }`,
    );
  }
  const output = outputMode(values);
  const delay = parseNumber("delay", values.delay ?? positionals[1], 0, { min: 0 });
  const rate = parseNumber("rate", values.rate, PRODUCER_DEFAULTS.rate, { min: 0 });
  if (delay > 0 && rate > 0) throw new UsageError("give --delay or --rate, not both");
  const d = PRODUCER_DEFAULTS;
  const n = numberFlags(values);
  return {
    ...connection,
    topic: values.topic ?? d.topic,
    dlqTopic: values["dlq-topic"] ?? d.dlqTopic,
    partitions: n("partitions", d.partitions, { min: 1, max: 1000, integer: true }),
    count: parseNumber("count", values.count ?? positionals[0], d.count, { min: 0, integer: true }),
    delayMs: delay * 1000,
    rate,
    seed: n("seed", d.seed, { integer: true }),
    compression,
    batchSize: n("batch-size", d.batchSize, { min: 1, max: 100_000, integer: true }),
    lingerMs: n("linger-ms", d.lingerMs, { min: 0, max: 60_000 }),
    attempts: n("attempts", d.attempts, { min: 1, max: 100, integer: true }),
    retryBackoffMs: n("retry-backoff-ms", d.retryBackoffMs, { min: 0 }),
    corruptRate,
    invalidRate,
    output,
    schemaRegistry: registryFromFlags(connection, values["schema-registry"]),
    metrics: metricsSettings(values),
    replicationFactor: replicationFactorFlag(values["replication-factor"]),
    verbose: values.verbose ?? false,
  };
}

/** Runs the orders through `producer`, printing as `config.output` asks, until done or a signal. */
async function produceAndPrint(
  producer: Producer,
  config: ProducerConfig,
): Promise<ProducerSummary> {
  const progress = wantsProgress(config, Deno.stdout.isTerminal())
    ? new ProgressTicker(config.count)
    : undefined;
  const events = printEvents({ output: config.output, dlqTopic: config.dlqTopic, progress });
  try {
    return await withShutdownSignal((signal) =>
      withMetrics(
        config.metrics,
        "producer",
        (registry) => registerProducerMetrics(registry, config),
        (hooks) => produceOrders(producer, config, mergeHooks(events, hooks), signal),
      )
    );
  } finally {
    progress?.stop();
  }
}

/** The producer CLI. Returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const config = parseProducerArgs(args);
  if (config === "help") {
    console.log(USAGE);
    return 0;
  }
  const session = await KafkaSession.open(config, "order-producer");
  let summary: ProducerSummary;
  try {
    await prepareTopics(session.admin, config);
    summary = await produceAndPrint(await session.producer(), config);
  } finally {
    await session.close();
  }
  if (config.output === "json") {
    console.log(JSON.stringify({ event: "summary", ...summary }));
  } else {
    for (const line of summaryLines(summary)) console.log(line);
  }
  if (summary.unsent > 0) {
    throw new FatalError(
      `${summary.unsent} orders could not be delivered to ${config.topic} or ${config.dlqTopic}; they are logged in full above`,
    );
  }
  return 0;
}

if (import.meta.main) runMain(main, USAGE);
