/**
 * The integration-test harness: one real Kafka broker shared by every test of
 * a test file (Deno runs each file in an isolate of its own, with its own
 * copy of this module), unique topic and group names per test, a bounded
 * `waitFor`, and helpers that run our scripts as subprocesses and read topics
 * back.
 *
 * The broker is chosen in this order: `KAFKA_BROKERS` when set; else Kafka
 * in a container through Testcontainers (`container.ts`) when a Docker engine
 * answers; else the project's own launcher (`lib/broker/`) on port 39092.
 * Either is stopped when the file's tests end (the isolate's `unload`).
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Buffer } from "node:buffer";
import type { IHeaders, Kafka, Message } from "kafkajs";
import { addCents, type AggregateSummary, emptyAggregate, summarize } from "../order/aggregate.ts";
import { toCents } from "../order/money.ts";
import { startBroker } from "../broker/launch.ts";
import {
  type GeneratedRecord,
  generateRecords,
  type GeneratorOptions,
} from "../order/generator.ts";
import { expectedOutcome } from "../order/process.ts";
import { runScript } from "../cli/subprocess.ts";
import { dockerRuns } from "./tools.ts";

export {
  type RunningScript,
  runScript,
  type ScriptResult,
  spawnScript,
} from "../cli/subprocess.ts";
import { createKafka } from "../kafka/client.ts";
import { ensureTopics } from "../kafka/topics.ts";

let brokersPromise: Promise<string[]> | undefined;

/**
 * Kafka in a container from `KAFKA_TC_IMAGE` (default: Confluent's `cp-kafka` 8.x),
 * saying once per test file which container and how long it took to start.
 */
async function containerBroker(): Promise<string> {
  // Imported here so that a test run without Docker never loads Testcontainers.
  const { startKafkaContainer, testcontainersImage } = await import("./container.ts");
  const image = testcontainersImage();
  try {
    const kafka = await startKafkaContainer(image);
    console.error(
      `Kafka in container ${kafka.id.slice(0, 12)} (${image}) at ${kafka.bootstrap}, ` +
        `started in ${(kafka.startMs / 1000).toFixed(1)} s`,
    );
    return kafka.bootstrap;
  } catch (error) {
    throw new Error(
      `no Kafka container from ${image}: ${
        String(error instanceof Error ? error.message : error).trim()
      }. ` +
        "Build a local image (deno task image) and set KAFKA_TC_IMAGE to its cp-kafka name, " +
        "or set KAFKA_BROKERS",
    );
  }
}

/** The port the harness gives a broker it starts itself, apart from a developer's 9092. */
const HARNESS_PORT = 39092;

/**
 * The bootstrap brokers for tests, starting a broker on first use when
 * `KAFKA_BROKERS` is not set. Fails with one line saying what to install.
 */
export function testBrokers(): Promise<string[]> {
  brokersPromise ??= pickBrokers();
  return brokersPromise;
}

async function pickBrokers(): Promise<string[]> {
  const fromEnv = Deno.env.get("KAFKA_BROKERS");
  if (fromEnv) return fromEnv.split(",").map((b) => b.trim()).filter(Boolean);
  if (dockerRuns()) return [await containerBroker()];
  try {
    const broker = await startBroker({ port: HARNESS_PORT, log: () => {} });
    globalThis.addEventListener("unload", () => {
      try {
        Deno.kill(broker.pid, "SIGTERM");
      } catch {
        // Already gone.
      }
    });
    return [broker.bootstrap];
  } catch (error) {
    throw new Error(
      `no Kafka broker for the tests: ${
        error instanceof Error ? error.message : error
      }. Set KAFKA_BROKERS, run a Docker engine, or install Java 17+ and Maven for the built-in launcher`,
    );
  }
}

/** The environment that points a script run by a test at the test broker. */
export async function brokerEnv(): Promise<Record<string, string>> {
  return { KAFKA_BROKERS: (await testBrokers()).join(",") };
}

/** A name no other test uses: `prefix-<time>-<random>`. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Options for {@linkcode waitFor}. */
export interface WaitOptions {
  /** @default {30000} */
  timeoutMs?: number;
  /** @default {100} */
  intervalMs?: number;
  /** Said in the error when time runs out. */
  message?: string;
}

/**
 * Polls `condition` until it returns a value other than `undefined` or
 * `false`, and returns it; throws after `timeoutMs` with `message`.
 */
export async function waitFor<T>(
  condition: () => Promise<T | undefined | false> | T | undefined | false,
  options: WaitOptions = {},
): Promise<T> {
  const { timeoutMs = 30_000, intervalMs = 100, message = "condition" } = options;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${message}${last ? `: ${last}` : ""}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A record read back from a topic. */
export interface ReadRecord {
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: IHeaders;
  timestamp: string;
}

/** A quiet kafkajs client for test code. */
export function testKafka(brokers: string[]): Kafka {
  return createKafka({ brokers, clientId: "order-tests" });
}

/**
 * Reads every record of `topic` up to its current end, with a throwaway
 * consumer group, in partition and offset order.
 */
export async function readTopic(
  brokers: string[],
  topic: string,
  timeoutMs = 30_000,
): Promise<ReadRecord[]> {
  const kafka = testKafka(brokers);
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<number, bigint>();
  try {
    for (const o of await admin.fetchTopicOffsets(topic)) ends.set(o.partition, BigInt(o.high));
  } finally {
    await admin.disconnect();
  }
  const records: ReadRecord[] = [];
  const total = [...ends.values()].reduce((a, b) => a + b, 0n);
  if (total === 0n) return records;
  // A short fetch wait: disconnecting waits for the fetch in flight.
  const consumer = kafka.consumer({ groupId: uniqueName("reader"), maxWaitTimeInMs: 200 });
  await consumer.connect();
  try {
    const positions = new Map<number, bigint>();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: ({ partition, message }) => {
        positions.set(partition, BigInt(message.offset) + 1n);
        if (BigInt(message.offset) < (ends.get(partition) ?? 0n)) {
          records.push({
            partition,
            offset: message.offset,
            key: message.key?.toString() ?? null,
            value: message.value,
            headers: message.headers ?? {},
            timestamp: message.timestamp,
          });
        }
        return Promise.resolve();
      },
    });
    await waitFor(
      () => [...ends].every(([p, end]) => end === 0n || (positions.get(p) ?? 0n) >= end),
      { timeoutMs, message: `reading ${total} records of ${topic}` },
    );
  } finally {
    await consumer.disconnect();
  }
  return records.sort((a, b) =>
    a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset))
  );
}

