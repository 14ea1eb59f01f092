/**
 * One batch of orders, sent: the producer's own attempts (on top of the
 * client's retries) with the shared backoff of `lib/retry.ts`, then the
 * dead-letter topic, then, if even that fails, a `lost` event so the caller
 * can log the orders in full. Every order ends in exactly one of those places.
 *
 * Each partition's orders go in a request of their own (all at once): a
 * request that spans partitions led by different brokers is not safe to
 * retry. kafkajs keeps the answers of the brokers that took their part and,
 * when a leader moves to one of those, skips the moved partition while
 * reporting success; and our own attempt would send the stored part again
 * under new sequence numbers, which idempotence cannot recognise. With one
 * partition per request a send is stored whole or not at all, and every
 * retry reuses the sequence numbers kafkajs rolled back.
 *
 * @module
 */
import type { Message, Producer, RecordMetadata } from "kafkajs";
import { buildDlqHeaders } from "../dlq/headers.ts";
import { describeError } from "../kafka/errors.ts";
import { groupedByPartition } from "../kafka/kafkajs_patch.ts";
import { LatencyRecorder } from "../metrics/latency.ts";
import type { GeneratedRecord } from "../order/generator.ts";
import { RetriesExhaustedError, retryWithBackoff } from "../retry.ts";
import { COMPRESSION, type ProducerConfig, sendRetry } from "./options.ts";

/** An order waiting in a batch. */
export interface Pending {
  record: GeneratedRecord;
  partition: number;
  /** When the order was made, on the `performance.now()` clock. */
  enqueuedAt: number;
}

/** A delivered record, as the producer reports it. */
export interface Delivery {
  record: GeneratedRecord;
  topic: string;
  partition: number;
  offset: string;
  latencyMs: number;
}

/** Hooks for what a run reports; the CLI prints, the bench and tests may count. */
export interface ProducerEvents {
  /** Called once the run's sender exists, with its counts (updated in place) for collectors. */
  started?(counts: Readonly<SendCounts>): void;
  delivered?(d: Delivery): void;
  retrying?(
    records: number,
    attempt: number,
    attempts: number,
    delayMs: number,
    error: unknown,
  ): void;
  deadLettered?(record: GeneratedRecord, error: unknown): void;
  lost?(record: GeneratedRecord, error: unknown, dlqError: unknown): void;
}

/** What a {@linkcode BatchSender} did so far, counted per order. */
export interface SendCounts {
  produced: number;
  /** Failed send attempts, counted per order, including those later delivered. */
  failedAttempts: number;
  sentToDlq: number;
  unsent: number;
}

/** The settings a {@linkcode BatchSender} reads. */
export type SendSettings =
  & Pick<
    ProducerConfig,
    "topic" | "dlqTopic" | "compression" | "attempts" | "retryBackoffMs" | "partitions"
  >
  & Pick<Partial<ProducerConfig>, "dlqPartitions">;

/** Options for {@linkcode BatchSender}. */
export interface BatchSenderOptions {
  /** @default {{}} */
  events?: ProducerEvents;
  /** Waits between attempts; tests pass one that does not. @default {setTimeout} */
  sleep?: (ms: number) => Promise<void>;
  /** The clock of `Pending.enqueuedAt`. @default {() => performance.now()} */
  now?: () => number;
}

/** The last create time turned into text, and its text: hundreds of orders share each ms. */
let lastMs = Number.NaN;
let lastText = "";

/** The create time of a pending order, in ms since the epoch, as kafkajs takes it. */
function createTime(p: Pending): string {
  // The create time is when the order was made: the consumer measures
  // end-to-end latency from it.
  const ms = Math.round(performance.timeOrigin + p.enqueuedAt);
  if (ms !== lastMs) {
    lastMs = ms;
    lastText = String(ms);
  }
  return lastText;
}

/**
 * The offset of each record of `batch` from the acks of its one request:
 * records of a partition were appended in batch order from its base offset;
 * `"-1"` for a partition without an ack.
 *
 * @example
 * ```ts
 * import { deliveredOffsets } from "./send.ts";
 * deliveredOffsets([{ partition: 0 }, { partition: 1 }, { partition: 0 }], [
 *   { topicName: "t", partition: 0, errorCode: 0, baseOffset: "10" },
 *   { topicName: "t", partition: 1, errorCode: 0, baseOffset: "4" },
 * ]); // ["10", "4", "11"]
 * ```
 */
export function deliveredOffsets(
  batch: readonly { partition: number }[],
  acks: readonly RecordMetadata[],
): string[] {
  const bases = new Map(acks.map((a) => [a.partition, BigInt(a.baseOffset ?? "-1")]));
  // Each partition's next offset, as a number while that is exact (always,
  // in practice): a BigInt sum per record was a third of the ack's cost.
  const next = new Map<number, number | bigint>();
  return batch.map((p) => {
    let offset = next.get(p.partition);
    if (offset === undefined) {
      const base = bases.get(p.partition) ?? -1n;
      const safe = base >= 0n && base + BigInt(batch.length) <= BigInt(Number.MAX_SAFE_INTEGER);
      offset = safe ? Number(base) : base;
    }
    next.set(p.partition, typeof offset === "number" ? offset + 1 : offset + 1n);
    return String(offset);
  });
}

