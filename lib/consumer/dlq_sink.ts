/**
 * The consumer's dead-letter sink: a failed record becomes a DLQ message
 * with its original key, value and headers plus the failure's context, and
 * the messages are written strictly one batch at a time.
 *
 * @module
 */
import type { Buffer } from "node:buffer";
import type { KafkaMessage, Producer } from "kafkajs";
import { buildDlqHeaders, type Headers } from "../dlq/headers.ts";
import type { ErrorType } from "../errors.ts";

/** A record bound for the DLQ, as kafkajs sends it. */
export interface DlqMessage {
  key: Buffer | null;
  value: Buffer | null;
  headers: Headers;
}

/** Why a record failed, for its DLQ headers. */
export interface Failure {
  type: ErrorType;
  error: Error;
  attempts: number;
}

/**
 * The DLQ message for `message`, read from `topic[partition]` by `group`:
 * the original bytes untouched, the failure in the headers. Pure but for
 * the failure time, which `failedAt` fixes in tests.
 */
export function dlqMessage(
  message: Pick<KafkaMessage, "key" | "value" | "headers" | "offset" | "timestamp">,
  where: { topic: string; partition: number; group: string },
  failure: Failure,
  failedAt: Date = new Date(),
): DlqMessage {
  return {
    key: message.key,
    value: message.value as Buffer | null,
    headers: buildDlqHeaders(message.headers as Headers | undefined, {
      topic: where.topic,
      partition: where.partition,
      offset: message.offset,
      timestamp: message.timestamp,
      group: where.group,
      errorClass: failure.error.name,
      errorMessage: failure.error.message,
      errorType: failure.type,
      attempts: failure.attempts,
      failedAt,
    }),
  };
}

/**
 * Writes DLQ messages through one idempotent producer, one send at a time
 * across all partitions: concurrent sends through one idempotent producer
 * can lose a batch after a client-side failure (kafkajs rolls sequence
 * numbers back while another send waits on its lock).
 *
 * Each send goes to one DLQ partition, the input partition's modulo the
 * DLQ's count: a request that spans partitions led by different brokers is
 * not safe to retry through a leader change (see `lib/producer/send.ts`),
 * and it keeps each input partition's dead letters in order.
 */
export class DlqSink {
  readonly #producer: Pick<Producer, "sendBatch">;
  readonly #topic: string;
  readonly #partitions: number;
  #chain: Promise<unknown> = Promise.resolve();

  /** `partitions` is the DLQ topic's partition count. */
  constructor(producer: Pick<Producer, "sendBatch">, topic: string, partitions: number) {
    this.#producer = producer;
    this.#topic = topic;
    this.#partitions = partitions;
  }

  /**
   * Sends `messages`, the dead letters of input partition `origin`, to one
   * DLQ partition with acks=all, after every send before it has settled.
   */
  send(origin: number, messages: DlqMessage[]): Promise<void> {
    const partition = origin % this.#partitions;
    const topicMessages = [{
      topic: this.#topic,
      messages: messages.map((message) => ({ ...message, partition })),
    }];
    const sending = this.#chain.then(() => this.#producer.sendBatch({ topicMessages, acks: -1 }))
      .then(() => {});
    this.#chain = sending.catch(() => {});
    return sending;
  }
}
