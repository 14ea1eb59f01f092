/**
 * Fixtures of the DLQ tests: the context of a common dead letter, and fake
 * kafkajs clients for the monitor's and the replayer's unit tests: just the
 * calls they make, each written to one shared log so a test can assert their
 * order, and a consumer that drops a commit made after `stop()` without a
 * word, as kafkajs does.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import type {
  Admin,
  Consumer,
  ConsumerRunConfig,
  EachBatchPayload,
  EachMessagePayload,
  KafkaMessage,
  Producer,
  ProducerBatch,
} from "kafkajs";
import type { DlqContext, Headers } from "./headers.ts";

/**
 * The context the consumer writes for an order of `orders-eu[1]@42` whose
 * processing failed four times, with `overrides` over it: the dead letter
 * most DLQ tests start from. A new object on each call, its date included.
 */
export function dlqContext(overrides: Partial<DlqContext> = {}): DlqContext {
  return {
    topic: "orders-eu",
    partition: 1,
    offset: "42",
    timestamp: "1700000000000",
    group: "order-processors",
    errorClass: "RetriesExhaustedError",
    errorMessage: "max retries exceeded: Simulated processing failure",
    errorType: "processing",
    attempts: 4,
    failedAt: new Date("2024-05-01T12:00:00.000Z"),
    ...overrides,
  };
}

/** The consumer's side of a fake: what a test drives and what it reads. */
export interface FakeConsumer {
  /** The fake, typed as the client the code under test takes. */
  consumer: Consumer;
  /** Resolves with the `consumer.run()` config once the code under test called it. */
  running: Promise<ConsumerRunConfig>;
  /** Emits a kafkajs instrumentation event (`GROUP_JOIN`, `END_BATCH_PROCESS`, `CRASH`). */
  emit(event: "GROUP_JOIN" | "END_BATCH_PROCESS" | "CRASH", payload: unknown): void;
  /** Emits `GROUP_JOIN` with `partitions` of `topic` assigned. */
  join(topic: string, partitions: number[]): void;
  /** Offsets committed before `stop()`, as `topic[partition]@offset`. */
  commits: string[];
}

/** A fake consumer writing `seek`, `pause`, `commit` and `stop` to `log`. */
export function fakeConsumer(log: string[]): FakeConsumer {
  const listeners = new Map<string, ((e: { payload: unknown }) => void)[]>();
  const commits: string[] = [];
  let stopped = false;
  let started!: (config: ConsumerRunConfig) => void;
  const running = new Promise<ConsumerRunConfig>((r) => (started = r));
  const events = {
    GROUP_JOIN: "consumer.group_join",
    END_BATCH_PROCESS: "consumer.end_batch_process",
    CRASH: "consumer.crash",
  };
  const fake = {
    events,
    on(event: string, listener: (e: { payload: unknown }) => void) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      return () => {};
    },
    subscribe: () => Promise.resolve(),
    run(config: ConsumerRunConfig) {
      started(config);
      return Promise.resolve();
    },
    seek({ topic, partition, offset }: { topic: string; partition: number; offset: string }) {
      log.push(`seek ${topic}[${partition}]@${offset}`);
    },
    pause(topics: { topic: string; partitions: number[] }[]) {
      for (const { topic, partitions } of topics) log.push(`pause ${topic}[${partitions}]`);
    },
    commitOffsets(offsets: { topic: string; partition: number; offset: string }[]) {
      // kafkajs drops a commit made after stop() without a word.
      if (stopped) return Promise.resolve();
      for (const { topic, partition, offset } of offsets) {
        commits.push(`${topic}[${partition}]@${offset}`);
        log.push(`commit ${topic}[${partition}]@${offset}`);
      }
      return Promise.resolve();
    },
    stop() {
      stopped = true;
      log.push("stop");
      return Promise.resolve();
    },
  };
  const emit = (event: keyof typeof events, payload: unknown) => {
    for (const listener of listeners.get(events[event]) ?? []) listener({ payload });
  };
  return {
    consumer: fake as unknown as Consumer,
    running,
    emit,
    join: (topic, partitions) => emit("GROUP_JOIN", { memberAssignment: { [topic]: partitions } }),
    commits,
  };
}

/**
 * A fake producer writing each `sendBatch` to `log` as
 * `send topic:count,…`; `send` decides how the send ends (at once by default).
 */
export function fakeProducer(
  log: string[],
  send: (batch: ProducerBatch) => Promise<void> = () => Promise.resolve(),
): { producer: Producer; batches: ProducerBatch[] } {
  const batches: ProducerBatch[] = [];
  const fake = {
    async sendBatch(batch: ProducerBatch) {
      batches.push(batch);
      const counts = (batch.topicMessages ?? []).map((t) => `${t.topic}:${t.messages.length}`);
      log.push(`send ${counts.join(",")}`);
      await send(batch);
      return [];
    },
  };
  return { producer: fake as unknown as Producer, batches };
}

/** A fake admin that knows `topics` and the `high` watermark per partition. */
export function fakeAdmin(
  topics: string[],
  high: Map<number, bigint> = new Map(),
): Admin {
  const fake = {
    listTopics: () => Promise.resolve([...topics]),
    fetchTopicOffsets: () =>
      Promise.resolve(
        [...high].map(([partition, h]) => ({
          partition,
          offset: String(h),
          high: String(h),
          low: "0",
        })),
      ),
  };
  return fake as unknown as Admin;
}

/** A DLQ record as kafkajs hands it over. */
export function fakeMessage(
  offset: string,
  headers: Headers = {},
  key = `k-${offset}`,
): KafkaMessage {
  return {
    offset,
    timestamp: "1714521600000",
    key: Buffer.from(key),
    value: Buffer.from([1, 2, 3]),
    headers,
    attributes: 0,
  } as unknown as KafkaMessage;
}

/** What a test reads back from a {@linkcode fakeBatch}. */
export interface FakeBatch {
  payload: EachBatchPayload;
  /** Offsets passed to `resolveOffset`. */
  resolved: string[];
}

/**
 * A fetched batch of `messages` from `topic[partition]`; `lastOffset` is
 * the batch's last offset, past the last message when transaction markers
 * follow it.
 */
export function fakeBatch(
  topic: string,
  partition: number,
  messages: KafkaMessage[],
  lastOffset = messages.at(-1)?.offset ?? "-1",
): FakeBatch {
  const resolved: string[] = [];
  const payload = {
    batch: { topic, partition, messages, lastOffset: () => lastOffset },
    resolveOffset: (offset: string) => resolved.push(offset),
    heartbeat: () => Promise.resolve(),
  };
  return { payload: payload as unknown as EachBatchPayload, resolved };
}

/** Hands `message` from `topic[partition]` to an `eachMessage` handler. */
export function messagePayload(
  topic: string,
  partition: number,
  message: KafkaMessage,
): EachMessagePayload {
  return { topic, partition, message } as unknown as EachMessagePayload;
}