/**
 * Sends batches through one connected kafkajs producer and counts what
 * became of every order. Send one batch at a time (`queue.ts` says why).
 */
export class BatchSender {
  /** Orders by outcome so far. */
  readonly counts: SendCounts = { produced: 0, failedAttempts: 0, sentToDlq: 0, unsent: 0 };
  /** Ack latency of every delivered order, in ms. */
  readonly latency: LatencyRecorder = new LatencyRecorder();
  readonly #producer: Pick<Producer, "sendBatch">;
  readonly #settings: SendSettings;
  readonly #events: ProducerEvents;
  readonly #sleep?: (ms: number) => Promise<void>;
  readonly #now: () => number;

  constructor(
    producer: Pick<Producer, "sendBatch">,
    settings: SendSettings,
    options: BatchSenderOptions = {},
  ) {
    this.#producer = producer;
    this.#settings = settings;
    this.#events = options.events ?? {};
    this.#sleep = options.sleep;
    this.#now = options.now ?? (() => performance.now());
  }

  /**
   * Sends `batch` to the topic, one request per partition, each in up to
   * `attempts` attempts, then to the DLQ; resolves once every order of it is
   * delivered, dead-lettered or lost. Rejects only if the injected `sleep`
   * does.
   */
  async send(batch: Pending[]): Promise<void> {
    const byPartition = new Map<number, Pending[]>();
    for (const p of batch) {
      const part = byPartition.get(p.partition);
      if (part === undefined) byPartition.set(p.partition, [p]);
      else part.push(p);
    }
    await Promise.all([...byPartition.values()].map((part) => this.#sendPartition(part)));
  }

  /** Sends the orders of one partition: attempts, then the DLQ. */
  async #sendPartition(batch: Pending[]): Promise<void> {
    const { topic, compression } = this.#settings;
    const messages: Message[] = groupedByPartition(batch.map((p) => ({
      key: p.record.key,
      value: p.record.value,
      partition: p.partition,
      timestamp: createTime(p),
    })));
    let acks: RecordMetadata[];
    try {
      ({ value: acks } = await retryWithBackoff(async () => {
        try {
          return await this.#producer.sendBatch({
            topicMessages: [{ topic, messages }],
            acks: -1,
            compression: COMPRESSION[compression],
          });
        } catch (error) {
          this.counts.failedAttempts += batch.length;
          throw error;
        }
      }, {
        ...sendRetry(this.#settings),
        sleep: this.#sleep,
        // Every failure is tried again, whatever its kind: the client has
        // already retried what it knows to be transient, and a batch that
        // still fails belongs in the DLQ, not in an exception.
        isRetriable: () => true,
        onRetry: (error, attempt, total, delayMs) =>
          this.#events.retrying?.(batch.length, attempt, total, delayMs, error),
      }));
    } catch (error) {
      // With every failure retried, only running out of attempts ends here.
      if (!(error instanceof RetriesExhaustedError)) throw error;
      await this.#deadLetter(batch, error.cause, error.attempts);
      return;
    }
    this.#delivered(batch, acks);
  }

  #delivered(batch: Pending[], acks: RecordMetadata[]): void {
    const now = this.#now();
    const offsets = deliveredOffsets(batch, acks);
    batch.forEach((p, i) => {
      const ms = now - p.enqueuedAt;
      this.latency.record(ms);
      this.counts.produced += 1;
      this.#events.delivered?.({
        record: p.record,
        topic: this.#settings.topic,
        partition: p.partition,
        offset: offsets[i],
        latencyMs: ms,
      });
    });
  }

  async #deadLetter(batch: Pending[], error: unknown, attempts: number): Promise<void> {
    const { topic, dlqTopic, partitions, dlqPartitions = partitions } = this.#settings;
    const failedAt = new Date();
    // The DLQ partition of the orders' own partition: again one partition per request.
    const partition = batch[0].partition % dlqPartitions;
    const messages: Message[] = batch.map((p) => ({
      key: p.record.key,
      value: p.record.value,
      partition,
      headers: buildDlqHeaders(undefined, {
        topic,
        partition: p.partition,
        // Never written: there is no original offset.
        offset: "-1",
        timestamp: createTime(p),
        group: "",
        errorClass: error instanceof Error ? error.name : "Error",
        errorMessage: `send failed after ${attempts} attempts: ${describeError(error)}`,
        errorType: "production",
        attempts,
        failedAt,
      }),
    }));
    try {
      await this.#producer.sendBatch({ topicMessages: [{ topic: dlqTopic, messages }], acks: -1 });
      this.counts.sentToDlq += batch.length;
      for (const p of batch) this.#events.deadLettered?.(p.record, error);
    } catch (dlqError) {
      this.counts.unsent += batch.length;
      for (const p of batch) this.#events.lost?.(p.record, error, dlqError);
    }
  }
}
