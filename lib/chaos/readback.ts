/**
 * Reading the soak's topics back once it is over: every record of the
 * orders topic and of its DLQ, up to their ends, with a throwaway group,
 * and whether the consumers' group has committed up to those ends.
 *
 * @module
 */
import type { Admin, Kafka, KafkaMessage } from "kafkajs";
import { parseDlqHeaders } from "../dlq/headers.ts";
import type { DeadLetter, TopicRecord } from "./verdict.ts";

/** How long reading one topic back may take. */
export const READ_TIMEOUT_MS = 120_000;

/** The high watermark of each partition of `topic`. */
async function highs(admin: Admin, topic: string): Promise<Map<number, bigint>> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
}

/**
 * Whether `group` has committed every partition of `topic` up to its end:
 * the consumers have caught up with everything produced.
 */
export async function caughtUp(admin: Admin, group: string, topic: string): Promise<boolean> {
  const ends = await highs(admin, topic);
  const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
  const at = new Map(committed.partitions.map((p) => [p.partition, BigInt(p.offset)]));
  return [...ends].every(([partition, end]) => end === 0n || (at.get(partition) ?? -1n) >= end);
}

/** Calls `each` with every message of `topic` up to its current end, in no particular order. */
async function readAll(
  kafka: Kafka,
  admin: Admin,
  topic: string,
  each: (partition: number, message: KafkaMessage) => void,
): Promise<void> {
  const ends = await highs(admin, topic);
  if ([...ends.values()].every((end) => end === 0n)) return;
  const consumer = kafka.consumer({
    groupId: `chaos-reader-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    maxWaitTimeInMs: 200,
  });
  await consumer.connect();
  try {
    const positions = new Map<number, bigint>();
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const complete = () =>
      [...ends].every(([p, end]) => end === 0n || (positions.get(p) ?? 0n) >= end);
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: ({ batch }) => {
        const end = ends.get(batch.partition) ?? 0n;
        for (const message of batch.messages) {
          if (BigInt(message.offset) < end) each(batch.partition, message);
        }
        positions.set(batch.partition, BigInt(batch.lastOffset()) + 1n);
        if (complete()) done();
        return Promise.resolve();
      },
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`reading ${topic} back took over ${READ_TIMEOUT_MS / 1000} s`)),
        READ_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([finished, timeout]);
    } finally {
      clearTimeout(timer);
    }
  } finally {
    await consumer.disconnect();
  }
}

/** Every record of the orders topic: key, partition, offset and create time. */
export async function readOrders(
  kafka: Kafka,
  admin: Admin,
  topic: string,
): Promise<TopicRecord[]> {
  const records: TopicRecord[] = [];
  await readAll(kafka, admin, topic, (partition, message) => {
    records.push({
      key: message.key?.toString() ?? null,
      partition,
      offset: message.offset,
      timestamp: Number(message.timestamp),
    });
  });
  return records;
}

/** Every record of the DLQ: key, error type and origin. */
export async function readDeadLetters(
  kafka: Kafka,
  admin: Admin,
  topic: string,
): Promise<DeadLetter[]> {
  const records: DeadLetter[] = [];
  await readAll(kafka, admin, topic, (_, message) => {
    const headers = parseDlqHeaders(message.headers as Parameters<typeof parseDlqHeaders>[0]);
    records.push({
      key: message.key?.toString() ?? null,
      errorType: headers.errorType,
      partition: headers.partition,
      offset: headers.offset,
    });
  });
  return records;
}
