/**
 * The demo's run, free of Kafka: the names a run uses, its four steps (our
 * programs, with the same connection flags the demo was given), and how a
 * step's output is shown.
 *
 * @module
 */
import { runScript } from "../cli/subprocess.ts";

/** The names one demo run uses, unique to it. */
export interface DemoNames {
  topic: string;
  dlq: string;
  group: string;
}

/**
 * The run's names. On a secured cluster they start with `orders`/`order`,
 * which ACLs such as the launcher's (`deno task broker --secure`) grant the
 * application user; otherwise `demo-<run>-…`.
 *
 * @example
 * ```ts
 * import { demoNames } from "./steps.ts";
 * demoNames("abc", false).group; // "demo-abc-processors"
 * ```
 */
export function demoNames(run: string, secured: boolean): DemoNames {
  const topic = secured ? `orders-demo-${run}` : `demo-${run}-orders`;
  return {
    topic,
    dlq: `${topic}-dlq`,
    group: secured ? `order-demo-${run}` : `demo-${run}-processors`,
  };
}

/** One step: a script run to completion, its output excerpted under its title. */
export interface DemoStep {
  title: string;
  script: string;
  args: string[];
}

/**
 * The demo's steps for `names`: produce `count` orders at `rate`, consume,
 * stats, the DLQ; every step gets `connection` (the demo's own `--brokers`,
 * `--config` and `-X`).
 */
export function demoSteps(
  names: DemoNames,
  count: number,
  rate: number,
  connection: string[] = [],
): DemoStep[] {
  const { topic, dlq, group } = names;
  const topics = [`--topic=${topic}`, `--dlq-topic=${dlq}`, ...connection];
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
      args: [`--topic=${topic}`, `--group=${group}`, ...connection],
    },
    {
      title: `4. The dead letter queue ${dlq} (deno task dlq)`,
      script: "dlq_consumer.ts",
      args: [`--topic=${dlq}`, ...connection, "--from-beginning", "--idle-exit=2"],
    },
  ];
}

/** Shows the first `head` lines of a step's output, then its summary (from the first rule line). */
export function excerpt(output: string, head: number): string {
  const lines = output.trimEnd().split("\n");
  const rule = lines.findIndex((l) => /^={20,}$/.test(l));
  if (rule === -1 || rule <= head) return lines.join("\n");
  return [...lines.slice(0, head), `  ... ${rule - head} more lines ...`, ...lines.slice(rule)]
    .join("\n");
}

/** Runs the steps in turn, printing excerpts; false once one fails. */
export async function runSteps(
  steps: DemoStep[],
  env: Record<string, string>,
  head: number,
): Promise<boolean> {
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
