/**
 * A whole bench run: where it runs and with what, then each chosen step in
 * turn, then the clean-up of its topics and groups.
 *
 * @module
 */
import { createRecordGenerator } from "../order/generator.ts";
import { type BenchContext, cleanUp, type ContextSetup, openContext } from "./context.ts";
import { endToEnd } from "./end_to_end.ts";
import type { BenchConfig } from "./options.ts";
import {
  type BenchEnvironment,
  type BenchResults,
  type BenchSettings,
  checkTargets,
} from "./report.ts";
import {
  consumeStep,
  type FilledTopics,
  memoryStep,
  metricsStep,
  produceStep,
  scalingStep,
} from "./steps.ts";
import type { ConnectionSettings } from "../cli/flags.ts";
import { redactArgs } from "../cli/flags.ts";
import { tlsStep } from "./tls.ts";
import { instancesStep } from "./instances.ts";
import type { ReferenceStack } from "./reference.ts";
import { referenceStep } from "./reference_step.ts";

/** What a bench run is given. */
export interface BenchSetup extends ContextSetup {
  /** The broker's Kafka version, or `"unknown"`. */
  kafkaVersion: string;
  /** Whether the bench started the broker itself. */
  ownBroker: boolean;
  /** The command-line arguments, recorded with the figures (secrets redacted). */
  args: string[];
  /** The same broker's SASL_SSL listener, for the `tls` step; without it the step is skipped. */
  tls?: ConnectionSettings;
  /** Set when the reference step runs. */
  reference?: ReferenceStack;
}

/**
 * The total value and key bytes of the first `orders` generated orders: the
 * bench sends exactly these, and ProducerPerformance gets their average size.
 */
export function recordBytes(
  orders: number,
  seed: number,
): { valueBytes: number; keyBytes: number } {
  let valueBytes = 0;
  let keyBytes = 0;
  const next = createRecordGenerator({ seed });
  for (let i = 0; i < orders; i++) {
    const record = next();
    valueBytes += record.value.length;
    keyBytes += record.key.length;
  }
  return { valueBytes, keyBytes };
}

/** Where and with what this run happens, as the results record it. */
export function benchEnvironment(setup: BenchSetup): BenchEnvironment {
  return {
    startedAt: new Date().toISOString(),
    kafkaVersion: setup.kafkaVersion,
    toolsVersion: setup.java?.version,
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    typescript: Deno.version.typescript,
    cores: navigator.hardwareConcurrency,
    os: `${Deno.build.os} ${Deno.build.arch}`,
    brokers: setup.brokers.join(","),
    ownBroker: setup.ownBroker,
    command: ["deno task bench", ...redactArgs(setup.args)].join(" "),
  };
}

/**
 * The run's sizes as the results record them.
 *
 * @example
 * ```ts
 * import { benchSettings } from "./run.ts";
 * import { BENCH_DEFAULTS } from "./options.ts";
 * const config = { ...BENCH_DEFAULTS, orders: 4, scaling: [10], steps: new Set<never>() };
 * benchSettings(config, { valueBytes: 100, keyBytes: 36 }).recordSizeBytes; // 25
 * ```
 */
export function benchSettings(
  config: BenchConfig,
  bytes: { valueBytes: number; keyBytes: number },
): BenchSettings {
  return {
    orders: config.orders,
    recordSizeBytes: bytes.valueBytes / config.orders,
    keySizeBytes: bytes.keyBytes / config.orders,
    partitions: config.partitions,
    e2eRate: config.e2eRate,
    e2eSeconds: config.e2eSeconds,
    scalingSizes: config.steps.has("scaling") ? config.scaling : [],
  };
}

/** Runs the chosen steps and returns every figure with its target checks. */
export async function runBench(setup: BenchSetup): Promise<BenchResults> {
  const { config } = setup;
  const bytes = recordBytes(config.orders, config.seed);
  const results: Omit<BenchResults, "targets"> = {
    environment: benchEnvironment(setup),
    settings: benchSettings(config, bytes),
  };
  const ctx = await openContext(setup);
  try {
    await runSteps(ctx, results, bytes.valueBytes, setup);
  } finally {
    if (!config.keepTopics) await cleanUp(ctx);
    await ctx.session.close();
  }
  return { ...results, targets: checkTargets(results) };
}

/** Runs each chosen step in the order of `STEPS`, filling in `results`. */
async function runSteps(
  ctx: BenchContext,
  results: Omit<BenchResults, "targets">,
  valueBytes: number,
  setup: Pick<BenchSetup, "tls" | "reference">,
): Promise<void> {
  const { steps } = ctx.config;
  const filled: FilledTopics = { all: [] };
  if (steps.has("produce")) {
    results.produce = await produceStep(ctx, results.settings, valueBytes, filled);
  }
  if (steps.has("consume")) results.consume = await consumeStep(ctx, filled);
  if (steps.has("metrics")) results.metrics = await metricsStep(ctx, filled);
  const { reference, tls } = setup;
  if (steps.has("reference") && reference !== undefined) {
    results.reference = {
      versions: reference.versions,
      sizes: await referenceStep(ctx, reference),
    };
  }
  if (steps.has("e2e")) results.endToEnd = await endToEnd(ctx);
  if (steps.has("scaling")) results.scaling = await scalingStep(ctx, filled);
  if (steps.has("instances")) results.instances = await instancesStep(ctx);
  if (steps.has("memory")) results.memory = await memoryStep(ctx, filled);
  if (steps.has("tls") && tls === undefined) {
    ctx.progress(
      "tls: skipped: give --tls-config, the client file of this broker's SASL_SSL listener",
    );
  } else if (steps.has("tls")) results.tls = await tlsStep(ctx, tls!, valueBytes);
}
