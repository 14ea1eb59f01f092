/**
 * The bench's settings and their defaults, in one place, and the two list
 * flags (`--only`, `--scaling`) read into them.
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import { parseNumber } from "../cli/args.ts";
import type { ConnectionSettings } from "../cli/flags.ts";
import type { ClientSecurity } from "../kafka/security.ts";
import { DEFAULT_PARTITIONS } from "../kafka/topics.ts";

/** The bench's steps, in the order they run. */
export const STEPS = [
  "produce",
  "consume",
  "metrics",
  "reference",
  "e2e",
  "scaling",
  "instances",
  "memory",
  "tls",
] as const;

/** One of {@linkcode STEPS}. */
export type Step = typeof STEPS[number];

/** Everything a bench run needs. */
export interface BenchConfig {
  /** Brokers to use; `undefined` makes the bench start its own. */
  brokers?: string[];
  /** TLS and SASL of the brokers to use (`--config`, `-X`); unset is plaintext. */
  security?: ClientSecurity;
  /**
   * `--tls-config`: the same broker's SASL_SSL listener, for the `tls` step;
   * a broker the bench starts has its own.
   */
  tls?: ConnectionSettings;
  /** Orders in the produce and consume runs. @default {200000} */
  orders: number;
  /** How many times the produce and consume pairs run; the report shows medians. @default {3} */
  runs: number;
  /** Orders per second in the end-to-end run. @default {1000} */
  e2eRate: number;
  /** Length of the end-to-end run, in seconds. @default {30} */
  e2eSeconds: number;
  /** Order counts of the scaling runs, ascending. @default {[10000, 100000]} */
  scaling: number[];
  /**
   * Orders of the `instances` step's topic: enough that one instance takes
   * several seconds, so the others have joined long before it is done.
   *
   * @default {1000000}
   */
  instancesOrders: number;
  /** Whether Kafka's Java perf tools run beside ours. @default {true} */
  java: boolean;
  /** The steps to run. @default {all of STEPS} */
  steps: Set<Step>;
  /** The JSON results file. @default {".bench/results.json"} */
  out: string;
  /** Port of the broker the bench starts; its controller takes the next one. @default {49092} */
  port: number;
  /** Kafka version of the broker the bench starts and of the tools. */
  kafkaVersion?: string;
  /** Partitions of the bench's topics. @default {3} */
  partitions: number;
  /** Seed of the generated orders. @default {42} */
  seed: number;
  /** Leave the bench's topics and groups on the broker. @default {false} */
  keepTopics: boolean;
}

/** The defaults of the settings that have one. */
export const BENCH_DEFAULTS: Readonly<
  Omit<BenchConfig, "brokers" | "kafkaVersion" | "steps" | "scaling" | "security" | "tls">
> = {
  orders: 200_000,
  runs: 3,
  e2eRate: 1000,
  e2eSeconds: 30,
  instancesOrders: 1_000_000,
  java: true,
  out: ".bench/results.json",
  port: 49092,
  partitions: DEFAULT_PARTITIONS,
  seed: 42,
  keepTopics: false,
};

/** The default `--scaling` list. */
export const DEFAULT_SCALING = "10000,100000";

/** The size of the optional `--with-1m` scaling run, on which memory is measured. */
export const ONE_MILLION = 1_000_000;

/**
 * Reads `--only`: a comma-separated list of {@linkcode STEPS}; all of them
 * when not given. Throws a UsageError naming the first unknown step.
 *
 * @example
 * ```ts
 * import { parseSteps } from "./options.ts";
 * [...parseSteps("memory, produce")]; // ["memory", "produce"]
 * ```
 */
export function parseSteps(only: string | undefined): Set<Step> {
  const steps = new Set<Step>();
  for (const step of (only ?? STEPS.join(",")).split(",").map((s) => s.trim())) {
    if (!(STEPS as readonly string[]).includes(step)) {
      throw new UsageError(
        `--only must list steps of ${STEPS.join(",")}: current value has '${step}'`,
      );
    }
    steps.add(step as Step);
  }
  return steps;
}

/**
 * Reads `--scaling` (default {@linkcode DEFAULT_SCALING}) and `--with-1m`
 * into ascending order counts.
 *
 * @example
 * ```ts
 * import { parseScaling } from "./options.ts";
 * parseScaling("500, 100", true); // [100, 500, 1000000]
 * ```
 */
export function parseScaling(raw: string | undefined, with1m: boolean): number[] {
  const scaling = (raw ?? DEFAULT_SCALING)
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((s) => parseNumber("scaling", s, 0, { min: 1, integer: true }));
  if (with1m && !scaling.includes(ONE_MILLION)) scaling.push(ONE_MILLION);
  return scaling.sort((a, b) => a - b);
}
