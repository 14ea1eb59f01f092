/**
 * The whole pipeline in one command: starts a local broker if none answers at
 * the configured address, produces a few hundred orders (with poison pills),
 * consumes them with simulated transient failures, prints the summaries, the
 * exact stats and the dead-letter summary, and stops the broker it started.
 *
 * Usage: `deno task demo -- [--count N] [--brokers LIST] [--config FILE] [-X key=value]`.
 *
 * @module
 */
import { parseCli, parseNumber } from "./lib/cli/args.ts";
import { commonFlags, connectionSettings } from "./lib/cli/flags.ts";
import { describeSecurity } from "./lib/kafka/security.ts";
import { runMain } from "./lib/cli/main.ts";
import { brokerAnswers } from "./lib/broker/probe.ts";
import { type RunningBroker, startBroker } from "./lib/broker/launch.ts";
import { runScript } from "./lib/cli/subprocess.ts";

/** The command-line help. */
export const USAGE = `Usage: deno task demo -- [flags]

Runs producer, consumer, stats and the DLQ monitor against a broker,
starting a local one (and stopping it afterwards) if none answers.

  --brokers LIST    broker to use (default $KAFKA_BROKERS or 127.0.0.1:9092)
  --config FILE     client properties in librdkafka's names (default $KAFKA_CONFIG)
  -X key=value      one client property, over --config (repeatable)
  --count N         orders to produce (default 300)
  --lines N         output lines shown per step before the summary (default 8)
  --help            show this help`;

/** Shows the first `head` lines of a step's output, then its summary (from the first rule line). */
export function excerpt(output: string, head: number): string {
  const lines = output.trimEnd().split("\n");
  const rule = lines.findIndex((l) => /^={20,}$/.test(l));
  if (rule === -1 || rule <= head) return lines.join("\n");
  return [...lines.slice(0, head), `  ... ${rule - head} more lines ...`, ...lines.slice(rule)]
    .join("\n");
}

/** The demo CLI. Returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const { values } = parseCli(args, {
    options: {
      brokers: { type: "string" },
      ...commonFlags("config", "property"),
      count: { type: "string" },
      lines: { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  // Read (and the TLS files checked) here, once; each step reads them again itself.
  const connection = connectionSettings(values);
  const brokers = connection.brokers;
  const count = parseNumber("count", values.count, 300, { min: 1, integer: true });
  const head = parseNumber("lines", values.lines, 8, { min: 0, integer: true });

  let started: RunningBroker | undefined;
  if (connection.security !== undefined) {
    // A secured cluster is someone's: use it, never start one in its place.
    console.log(
      `Using the cluster at ${brokers.join(",")} (${describeSecurity(connection.security)})`,
    );
  } else if (await brokerAnswers(brokers[0])) {
    console.log(`Using the broker at ${brokers.join(",")}`);
  } else {
    const port = Number(brokers[0].split(":").pop());
    console.log(
      `No broker answers at ${brokers[0]}: starting a local Apache Kafka on port ${port}...`,
    );
    started = await startBroker({ port, log: (line) => console.log(`  ${line}`) });
  }

  const run = Date.now().toString(36);
  // On a secured cluster the names start with orders/order, which ACLs such
  // as the launcher's (`deno task broker --secure`) grant the application.
  const secured = connection.security !== undefined;
  const topic = secured ? `orders-demo-${run}` : `demo-${run}-orders`;
  const dlq = `${topic}-dlq`;
  const group = secured ? `order-demo-${run}` : `demo-${run}-processors`;
  const env = { KAFKA_BROKERS: started?.bootstrap ?? brokers.join(",") };
  // The children read the same client properties; --brokers wins over them as here.
  const connectionArgs = [
    ...(values.brokers !== undefined ? [`--brokers=${values.brokers}`] : []),
    ...(values.config !== undefined ? [`--config=${values.config}`] : []),
    ...(values.property ?? []).flatMap((p) => ["-X", p]),
  ];
  const common = [`--topic=${topic}`, ...connectionArgs];
  const steps: { title: string; script: string; args: string[] }[] = [
    {
      title: `1. Produce ${count} orders (3% corrupt, 3% invalid) to ${topic}`,
      script: "producer.ts",
      args: [
        String(count),
        ...common,
        `--dlq-topic=${dlq}`,
        "--corrupt-rate=0.03",
        "--invalid-rate=0.03",
        "--seed=2026",
      ],
    },
    {
      title: `2. Consume with 30% simulated transient failures (2 retries, backoff 20 then 40 ms)`,
      script: "consumer.ts",
      args: [
        ...common,
        `--dlq-topic=${dlq}`,
        `--group=${group}`,
        "--fail-rate=0.3",
        "--retries=2",
        "--backoff-ms=20",
        "--idle-exit=3",
      ],
    },
    {
      title: "3. The exact aggregate, read from the committed offsets (deno task stats)",
      script: "stats.ts",
      args: [...common, `--group=${group}`],
    },
    {
      title: `4. The dead letter queue ${dlq} (deno task dlq)`,
      script: "dlq_consumer.ts",
      args: [`--topic=${dlq}`, ...connectionArgs, "--from-beginning", "--idle-exit=2"],
    },
  ];

  let failed = false;
  try {
    for (const step of steps) {
      console.log(`\n${step.title}\n`);
      const result = await runScript(step.script, step.args, env);
      console.log(excerpt(result.stdout, head));
      if (result.stderr.trim() !== "") console.log(result.stderr.trimEnd());
      if (result.code !== 0) {
        console.log(`${step.script} exited with ${result.code}`);
        failed = true;
        break;
      }
    }
  } finally {
    if (started) {
      await started.stop();
      console.log(`\nStopped the broker this demo started.`);
    }
  }
  if (!failed && started === undefined) {
    console.log(
      `\nTry it yourself: deno task consume -- --topic=${topic} --group=${group}-2   |   deno task stats -- --topic=${topic} --group=${group} --json`,
    );
  }
  return failed ? 1 : 0;
}

if (import.meta.main) runMain(main, USAGE);
