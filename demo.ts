/**
 * The whole pipeline in one command: starts a local broker if none answers at
 * the configured address, produces a few hundred orders (with poison pills),
 * consumes them with simulated transient failures, prints the summaries, the
 * exact stats and the dead-letter summary, and stops the broker it started.
 *
 * Usage: `deno task demo -- [--count N] [--brokers LIST]`.
 *
 * @module
 */
import { parseCli, parseNumber } from "./lib/cli/args.ts";
import { resolveBrokers } from "./lib/cli/flags.ts";
import { runMain } from "./lib/cli/main.ts";
import { brokerAnswers, type RunningBroker, startBroker } from "./lib/broker/launcher.ts";
import { runScript, spawnScript, waitForOutput } from "./lib/cli/subprocess.ts";
import { shutdownSignal } from "./lib/cli/main.ts";

/** The command-line help. */
export const USAGE = `Usage: deno task demo -- [flags]

Runs producer, consumer, stats and the DLQ monitor against a broker,
starting a local one (and stopping it afterwards) if none answers.

  --brokers LIST    broker to use (default $KAFKA_BROKERS or 127.0.0.1:9092)
  --count N         orders to produce (default 300)
  --lines N         output lines shown per step before the summary (default 8)
  --rate N          orders per second the producer sends; 0 = as fast as it can (default 0)
  --ui-port N       port of the dashboard it starts; 0 picks a free one (default 8080)
  --no-ui           do not start the dashboard
  --help            show this help`;

/** Shows the first `head` lines of a step's output, then its summary (from the first rule line). */
export function excerpt(output: string, head: number): string {
  const lines = output.trimEnd().split("\n");
  const rule = lines.findIndex((l) => /^={20,}$/.test(l));
  if (rule === -1 || rule <= head) return lines.join("\n");
  return [...lines.slice(0, head), `  ... ${rule - head} more lines ...`, ...lines.slice(rule)]
    .join("\n");
}

/** The names one demo run uses, unique to it. */
export interface DemoNames {
  topic: string;
  dlq: string;
  group: string;
}

/** One step: a script run to completion, its output excerpted under its title. */
export interface DemoStep {
  title: string;
  script: string;
  args: string[];
}

/** The demo's steps for `names`: produce `count` orders at `rate`, consume, stats, the DLQ. */
export function demoSteps(names: DemoNames, count: number, rate: number): DemoStep[] {
  const { topic, dlq, group } = names;
  const topics = [`--topic=${topic}`, `--dlq-topic=${dlq}`];
  return [
    {
      title: `1. Produce ${count} orders (3% corrupt, 3% invalid) to ${topic}`,
      script: "producer.ts",
      args: [String(count), ...topics, "--corrupt-rate=0.03", "--invalid-rate=0.03", "--seed=2026"]
        .concat(rate > 0 ? [`--rate=${rate}`] : []),
    },
    {
      title: `2. Consume with 30% simulated transient failures (2 retries, backoff 20 then 40 ms)`,
      script: "consumer.ts",
      args: [...topics, `--group=${group}`, "--fail-rate=0.3", "--retries=2", "--backoff-ms=20"]
        .concat("--idle-exit=3"),
    },
    {
      title: "3. The exact aggregate, read from the committed offsets (deno task stats)",
      script: "stats.ts",
      args: [`--topic=${topic}`, `--group=${group}`],
    },
    {
      title: `4. The dead letter queue ${dlq} (deno task dlq)`,
      script: "dlq_consumer.ts",
      args: [`--topic=${dlq}`, "--from-beginning", "--idle-exit=2"],
    },
  ];
}

/** Runs the steps in turn, printing excerpts; false once one fails. */
async function runSteps(steps: DemoStep[], env: Record<string, string>, head: number) {
  for (const step of steps) {
    console.log(`\n${step.title}\n`);
    const result = await runScript(step.script, step.args, env);
    console.log(excerpt(result.stdout, head));
    if (result.stderr.trim() !== "") console.log(result.stderr.trimEnd());
    if (result.code !== 0) {
      console.log(`${step.script} exited with ${result.code}`);
      return false;
    }
  }
  return true;
}

/** Starts the dashboard on `port` for `names` and says where; the demo goes on if it cannot. */
async function openDashboard(port: number, names: DemoNames, env: Record<string, string>) {
  const ui = spawnScript("ui.ts", [
    `--port=${port}`,
    `--topic=${names.topic}`,
    `--dlq-topic=${names.dlq}`,
    `--group=${names.group}`,
  ], env);
  const url = await waitForOutput(ui, /Dashboard at (\S+)/);
  console.log(
    url === undefined
      ? `\nThe dashboard did not start (${ui.stderr().trim()}); the demo goes on without it`
      : `\nDashboard: ${url} — open it to watch the run`,
  );
  const stop = async () => {
    try {
      ui.child.kill("SIGTERM");
    } catch {
      // It did not start, or stopped by itself.
    }
    await ui.done;
  };
  return { url, stop };
}

/** The broker at `brokers`, or a local one started for the demo when none answers. */
async function brokerFor(brokers: string[]): Promise<RunningBroker | undefined> {
  if (await brokerAnswers(brokers[0])) {
    console.log(`Using the broker at ${brokers.join(",")}`);
    return undefined;
  }
  const port = Number(brokers[0].split(":").pop());
  console.log(
    `No broker answers at ${brokers[0]}: starting a local Apache Kafka on port ${port}...`,
  );
  return await startBroker({ port, log: (line) => console.log(`  ${line}`) });
}

/** The demo CLI. Returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const { values } = parseCli(args, {
    options: {
      brokers: { type: "string" },
      count: { type: "string" },
      lines: { type: "string" },
      rate: { type: "string" },
      "ui-port": { type: "string" },
      "no-ui": { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const brokers = resolveBrokers(values.brokers);
  const count = parseNumber("count", values.count, 300, { min: 1, integer: true });
  const head = parseNumber("lines", values.lines, 8, { min: 0, integer: true });
  const rate = parseNumber("rate", values.rate, 0, { min: 0 });
  const uiPort = parseNumber("ui-port", values["ui-port"], 8080, {
    min: 0,
    max: 65535,
    integer: true,
  });

  const started = await brokerFor(brokers);
  const run = Date.now().toString(36);
  const names = {
    topic: `demo-${run}-orders`,
    dlq: `demo-${run}-orders-dlq`,
    group: `demo-${run}-processors`,
  };
  const env = { KAFKA_BROKERS: started?.bootstrap ?? brokers.join(",") };
  let ok = false;
  const ui = values["no-ui"] ? undefined : await openDashboard(uiPort, names, env);
  try {
    ok = await runSteps(demoSteps(names, count, rate), env, head);
    if (ui?.url !== undefined && ok && Deno.stdin.isTerminal()) {
      console.log(`\nThe dashboard stays up at ${ui.url}: press Ctrl-C to stop it.`);
      const shutdown = shutdownSignal();
      await new Promise((resolve) => shutdown.signal.addEventListener("abort", resolve));
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
