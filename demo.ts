/**
 * The whole pipeline in one command: starts a local broker if none answers at
 * the configured address, produces a few hundred orders (with poison pills),
 * consumes them with simulated transient failures, prints the summaries, the
 * exact stats and the dead-letter summary, and stops the broker it started.
 * The dashboard runs beside it.
 *
 * Usage: `deno task demo -- [--count N] [--brokers LIST] [--config FILE] [-X key=value]`.
 *
 * @module
 */
import { parseCli, parseNumber } from "./lib/cli/args.ts";
import { commonFlags, CONNECTION_USAGE, connectionSettings } from "./lib/cli/flags.ts";
import { aborted, runMain, shutdownSignal } from "./lib/cli/main.ts";
import { brokerFor, openDashboard } from "./lib/demo/services.ts";
import { demoNames, demoSteps, runSteps } from "./lib/demo/steps.ts";

/** The command-line help. */
export const USAGE = `Usage: deno task demo -- [flags]

Runs producer, consumer, stats and the DLQ monitor against a broker,
starting a local one (and stopping it afterwards) if none answers.

  --brokers LIST            broker to use (default $KAFKA_BROKERS or 127.0.0.1:9092)
${CONNECTION_USAGE}
  --count N                 orders to produce (default 300)
  --lines N                 output lines shown per step before the summary (default 8)
  --rate N                  orders per second the producer sends; 0 = as fast as it can (default 0)
  --ui-port N               port of the dashboard it starts; 0 picks a free one (default 8080)
  --no-ui                   do not start the dashboard
  --help                    show this help`;

/** The demo CLI. Returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const { values } = parseCli(args, {
    options: {
      ...commonFlags("brokers", "config", "property", "connect-timeout", "help"),
      count: { type: "string" },
      lines: { type: "string" },
      rate: { type: "string" },
      "ui-port": { type: "string" },
      "no-ui": { type: "boolean" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  // Read (and the TLS files checked) here, once; each step reads them again itself.
  const connection = connectionSettings(values);
  const count = parseNumber("count", values.count, 300, { min: 1, integer: true });
  const head = parseNumber("lines", values.lines, 8, { min: 0, integer: true });
  const rate = parseNumber("rate", values.rate, 0, { min: 0 });
  const uiPort = parseNumber("ui-port", values["ui-port"], 8080, {
    min: 0,
    max: 65535,
    integer: true,
  });
  // The steps read the same client properties; --brokers wins over them as here.
  const connectionArgs = [
    ...(values.brokers !== undefined ? [`--brokers=${values.brokers}`] : []),
    ...(values.config !== undefined ? [`--config=${values.config}`] : []),
    ...(values.property ?? []).flatMap((p) => ["-X", p]),
  ];

  const started = await brokerFor(connection);
  const names = demoNames(Date.now().toString(36), connection.security !== undefined);
  const env = { KAFKA_BROKERS: started?.bootstrap ?? connection.brokers.join(",") };
  let ok = false;
  const ui = values["no-ui"] ? undefined : await openDashboard(uiPort, names, env, connectionArgs);
  try {
    ok = await runSteps(demoSteps(names, count, rate, connectionArgs), env, head);
    if (ui?.url !== undefined && ok && Deno.stdin.isTerminal()) {
      console.log(`\nThe dashboard stays up at ${ui.url}: press Ctrl-C to stop it.`);
      const shutdown = shutdownSignal();
      await aborted(shutdown.signal);
      shutdown.dispose();
    }
  } finally {
    await ui?.stop();
    if (started) {
      await started.stop();
      console.log(`\nStopped the broker this demo started.`);
    }
  }
  if (ok && started === undefined) {
    const { topic, group } = names;
    console.log(
      `\nTry it yourself: deno task consume -- --topic=${topic} --group=${group}-2   |   deno task stats -- --topic=${topic} --group=${group} --json`,
    );
  }
  return ok ? 0 : 1;
}

if (import.meta.main) runMain(main, USAGE);
