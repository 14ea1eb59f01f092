/**
 * Consumes `orders` in a consumer group: decodes, validates and processes each
 * order with retries and exponential backoff, sends what finally fails to
 * `orders-dlq` with its original bytes and context headers, and keeps an exact
 * aggregate per input partition, committed atomically with the partition's
 * offset in the offset-commit metadata. The stages live in `lib/consumer/`.
 *
 * Usage: `deno task consume -- [flags]`; see {@linkcode USAGE}.
 *
 * @module
 */
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
import { runMain, withShutdownSignal, writeLine } from "./lib/cli/main.ts";
import { registerConsumerMetrics } from "./lib/consumer/metrics.ts";
import { CONSUMER_DEFAULTS as D, type ConsumerConfig } from "./lib/consumer/options.ts";
import { resultLines } from "./lib/consumer/report.ts";
import { runConsumer } from "./lib/consumer/run.ts";
import { FatalError, UsageError } from "./lib/errors.ts";
import { withMetrics } from "./lib/metrics/endpoint.ts";
import { summarize } from "./lib/order/aggregate.ts";
import { registryFromFlags } from "./lib/registry/config.ts";

/** The command-line help. */
export const USAGE = `Usage: deno task consume -- [flags]

Consumes orders, keeps an exact live aggregate and dead-letters what fails.

  --brokers LIST            bootstrap brokers (default $KAFKA_BROKERS or 127.0.0.1:9092)
${CONNECTION_USAGE}
  --topic NAME              topic to consume (default orders)
  --dlq-topic NAME          dead-letter topic (default orders-dlq)
  --group ID                consumer group (default order-processors)
  --partitions N            partitions when the topics are created (default 3)
${REPLICATION_USAGE}
  --fail-rate P             simulated transient failure rate per attempt (default 0)
  --seed N                  seed of the simulated failures (default 42)
  --retries N               retries after the first attempt (default 3)
  --backoff-ms MS           first retry delay (default 1000)
  --backoff-multiplier X    delay factor per retry (default 2)
  --backoff-max-ms MS       cap on one delay (default 30000)
  --jitter F                random share taken off each delay, 0..1 (default 0)
  --max-price DOLLARS       largest valid price (default 100000)
  --max-messages N          stop after N records
  --idle-exit S             stop once no record arrived for S seconds
  --session-timeout MS      group session timeout (default 30000)
  --heartbeat-interval MS   heartbeat interval (default 3000)
  --concurrency N           partitions processed at once (default 3)
  --connect-timeout S       give up on an unreachable broker after S seconds (default 30)
  --schema-registry URL     read the Confluent wire format, writer schemas from this registry
${METRICS_USAGE}
  --verbose                 print the topic's layout (leader and replicas per partition) first
  --quiet                   print only the final metrics
  --json                    one JSON object per line
  --help                    show this help`;

/** Parses the command line into a {@linkcode ConsumerConfig}; throws UsageError. */
export function parseConsumerArgs(args: string[]): ConsumerConfig | "help" {
  const { values } = parseCli(args, {
    options: {
      ...commonFlags("brokers", "topic", "dlq-topic", "group", "partitions", "connect-timeout"),
      ...commonFlags("quiet", "json", "help", "metrics-port", "metrics-host"),
      ...commonFlags("config", "property", "schema-registry"),
      ...commonFlags("replication-factor", "verbose"),
      "fail-rate": { type: "string" },
      seed: { type: "string" },
      retries: { type: "string" },
      "backoff-ms": { type: "string" },
      "backoff-multiplier": { type: "string" },
      "backoff-max-ms": { type: "string" },
      jitter: { type: "string" },
      "max-price": { type: "string" },
      "max-messages": { type: "string" },
      "idle-exit": { type: "string" },
      "session-timeout": { type: "string" },
      "heartbeat-interval": { type: "string" },
      concurrency: { type: "string" },
    },
  });
  if (values.help) return "help";
  const connection = connectionSettings(values);
  const output = outputMode(values);
  const sessionTimeoutMs = parseNumber(
    "session-timeout",
    values["session-timeout"],
    D.sessionTimeoutMs,
    {
      min: 1000,
      integer: true,
    },
  );
  const heartbeatIntervalMs = parseNumber(
    "heartbeat-interval",
    values["heartbeat-interval"],
    D.heartbeatIntervalMs,
    {
      min: 100,
      integer: true,
    },
  );
  if (heartbeatIntervalMs >= sessionTimeoutMs) {
    throw new UsageError(
      `--heartbeat-interval must be below --session-timeout: current values are ${heartbeatIntervalMs} and ${sessionTimeoutMs}`,
    );
  }
  const n = numberFlags(values);
  return {
    ...connection,
    topic: values.topic ?? D.topic,
    dlqTopic: values["dlq-topic"] ?? D.dlqTopic,
    group: values.group ?? D.group,
    partitions: n("partitions", D.partitions, { min: 1, integer: true }),
    failRate: n("fail-rate", D.failRate, { min: 0, max: 1 }),
    seed: n("seed", D.seed, { integer: true }),
    maxRetries: n("retries", D.maxRetries, { min: 0, max: 100, integer: true }),
    backoffMs: n("backoff-ms", D.backoffMs, { min: 0 }),
    backoffMultiplier: n("backoff-multiplier", D.backoffMultiplier, { min: 1 }),
    backoffMaxMs: n("backoff-max-ms", D.backoffMaxMs, { min: 0 }),
    jitter: n("jitter", D.jitter, { min: 0, max: 1 }),
    maxPrice: n("max-price", D.maxPrice, { min: 0.01, max: 131_072 }),
    maxMessages: n("max-messages", D.maxMessages, { min: 1, integer: true }),
    idleExitMs: n("idle-exit", D.idleExitMs / 1000, { min: 0 }) * 1000,
    sessionTimeoutMs,
    heartbeatIntervalMs,
    concurrency: n("concurrency", D.concurrency, { min: 1, max: 100, integer: true }),
    output,
    schemaRegistry: registryFromFlags(connection, values["schema-registry"]),
    metrics: metricsSettings(values),
    replicationFactor: replicationFactorFlag(values["replication-factor"]),
    verbose: values.verbose ?? false,
  };
}

/** The consumer CLI. Returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const config = parseConsumerArgs(args);
  if (config === "help") {
    console.log(USAGE);
    return 0;
  }
  const result = await withShutdownSignal((signal) => {
    // Listening already: whoever signals on seeing this line gets a clean stop.
    if (config.output === "text") {
      writeLine(
        `Consumer started, listening for orders on ${config.topic} (group ${config.group})...`,
      );
    }
    const warn = (t: string) => console.error(t);
    return withMetrics(
      config.metrics,
      "consumer",
      (registry) => registerConsumerMetrics(registry, config),
      (hooks) => runConsumer(config, { line: writeLine, warn, ...hooks }, signal),
    );
  });
  const view = summarize(result.aggregate);
  if (config.output === "json") {
    writeLine(JSON.stringify({ event: "summary", ...result.metrics, aggregate: view }));
  } else {
    for (const line of resultLines(result.metrics, view)) writeLine(line);
  }
  if (result.fatal !== undefined) throw new FatalError(result.fatal);
  return 0;
}

if (import.meta.main) runMain(main, USAGE);
