/**
 * The bench's reference: Apache Kafka's own perf tools,
 * `org.apache.kafka.tools.ProducerPerformance` and `ConsumerPerformance` from
 * `kafka-tools`. Pure: builds their command lines for a given tools version
 * and parses what they print; `java_runner.ts` runs them.
 *
 * @module
 */

/** Options of {@linkcode producerPerfArgs}. */
export interface ProducerPerfOptions {
  /** The kafka-tools version that will run, which decides the flags. */
  toolsVersion: string;
  /** `host:port[,host:port]`. */
  bootstrap: string;
  topic: string;
  /** Records to send. */
  records: number;
  /** Value size in bytes of every record (the tool sends no key). */
  recordSize: number;
}

/**
 * The producer settings the bench gives both producers: what `producer.ts`
 * does (acks from every in-sync replica, snappy, idempotent).
 */
export const PRODUCER_PROPS = ["acks=all", "compression.type=snappy", "enable.idempotence=true"];

/** Whether `version` is `major.minor` or newer. */
function atLeast(version: string, major: number, minor: number): boolean {
  const [a, b] = version.split(".").map(Number);
  return a > major || (a === major && b >= minor);
}

/**
 * The `java` arguments after the classpath that run ProducerPerformance
 * unthrottled with {@linkcode PRODUCER_PROPS}. kafka-tools 4.2 added
 * `--bootstrap-server` and `--command-property` (and deprecated
 * `--producer-props`); before it the bootstrap servers go in `--producer-props`.
 *
 * @example
 * ```ts
 * import { producerPerfArgs } from "./java.ts";
 * producerPerfArgs({
 *   toolsVersion: "3.9.1",
 *   bootstrap: "127.0.0.1:9092",
 *   topic: "t",
 *   records: 10,
 *   recordSize: 23,
 * }).slice(-4); // ["bootstrap.servers=127.0.0.1:9092", "acks=all", "compression.type=snappy", "enable.idempotence=true"]
 * ```
 */
export function producerPerfArgs(opts: ProducerPerfOptions): string[] {
  const common = [
    "org.apache.kafka.tools.ProducerPerformance",
    "--topic",
    opts.topic,
    "--num-records",
    String(opts.records),
    "--record-size",
    String(opts.recordSize),
    "--throughput",
    "-1",
  ];
  if (atLeast(opts.toolsVersion, 4, 2)) {
    return [
      ...common,
      "--bootstrap-server",
      opts.bootstrap,
      "--command-property",
      ...PRODUCER_PROPS,
    ];
  }
  return [...common, "--producer-props", `bootstrap.servers=${opts.bootstrap}`, ...PRODUCER_PROPS];
}

/** Options of {@linkcode consumerPerfArgs}. */
export interface ConsumerPerfOptions {
  /** The kafka-tools version that will run, which decides the flags. */
  toolsVersion: string;
  /** `host:port[,host:port]`. */
  bootstrap: string;
  topic: string;
  /** Records to consume before it stops. */
  records: number;
  /** A consumer group no one else uses, so it starts from the beginning. */
  group: string;
}

/**
 * The `java` arguments after the classpath that run ConsumerPerformance.
 * kafka-tools 4.2 renamed `--messages` to `--num-records`.
 *
 * @example
 * ```ts
 * import { consumerPerfArgs } from "./java.ts";
 * consumerPerfArgs({
 *   toolsVersion: "4.3.1",
 *   bootstrap: "127.0.0.1:9092",
 *   topic: "t",
 *   records: 10,
 *   group: "g",
 * }).slice(-2); // ["--num-records", "10"]
 * ```
 */
export function consumerPerfArgs(opts: ConsumerPerfOptions): string[] {
  return [
    "org.apache.kafka.tools.ConsumerPerformance",
    "--bootstrap-server",
    opts.bootstrap,
    "--topic",
    opts.topic,
    "--group",
    opts.group,
    atLeast(opts.toolsVersion, 4, 2) ? "--num-records" : "--messages",
    String(opts.records),
  ];
}

/**
 * The JVM options `kafka-producer-perf-test.sh` and
 * `kafka-consumer-perf-test.sh` run the tools with: a 512 MB heap and
 * `kafka-run-class.sh`'s performance options.
 */
export const TOOLS_JVM_OPTIONS = [
  "-Xmx512M",
  "-server",
  "-XX:+UseG1GC",
  "-XX:MaxGCPauseMillis=20",
  "-XX:InitiatingHeapOccupancyPercent=35",
  "-XX:+ExplicitGCInvokesConcurrent",
  "-Djava.awt.headless=true",
];

/**
 * A logging configuration that keeps the tools quiet (warnings and errors
 * only, to stderr) for Log4j 2 (kafka-tools 4.x) or reload4j (3.x), the file
 * name to write it to, and the JVM flag that selects it once written to `path`.
 */
export function toolsLoggingConfig(toolsVersion: string): {
  fileName: string;
  text: string;
  flag: (path: string) => string;
} {
  if (atLeast(toolsVersion, 4, 0)) {
    return {
      fileName: "tools-log4j2.properties",
      text: [
        "status = error",
        "appender.err.type = Console",
        "appender.err.name = err",
        "appender.err.target = SYSTEM_ERR",
        "appender.err.layout.type = PatternLayout",
        "appender.err.layout.pattern = %p %m (%c)%n",
        "rootLogger.level = warn",
        "rootLogger.appenderRef.err.ref = err",
        "",
      ].join("\n"),
      flag: (path) => `-Dlog4j2.configurationFile=${path}`,
    };
  }
  return {
    fileName: "tools-log4j.properties",
    text: [
      "log4j.rootLogger=WARN, stderr",
      "log4j.appender.stderr=org.apache.log4j.ConsoleAppender",
      "log4j.appender.stderr.Target=System.err",
      "log4j.appender.stderr.layout=org.apache.log4j.PatternLayout",
      "log4j.appender.stderr.layout.ConversionPattern=%p %m (%c)%n",
      "",
    ].join("\n"),
    flag: (path) => `-Dlog4j.configuration=file:${path}`,
  };
}

