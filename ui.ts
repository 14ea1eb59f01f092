/**
 * A live dashboard of the pipeline in the browser: throughput and
 * end-to-end latency charts, the exact aggregate and lag per partition, the
 * group's members, the dead letters and a replay action with a dry-run
 * preview. One process reads Kafka itself (admin, offsets, the commit log,
 * the DLQ) and pushes an update to every open page each second. The parts
 * live in `lib/ui/`.
 *
 * Usage: `deno task ui -- [flags]`; see {@linkcode USAGE}.
 *
 * @module
 */
import { nonEmpty, parseCli, parseNumber } from "./lib/cli/args.ts";
import { commonFlags, CONNECTION_USAGE, connectionSettings, isLoopback } from "./lib/cli/flags.ts";
import { aborted, runMain, shutdownSignal } from "./lib/cli/main.ts";
import { REPLAY_DEFAULTS } from "./lib/dlq/options.ts";
import { FatalError } from "./lib/errors.ts";
import { Dashboard } from "./lib/ui/dashboard.ts";
import { UI_DEFAULTS as D, type UiConfig, uiConfig } from "./lib/ui/options.ts";
import { serveDashboard } from "./lib/ui/server.ts";

/** The command-line help. */
export const USAGE = `Usage: deno task ui -- [flags]

Serves a live dashboard of the pipeline at http://127.0.0.1:8080.

  --host HOST               address to serve on (default 127.0.0.1; others are warned about)
  --port N                  port to serve on; 0 picks a free one (default 8080)
  --brokers LIST            bootstrap brokers (default $KAFKA_BROKERS or 127.0.0.1:9092)
${CONNECTION_USAGE}
  --topic NAME              consumed topic (default orders)
  --dlq-topic NAME          dead-letter topic (default orders-dlq)
  --group ID                consumer group shown (default order-processors)
  --replay-group ID         group of the replay action (default orders-dlq-replayer, as
                            deno task dlq --replay)
  --connect-timeout S       give up on an unreachable broker after S seconds (default 30)
  --help                    show this help`;

/** Parses the command line into a {@linkcode UiConfig}; throws UsageError. */
export function parseUiArgs(args: string[]): UiConfig | "help" {
  const { values } = parseCli(args, {
    options: {
      ...commonFlags("brokers", "topic", "dlq-topic", "group", "connect-timeout", "help"),
      ...commonFlags("config", "property"),
      host: { type: "string" },
      port: { type: "string" },
      "replay-group": { type: "string" },
    },
  });
  if (values.help) return "help";
  return uiConfig({
    ...connectionSettings(values),
    host: nonEmpty("host", values.host) ?? D.host,
    port: parseNumber("port", values.port, D.port, { min: 0, max: 65535, integer: true }),
    topic: nonEmpty("topic", values.topic) ?? D.topic,
    dlqTopic: nonEmpty("dlq-topic", values["dlq-topic"]) ?? D.dlqTopic,
    group: nonEmpty("group", values.group) ?? D.group,
    replayGroup: nonEmpty("replay-group", values["replay-group"]) ?? D.replayGroup,
  });
}

/** The dashboard CLI. Serves until SIGINT/SIGTERM; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const config = parseUiArgs(args);
  if (config === "help") {
    console.log(USAGE);
    return 0;
  }
  const warn = (text: string) => console.error(text);
  if (!isLoopback(config.host)) {
    warn(
      `WARNING: --host ${config.host} serves the dashboard beyond this machine: anyone who reaches it sees the orders and dead letters and can replay them`,
    );
  }
  const shutdown = shutdownSignal();
  const dashboard = await Dashboard.open(config, warn);
  try {
    const server = await serveDashboard(dashboard, {
      errorTypes: REPLAY_DEFAULTS.errorTypes,
      targetTopic: config.topic,
      group: config.replayGroup,
    }, config).catch((error) => {
      throw new FatalError(
        `cannot serve the dashboard on ${config.host}:${config.port}: ${(error as Error).message}`,
      );
    });
    console.log(`Dashboard at ${server.url} (topic ${config.topic}, group ${config.group})`);
    // A Ctrl-C while the dashboard was opening has aborted already: it ends the run too.
    await aborted(shutdown.signal);
    await server.close();
  } finally {
    shutdown.dispose();
    await dashboard.close();
  }
  return 0;
}

if (import.meta.main) runMain(main, USAGE);