/**
 * Creates a topic with `partitions` partitions and waits for its leaders,
 * replicated as the programs replicate theirs (three times on a cluster of
 * three or more brokers, see `defaultReplicationFactor`).
 */
export async function createTopic(brokers: string[], topic: string, partitions = 3): Promise<void> {
  const admin = testKafka(brokers).admin();
  await admin.connect();
  try {
    // The programs' own path: it waits until every partition of the new topic is served.
    await ensureTopics(admin, [{ topic, partitions }]);
  } finally {
    await admin.disconnect();
  }
}

/** Options for {@linkcode sendMessages}. */
export interface SendOptions {
  /**
   * Sends the messages in one transaction that ends this way, leaving its
   * marker after them; `undefined` sends them outside any transaction.
   * @default {undefined}
   */
  transaction?: "commit" | "abort";
}

/** Writes `messages` to `topic` with a producer of its own, disconnected when done. */
export async function sendMessages(
  brokers: string[],
  topic: string,
  messages: Message[],
  options: SendOptions = {},
): Promise<void> {
  const { transaction } = options;
  const producer = testKafka(brokers).producer(
    // Idempotent either way: a retried send never writes a record twice.
    transaction === undefined
      ? { idempotent: true, maxInFlightRequests: 1 }
      : { transactionalId: uniqueName("tx"), idempotent: true, maxInFlightRequests: 1 },
  );
  await producer.connect();
  try {
    if (transaction === undefined) {
      await producer.send({ topic, messages });
      return;
    }
    const txn = await producer.transaction();
    await txn.send({ topic, messages });
    await (transaction === "commit" ? txn.commit() : txn.abort());
  } finally {
    await producer.disconnect();
  }
}

/**
 * Runs the producer for `count` orders of `generator` into `topic`, whose
 * DLQ topic is `<topic>-dlq`, quietly and with `flags` added, and fails
 * unless it exits 0. The generator's options become the producer's flags,
 * so {@linkcode groundTruth} with the same options predicts what it wrote.
 */
export async function produceOrders(
  topic: string,
  count: number,
  generator: Omit<GeneratorOptions, "encode"> = {},
  flags: string[] = [],
): Promise<void> {
  const { seed, corruptRate, invalidRate } = generator;
  const result = await runScript("producer.ts", [
    `--count=${count}`,
    ...(seed === undefined ? [] : [`--seed=${seed}`]),
    ...(corruptRate === undefined ? [] : [`--corrupt-rate=${corruptRate}`]),
    ...(invalidRate === undefined ? [] : [`--invalid-rate=${invalidRate}`]),
    `--topic=${topic}`,
    `--dlq-topic=${topic}-dlq`,
    "--quiet",
    ...flags,
  ], await brokerEnv());
  assert.equal(result.code, 0, result.stderr);
}

/** Integration tests share one broker and leave kafkajs timers behind: no op/resource sanitizers. */
export const INTEGRATION = { sanitizeOps: false, sanitizeResources: false } as const;

/** The exact outcome a run should reach, computed from the generator and the failure simulation. */
export interface GroundTruth {
  /** Orders that end in the aggregate. */
  aggregate: AggregateSummary;
  /** Records that end in the DLQ, by error type. */
  deadLetters: { deserialization: number; validation: number; processing: number };
  /** Retries the consumer makes in total. */
  retries: number;
  records: GeneratedRecord[];
}

/**
 * Computes the ground truth of producing `count` records with `generator`
 * options and consuming them with the given failure simulation.
 */
export function groundTruth(
  count: number,
  generator: GeneratorOptions,
  simulation: { failRate?: number; seed?: number; maxRetries?: number } = {},
): GroundTruth {
  const { failRate = 0, seed = 42, maxRetries = 3 } = simulation;
  const records = generateRecords(count, generator);
  const agg = emptyAggregate();
  const deadLetters = { deserialization: 0, validation: 0, processing: 0 };
  let retries = 0;
  for (const r of records) {
    if (r.kind === "corrupt") deadLetters.deserialization += 1;
    else if (r.kind === "invalid") deadLetters.validation += 1;
    else {
      const outcome = expectedOutcome(seed, r.order.orderId, failRate, maxRetries);
      retries += outcome.retries;
      if (outcome.deadLettered) deadLetters.processing += 1;
      else addCents(agg, toCents(Math.fround(r.order.price)));
    }
  }
  return { aggregate: summarize(agg), deadLetters, retries, records };
}

/** Parses the JSON lines a script printed with `--json`. */
export function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
}
