/**
 * Watches, summarises and replays the dead letter queue.
 *
 * Watching (the default) follows `orders-dlq` with a consumer group of its
 * own and never commits, so it moves no one's position; it prints one line
 * per dead letter and, on SIGINT/SIGTERM or once caught up (`--idle-exit`),
 * a DEAD LETTER QUEUE SUMMARY.
 *
 * Replaying (`--replay`) republishes dead letters to their original topic
 * with their original key, value and headers plus an incremented
 * `replay-count`, from the replayer group's committed position up to the end
 * the DLQ had when the run started, committing its progress after the target
 * topic acknowledged each batch.
 *
 * Usage: `deno task dlq -- [flags]`; see {@linkcode USAGE}.
 *
 * @module
 */
import { nonEmpty, parseCli, parseNumber } from "./lib/cli/args.ts";
import {
  commonFlags,
  CONNECTION_USAGE,
  connectionSettings,
  METRICS_USAGE,
  metricsSettings,
  outputMode,
} from "./lib/cli/flags.ts";
import { runMain, withShutdownSignal, writeLine } from "./lib/cli/main.ts";
import { FatalError, UsageError } from "./lib/errors.ts";
import { dlqProgram, registerDlqMetrics } from "./lib/dlq/metrics.ts";
import { runDlqTool } from "./lib/dlq/run.ts";
import { withMetrics } from "./lib/metrics/endpoint.ts";
import {
  DLQ_DEFAULTS,
  type DlqConfig,
  dlqConfig,
  type DlqEvents,
  parseErrorTypes,
  parseSince,
  REPLAY_DEFAULTS,
  replayConfig,
} from "./lib/dlq/options.ts";
import {
  DEFAULT_MAX_REPLAYS,
  DEFAULT_REPLAY_TYPES,
  ERROR_TYPES,
} from "./lib/dlq/replay_decision.ts";
import { registryFromFlags } from "./lib/registry/config.ts";

/** The command-line help. */
export const USAGE = `Usage: deno task dlq -- [flags]

Watches the dead letter queue and summarises it, or replays it (--replay).

  --brokers LIST            bootstrap brokers (default $KAFKA_BROKERS or 127.0.0.1:9092)
${CONNECTION_USAGE}
  --topic NAME              dead-letter topic (default orders-dlq)
  --group ID                consumer group (default orders-dlq-monitor-<random> when
                            watching, orders-dlq-replayer when replaying)
  --connect-timeout S       give up on an unreachable broker after S seconds (default 30)
  --schema-registry URL     dead letters are in the Confluent wire format: read them through it
${METRICS_USAGE}
  --quiet                   print only the summary
  --json                    one JSON object per line, the summary last
  --help                    show this help

Watching (never commits offsets):
  --from-beginning          start at the oldest record (default: only new records)
  --idle-exit S             stop once caught up and no record arrived for S seconds
  --max-price DOLLARS       largest valid price: the total value of failed orders
                            counts no price above it (default 100000)

Replaying (commits its progress: a second run sends nothing twice):
  --replay                  republish dead letters to their original topic
  --target-topic NAME       topic for records that do not name theirs (default orders)
  --error-type TYPE         types to replay, repeatable or comma-separated:
                            ${ERROR_TYPES.join(", ")}
                            (default ${DEFAULT_REPLAY_TYPES.join(", ")})
  --since TIME              only records that failed at or after TIME (ISO-8601)
  --max-replays N           park records already replayed N times (default ${DEFAULT_MAX_REPLAYS})
  --dry-run                 show what would be replayed; send and commit nothing

The replayer's commits move past skipped and parked records too: to revisit
them with other filters, use another --group.`;

const FLAGS = {
  ...commonFlags("brokers", "topic", "group", "connect-timeout", "quiet", "json", "help"),
  ...commonFlags("config", "property", "schema-registry", "metrics-port", "metrics-host"),
  "from-beginning": { type: "boolean" },
  "idle-exit": { type: "string" },
  "max-price": { type: "string" },
  replay: { type: "boolean" },
  "target-topic": { type: "string" },
  "error-type": { type: "string", multiple: true },
  since: { type: "string" },
  "max-replays": { type: "string" },
  "dry-run": { type: "boolean" },
} as const;

const REPLAY_ONLY = ["target-topic", "error-type", "since", "max-replays", "dry-run"] as const;
const WATCH_ONLY = ["from-beginning", "idle-exit", "max-price"] as const;

/** Parses the command line into a {@linkcode DlqConfig}; throws UsageError. */
export function parseDlqArgs(args: string[]): DlqConfig | "help" {
  const { values } = parseCli(args, { options: FLAGS });
  if (values.help) return "help";
  const connection = connectionSettings(values);
  const output = outputMode(values);
  const replaying = values.replay === true;
  for (const flag of replaying ? WATCH_ONLY : REPLAY_ONLY) {
    if (values[flag] !== undefined) {
      throw new UsageError(
        replaying
          ? `--${flag} does not apply to --replay, which reads from the group's committed position and stops when caught up`
          : `--${flag} applies only with --replay`,
      );
    }
  }
  return dlqConfig({
    ...connection,
    topic: nonEmpty("topic", values.topic) ?? DLQ_DEFAULTS.topic,
    group: nonEmpty("group", values.group),
    output,
    metrics: metricsSettings(values),
    fromBeginning: values["from-beginning"] === true,
    idleExitMs: parseNumber("idle-exit", values["idle-exit"], Infinity, { min: 0 }) * 1000,
    maxPrice: parseNumber("max-price", values["max-price"], DLQ_DEFAULTS.maxPrice, { min: 0.01 }),
    schemaRegistry: registryFromFlags(connection, values["schema-registry"]),
    replay: replaying
      ? replayConfig({
        errorTypes: parseErrorTypes(values["error-type"]),
        since: parseSince(values.since),
        maxReplays: parseNumber("max-replays", values["max-replays"], DEFAULT_MAX_REPLAYS, {
          min: 1,
          integer: true,
        }),
        targetTopic: nonEmpty("target-topic", values["target-topic"]) ??
          REPLAY_DEFAULTS.targetTopic,
        dryRun: values["dry-run"] === true,
      })
      : undefined,
  });
}

/** The DLQ tool CLI. Returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const config = parseDlqArgs(args);
  if (config === "help") {
    console.log(USAGE);
    return 0;
  }
  const events: DlqEvents = { line: writeLine, warn: (t) => console.error(t) };
  const fatal = await withShutdownSignal((signal) =>
    withMetrics(
      config.metrics,
      dlqProgram(config),
      (registry) => registerDlqMetrics(registry, config),
      (hooks) => runDlqTool(config, { ...events, ...hooks }, signal),
    )
  );
  if (fatal !== undefined) throw new FatalError(fatal);
  return 0;
}

if (import.meta.main) runMain(main, USAGE);
