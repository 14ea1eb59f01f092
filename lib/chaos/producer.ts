/**
 * The soak's producer: one `producer.ts` process at a fixed rate, whose
 * warnings are passed on as they come and whose `[UNSENT]` lines name the
 * orders it could deliver nowhere.
 *
 * @module
 */
import { scriptCommand } from "../cli/subprocess.ts";
import type { ChaosConfig } from "./options.ts";
import { readLines } from "./_util.ts";

/** Where and what the producer sends. */
export interface ProducerSettings
  extends Pick<ChaosConfig, "orders" | "rate" | "seed" | "poisonRate" | "partitions"> {
  brokers: string;
  topic: string;
  dlqTopic: string;
  /** `--attempts`. */
  attempts: number;
}

/** What the producer process did. */
export interface ProducerRun {
  exitCode: number;
  /** Keys of its `[UNSENT]` lines. */
  unsentKeys: string[];
  /** Its failed send attempts that were retried (`[WARN]` lines). */
  retries: number;
  /** Its summary (PRODUCER METRICS), as printed. */
  summary: string[];
}

/**
 * The `producer.ts` arguments: quiet, poison pills half undecodable and half
 * invalid, and enough attempts to ride out a failover.
 *
 * @example
 * ```ts
 * import { producerArgs } from "./producer.ts";
 * producerArgs({
 *   orders: 10, rate: 5, seed: 1, poisonRate: 0.02, partitions: 6,
 *   brokers: "b:1", topic: "t", dlqTopic: "t-dlq", attempts: 6,
 * }).slice(0, 3); // ["--quiet", "--count=10", "--rate=5"]
 * ```
 */
export function producerArgs(settings: ProducerSettings): string[] {
  return [
    "--quiet",
    `--count=${settings.orders}`,
    `--rate=${settings.rate}`,
    `--seed=${settings.seed}`,
    `--corrupt-rate=${settings.poisonRate / 2}`,
    `--invalid-rate=${settings.poisonRate / 2}`,
    `--partitions=${settings.partitions}`,
    `--replication-factor=3`,
    `--attempts=${settings.attempts}`,
    `--brokers=${settings.brokers}`,
    `--topic=${settings.topic}`,
    `--dlq-topic=${settings.dlqTopic}`,
  ];
}

/**
 * Reads one stderr line of the producer: the key of an `[UNSENT]` order, a
 * retried attempt, or something else.
 *
 * @example
 * ```ts
 * import { parseProducerLine } from "./producer.ts";
 * parseProducerLine('[UNSENT] {"key":"ORD-00007","orderId":"ORD-00007"}');
 * // { kind: "unsent", key: "ORD-00007" }
 * ```
 */
export function parseProducerLine(
  line: string,
): { kind: "unsent"; key: string } | { kind: "retry" } | { kind: "other" } {
  if (line.startsWith("[UNSENT] ")) {
    try {
      const key = JSON.parse(line.slice("[UNSENT] ".length)).key;
      if (typeof key === "string") return { kind: "unsent", key };
    } catch {
      // Not the JSON we write: counted as other output.
    }
  }
  if (line.startsWith("[WARN] send of")) return { kind: "retry" };
  return { kind: "other" };
}

/**
 * Starts the producer; `onLine` gets each stderr line as it comes. Resolves
 * `done` once it exits; `kill()` stops it at once (for an aborted soak).
 */
export function startProducer(
  settings: ProducerSettings,
  onLine: (line: string) => void,
): { done: Promise<ProducerRun>; kill(): void } {
  const child = scriptCommand("producer.ts", producerArgs(settings)).spawn();
  const run: ProducerRun = { exitCode: -1, unsentKeys: [], retries: 0, summary: [] };
  const stderr = readLines(child.stderr, (line) => {
    const parsed = parseProducerLine(line);
    if (parsed.kind === "unsent") run.unsentKeys.push(parsed.key);
    if (parsed.kind === "retry") run.retries += 1;
    onLine(line);
  });
  const stdout = readLines(child.stdout, (line) => {
    if (line.trim() !== "") run.summary.push(line);
  });
  const done = Promise.all([child.status, stderr, stdout]).then(([status]) => {
    run.exitCode = status.code;
    return run;
  });
  return {
    done,
    kill() {
      try {
        child.kill("SIGKILL");
      } catch {
        // Already gone.
      }
    },
  };
}
