/**
 * What the dashboard follows on the broker as it happens, each with a
 * consumer group of its own that never commits (so it moves no one's
 * position) and starts at the end: the orders topic (each record's
 * timestamp), the offset-commit log's partition that holds the group's
 * commits (when each offset was committed), and the DLQ from its oldest
 * record, through the DLQ monitor.
 *
 * @module
 */
import type { Consumer } from "kafkajs";
import { runMonitor } from "../dlq/monitor.ts";
import type { DlqView } from "../dlq/summary.ts";
import { describeError } from "../kafka/errors.ts";
import type { KafkaSession } from "../kafka/session.ts";
import type { CommitLatency } from "./commit_latency.ts";
import { decodeOffsetCommit, OFFSETS_TOPIC, offsetsPartition } from "./offsets_log.ts";
import { dashboardDlqConfig, type UiConfig } from "./options.ts";

/** How long a follower waits for records in one fetch; stopping waits for it. */
const FETCH_WAIT_MS = 250;

/** How long a failed follower waits before it starts again. */
export const RESTART_MS = 2000;

function followerGroup(what: string): string {
  return `order-dashboard-${what}-${crypto.randomUUID().slice(0, 8)}`;
}

/** Follows new records of the orders topic into `latency`. */
export async function followOrders(
  session: KafkaSession,
  config: UiConfig,
  latency: CommitLatency,
): Promise<Consumer> {
  const consumer = await session.consumer({
    groupId: followerGroup("orders"),
    maxWaitTimeInMs: FETCH_WAIT_MS,
  });
  await consumer.subscribe({ topic: config.topic, fromBeginning: false });
  await consumer.run({
    autoCommit: false,
    partitionsConsumedConcurrently: 3,
    eachBatch: ({ batch }) => {
      for (const m of batch.messages) {
        latency.appended(batch.partition, BigInt(m.offset), Number(m.timestamp));
      }
      return Promise.resolve();
    },
  });
  return consumer;
}

/**
 * Follows the group's new commits in the offset-commit log into `latency`.
 * Only the log's partition the coordinator keeps the group on is read: the
 * others are paused as soon as they are assigned.
 */
export async function followCommits(
  session: KafkaSession,
  config: UiConfig,
  latency: CommitLatency,
): Promise<Consumer> {
  const { topics } = await session.admin.fetchTopicMetadata({ topics: [OFFSETS_TOPIC] });
  const count = topics[0]?.partitions.length ?? 0;
  if (count === 0) throw new Error(`${OFFSETS_TOPIC} has no partitions yet`);
  const ours = offsetsPartition(config.group, count);
  const consumer = await session.consumer({
    groupId: followerGroup("commits"),
    maxWaitTimeInMs: FETCH_WAIT_MS,
  });
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    const others = (e.payload.memberAssignment[OFFSETS_TOPIC] ?? []).filter((p) => p !== ours);
    if (others.length > 0) consumer.pause([{ topic: OFFSETS_TOPIC, partitions: others }]);
  });
  await consumer.subscribe({ topic: OFFSETS_TOPIC, fromBeginning: false });
  await consumer.run({
    // Never commit here: a commit would itself be a record in this log.
    autoCommit: false,
    eachBatch: ({ batch }) => {
      if (batch.partition !== ours) return Promise.resolve();
      for (const m of batch.messages) {
        const c = decodeOffsetCommit(m.key, m.value);
        if (c?.group === config.group && c.topic === config.topic) {
          latency.committed(c.partition, c.offset, c.commitTimestamp);
        }
      }
      return Promise.resolve();
    },
  });
  return consumer;
}

/**
 * Runs the DLQ monitor over the whole DLQ, handing every dead letter to
 * `seen`, until `signal` aborts; starts it again (after `restarted()`, with
 * the DLQ read anew) whenever it stops on its own, e.g. with the broker gone.
 */
export async function watchDeadLetters(
  config: UiConfig,
  handlers: { seen(view: DlqView): void; restarted(): void; warn(text: string): void },
  signal: AbortSignal,
): Promise<void> {
  while (!signal.aborted) {
    try {
      const result = await runMonitor(
        dashboardDlqConfig(config, { group: followerGroup("dlq"), fromBeginning: true }),
        { seen: handlers.seen, warn: handlers.warn },
        signal,
      );
      if (result.fatal !== undefined) handlers.warn(`DLQ watch stopped: ${result.fatal}`);
    } catch (error) {
      handlers.warn(`DLQ watch failed: ${describeError(error)}`);
    }
    if (signal.aborted) return;
    await new Promise((resolve) => setTimeout(resolve, RESTART_MS));
    handlers.restarted();
  }
}
