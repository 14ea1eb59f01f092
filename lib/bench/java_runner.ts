/**
 * Runs Kafka's own perf tools (`ProducerPerformance`, `ConsumerPerformance`)
 * with the same settings as our runs, and turns their output into the
 * bench's figures. The arguments and the output parsing are in `java.ts`.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { resolveKafkaTools } from "../broker/resolve.ts";
import { DEFAULT_KAFKA_VERSION } from "../broker/version.ts";
import { notInstalled } from "../cli/command.ts";
import { FatalError } from "../errors.ts";
import {
  consumerPerfArgs,
  parseConsumerPerf,
  parseProducerPerf,
  producerPerfArgs,
  TOOLS_JVM_OPTIONS,
  toolsLoggingConfig,
} from "./java.ts";
import { type MeasuredOutput, type ProcessFigures, runMeasured } from "./process.ts";
import type { ConsumeFigures, ProduceFigures } from "./report.ts";

/** How to start a Kafka tool class. */
export interface JavaTools {
  /** The `java` executable. */
  command: string;
  /** JVM options, the tools' logging config included. */
  options: string[];
  classpath: string;
  /** The kafka-tools version on the classpath. */
  version: string;
}

/** The `java` to run: `$JAVA_HOME/bin/java` when set, as the broker launcher picks it, else PATH's. */
export function javaCommand(): string {
  const home = Deno.env.get("JAVA_HOME");
  return home ? join(home, "bin", "java") : "java";
}

/**
 * Resolves the kafka-tools jars of `--kafka-version`, else of the broker's
 * version when known, else of the default version, and writes their logging
 * config beside the results file (`<dir of out>/tools/`).
 */
export async function prepareJavaTools(
  config: { kafkaVersion?: string; out: string },
  brokerVersion: string,
  progress: (line: string) => void,
): Promise<JavaTools> {
  const tools = await resolveKafkaTools(
    config.kafkaVersion ?? (brokerVersion === "unknown" ? DEFAULT_KAFKA_VERSION : brokerVersion),
    { log: progress },
  );
  const logging = toolsLoggingConfig(tools.version);
  const dir = join(dirname(config.out), "tools");
  await Deno.mkdir(dir, { recursive: true });
  const path = join(dir, logging.fileName);
  await Deno.writeTextFile(path, logging.text);
  return {
    command: javaCommand(),
    options: [...TOOLS_JVM_OPTIONS, logging.flag(path)],
    classpath: tools.classpath,
    version: tools.version,
  };
}

/**
 * Runs a Kafka tool class with the tools classpath, measuring the JVM as a
 * whole process; returns its stdout and figures, or throws with its output.
 */
export async function runJava(
  java: JavaTools,
  args: string[],
): Promise<{ stdout: string; process: ProcessFigures }> {
  let result: MeasuredOutput;
  try {
    result = await runMeasured(
      new Deno.Command(java.command, {
        args: [...java.options, "-cp", java.classpath, ...args],
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }),
    );
  } catch (error) {
    notInstalled(error, `${java.command} not found: install Java 17+ or run with --no-java`);
  }
  if (result.code !== 0) {
    throw new FatalError(
      `${args[0]} exited with code ${result.code}:\n${result.stdout}${result.stderr}`,
    );
  }
  const { wallMs, cpuMs, peakRssMb } = result;
  return { stdout: result.stdout, process: { wallMs, cpuMs, peakRssMb } };
}

/** Where a tool connects and what it reads or writes. */
export interface JavaRun {
  brokers: string[];
  topic: string;
  records: number;
}

/** One run of ProducerPerformance with our settings and our average record size. */
export async function javaProduce(
  java: JavaTools,
  run: JavaRun,
  recordSizeBytes: number,
): Promise<ProduceFigures> {
  const { stdout: output, process } = await runJava(
    java,
    producerPerfArgs({
      toolsVersion: java.version,
      bootstrap: run.brokers.join(","),
      topic: run.topic,
      records: run.records,
      recordSize: Math.round(recordSizeBytes),
    }),
  );
  const result = parseProducerPerf(output);
  if (result.records !== run.records) {
    throw new FatalError(`ProducerPerformance sent ${result.records} of ${run.records} records`);
  }
  return {
    ordersPerSec: result.recordsPerSec,
    // What the tool computes before printing it with two decimals, which
    // rounds a short run's throughput to 0.00.
    mbPerSec: (result.recordsPerSec * Math.round(recordSizeBytes)) / (1024 * 1024),
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    ...process,
  };
}

/** One run of ConsumerPerformance over `run.topic` in the new group `group`. */
export async function javaConsume(
  java: JavaTools,
  run: JavaRun,
  group: string,
): Promise<ConsumeFigures> {
  const { stdout: output, process } = await runJava(
    java,
    consumerPerfArgs({
      toolsVersion: java.version,
      bootstrap: run.brokers.join(","),
      topic: run.topic,
      records: run.records,
      group,
    }),
  );
  const result = parseConsumerPerf(output);
  if (result.records !== run.records) {
    throw new FatalError(`ConsumerPerformance read ${result.records} of ${run.records} records`);
  }
  return {
    ordersPerSec: result.fetchRecordsPerSec,
    ordersPerSecWithJoin: result.recordsPerSec,
    ...process,
  };
}