/** What ProducerPerformance reports at the end of a run. */
export interface ProducerPerfResult {
  records: number;
  recordsPerSec: number;
  /** Value bytes per second, in MiB (the tool's "MB"). */
  mbPerSec: number;
  avgLatencyMs: number;
  maxLatencyMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  p999Ms: number;
}

/** A perf tool's output did not hold the figures we need. */
export class PerfOutputError extends Error {
  override name = "PerfOutputError";
  /** The output that could not be read. */
  readonly output: string;

  constructor(message: string, output: string) {
    super(message);
    this.output = output;
  }
}

/**
 * Reads the summary line ProducerPerformance prints last:
 * `N records sent, R records/sec (M MB/sec), A ms avg latency, X ms max
 * latency, P ms 50th, P ms 95th, P ms 99th, P ms 99.9th.` The progress lines
 * it prints every few seconds lack the percentiles and are skipped. Throws
 * {@linkcode PerfOutputError} when there is no summary.
 *
 * @example
 * ```ts
 * import { parseProducerPerf } from "./java.ts";
 * parseProducerPerf(
 *   "200000 records sent, 104602.510460 records/sec (3.99 MB/sec), 37.15 ms avg latency, " +
 *     "514.00 ms max latency, 18 ms 50th, 138 ms 95th, 162 ms 99th, 167 ms 99.9th.\n",
 * ).p99Ms; // 162
 * ```
 */
export function parseProducerPerf(output: string): ProducerPerfResult {
  const summary = new RegExp(
    [
      String.raw`(\d+) records sent, ([\d.]+) records/sec \(([\d.]+) MB/sec\)`,
      String.raw`([\d.]+) ms avg latency`,
      String.raw`([\d.]+) ms max latency`,
      String.raw`([\d.]+) ms 50th`,
      String.raw`([\d.]+) ms 95th`,
      String.raw`([\d.]+) ms 99th`,
      String.raw`([\d.]+) ms 99\.9th`,
    ].join(String.raw`,\s*`),
  );
  const lines = output.split("\n").map((line) => summary.exec(line)).filter((m) => m !== null);
  const match = lines.at(-1);
  if (match === undefined) {
    throw new PerfOutputError("ProducerPerformance printed no summary line", output);
  }
  const n = (i: number) => Number(match[i]);
  return {
    records: n(1),
    recordsPerSec: n(2),
    mbPerSec: n(3),
    avgLatencyMs: n(4),
    maxLatencyMs: n(5),
    p50Ms: n(6),
    p95Ms: n(7),
    p99Ms: n(8),
    p999Ms: n(9),
  };
}

/** What ConsumerPerformance reports. */
export interface ConsumerPerfResult {
  records: number;
  /** Records over the whole run, group join included. */
  recordsPerSec: number;
  /** Value and key bytes consumed, in MiB (the tool's "MB"). */
  mb: number;
  mbPerSec: number;
  /** Time spent joining the group (and rebalancing). */
  rebalanceMs: number;
  /** The run without the group join: from the partition assignment to the last record. */
  fetchMs: number;
  /** Records per second of {@linkcode ConsumerPerfResult.fetchMs}. */
  fetchRecordsPerSec: number;
  fetchMbPerSec: number;
}

const CONSUMER_FIELDS = {
  records: "data.consumed.in.nMsg",
  recordsPerSec: "nMsg.sec",
  mb: "data.consumed.in.MB",
  mbPerSec: "MB.sec",
  rebalanceMs: "rebalance.time.ms",
  fetchMs: "fetch.time.ms",
  fetchRecordsPerSec: "fetch.nMsg.sec",
  fetchMbPerSec: "fetch.MB.sec",
} as const;

/**
 * Reads ConsumerPerformance's CSV header
 * (`start.time, end.time, data.consumed.in.MB, MB.sec, ...`) and the row
 * after it, by column name. Throws {@linkcode PerfOutputError} when either is
 * missing or a column is not a number.
 *
 * @example
 * ```ts
 * import { parseConsumerPerf } from "./java.ts";
 * parseConsumerPerf(
 *   "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, " +
 *     "rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec\n" +
 *     "2026-11-22 22:16:27:447, 2026-11-22 22:16:28:339, 7.6294, 8.5531, 200000, " +
 *     "224215.2466, 383, 509, 14.9890, 392927.3084\n",
 * ).fetchRecordsPerSec; // 392927.3084
 * ```
 */
export function parseConsumerPerf(output: string): ConsumerPerfResult {
  const lines = output.split("\n").map((line) => line.trim());
  const at = lines.findIndex((line) => line.startsWith("start.time,"));
  const header = at < 0 ? [] : lines[at].split(",").map((c) => c.trim());
  const row = at < 0 ? [] : (lines[at + 1] ?? "").split(",").map((c) => c.trim());
  if (at < 0 || row.length !== header.length) {
    throw new PerfOutputError("ConsumerPerformance printed no result row", output);
  }
  const result = {} as ConsumerPerfResult;
  for (const [key, column] of Object.entries(CONSUMER_FIELDS)) {
    const value = Number(row[header.indexOf(column)]);
    if (header.indexOf(column) < 0 || !Number.isFinite(value)) {
      throw new PerfOutputError(`ConsumerPerformance printed no number for ${column}`, output);
    }
    result[key as keyof ConsumerPerfResult] = value;
  }
  return result;
}
