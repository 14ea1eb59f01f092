/**
 * The consumer's run loop: opens the clients, wires the stages (assignment,
 * the batch commit protocol, the DLQ sink, the idle exit) to kafkajs, and
 * after a stop drains the batches in flight and reads the committed
 * aggregate back.
 *
 * @module
 */
import type { Consumer } from "kafkajs";
import { AccessDeniedError } from "../kafka/access.ts";
import {
  followFilteredBatches,
  InFlight,
  stopOnCrash,
  stopSwitch,
  topicEnds,
} from "../kafka/lifecycle.ts";
import { KafkaSession } from "../kafka/session.ts";
import { ensurePipelineTopics } from "../kafka/topics.ts";
import type { Aggregate } from "../order/aggregate.ts";
import { HttpSchemaRegistry } from "../registry/client.ts";
import { RegistryOrderDecoder } from "../registry/decoder.ts";
import { followAssignments } from "./assignment.ts";
import { type BatchDeps, processBatch } from "./batch.ts";
import { readCommittedAggregate, readCommittedStates } from "./committed.ts";
import { DlqSink } from "./dlq_sink.ts";
import { GroupState } from "./group_state.ts";
import { Activity, watchIdle } from "./idle.ts";
import type { ConsumerConfig } from "./options.ts";
import type { ConsumerEvents } from "./output.ts";
import { type ConsumerMetrics, emptyConsumerMetrics } from "./report.ts";

export type { ConsumerEvents } from "./output.ts";

/** The result of {@linkcode runConsumer}. */
export interface ConsumerResult {
  metrics: ConsumerMetrics;
  /** The global aggregate read back from the committed offsets at the end. */
  aggregate: Aggregate;
  /** Set when the run stopped on a fatal condition. */
  fatal?: string;
}

/**
 * Runs the consumer until `signal` aborts, `maxMessages` records were
 * consumed, the idle limit passes or a fatal condition occurs.
 */
export async function runConsumer(
  config: ConsumerConfig,
  events: ConsumerEvents = {},
  signal?: AbortSignal,
): Promise<ConsumerResult> {
  const session = await KafkaSession.open(config, "order-consumer");
  try {
    const { partitions, layout } = await ensurePipelineTopics(session.admin, config);
    if (layout !== undefined) events.line?.(layout.join("\n"));
    // Bounded retries: an unwritable DLQ fails the batch, which is redone.
    const producer = await session.producer();
    const consumer = await session.consumer({
      groupId: config.group,
      sessionTimeout: config.sessionTimeoutMs,
      heartbeatInterval: config.heartbeatIntervalMs,
      // Long enough for a backoff to notice a rebalance and finish its commit.
      rebalanceTimeout: Math.max(60_000, config.sessionTimeoutMs),
      // While every partition is paused (as on each join, until its state is
      // loaded) kafkajs sleeps this long between fetches: keep resumes quick.
      maxWaitTimeInMs: 500,
      // kafkajs decodes a whole fetch into objects before the first record is
      // handled, and they live until every batch of it is done: with the
      // default 1 MB per partition that is ~140,000 orders, and the consumer
      // peaked at ~550 MB RSS over 1M orders. 32 KB kept it at 150-195 MB;
      // 16 KB (a batch or two per partition and fetch), with the tasks' V8
      // heap sizing (lib/cli/subprocess.ts), keeps it under 100 MB for ~10%
      // more wall time than 32 KB (`deno task bench -- --with-1m`).
      maxBytesPerPartition: 16 * 1024,
    });
    const dlq = new DlqSink(producer, config.dlqTopic, partitions.get(config.dlqTopic)!);
    return await consume(config, session, dlq, consumer, {
      events,
      signal,
    });
  } finally {
    await session.close();
  }
}

async function consume(
  config: ConsumerConfig,
  session: KafkaSession,
  dlq: DlqSink,
  consumer: Consumer,
  { events, signal }: { events: ConsumerEvents; signal?: AbortSignal },
): Promise<ConsumerResult> {
  const { admin } = session;
  const run = stopSwitch(signal);
  const group = new GroupState();
  const activity = new Activity();
  const readCommitted = async () => {
    const [committed, logs] = await Promise.all([
      readCommittedStates(admin, config.group, config.topic),
      admin.fetchTopicOffsets(config.topic),
    ]);
    return { committed, logs };
  };
  // What every stage shares: the settings, the group's state, the counters and the output.
  const shared = {
    config,
    group,
    metrics: emptyConsumerMetrics(),
    run,
    events,
    touch: () => activity.touch(),
  };
  events.started?.({ metrics: shared.metrics, group, readOffsets: readCommitted });

  followAssignments({
    ...shared,
    consumer,
    readCommitted,
  }, consumer);
  stopOnCrash(consumer, run, (t) => events.warn?.(t), {
    group: { operation: "Read", resource: "group", name: config.group },
    topic: { operation: "Read", resource: "topic", name: config.topic },
  });
  followFilteredBatches(consumer, config.topic, (p, next) => group.skipped(p, next));
  // kafkajs stops the consumer (its group gone) before restarting it after a
  // crash, such as a connection to a broker that died: the generation ends
  // there, so a state load still running for it does not touch the consumer.
  consumer.on(consumer.events.STOP, () => group.left());

  const deps: BatchDeps = {
    ...shared,
    // One decoder for the run: every batch shares its cache of writer schemas.
    decoder: config.schemaRegistry !== undefined
      ? new RegistryOrderDecoder(new HttpSchemaRegistry(config.schemaRegistry))
      : undefined,
    commit: (partition, offset, metadata) =>
      consumer.commitOffsets([{ topic: config.topic, partition, offset, metadata }]),
    sendDlq: (partition, messages) => dlq.send(partition, messages),
    logStart: async (partition) => (await topicEnds(admin, config.topic)).get(partition)?.low ?? 0n,
  };
  const inFlight = new InFlight();
  await consumer.subscribe({ topic: config.topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: config.concurrency,
    eachBatch: (payload) => inFlight.track(processBatch(deps, payload)),
  });

  const stopWatching = watchIdle({
    idleExitMs: config.idleExitMs,
    group,
    activity,
    run,
    highs: async () =>
      new Map([...await topicEnds(admin, config.topic)].map(([p, e]) => [p, e.high])),
  });
  try {
    await run.done;
    await inFlight.drain();
  } finally {
    stopWatching();
    await consumer.stop();
  }

  // Refused: nothing was consumed or committed, and the group cannot be read back.
  const denied = run.fatalError();
  if (denied instanceof AccessDeniedError) throw denied;
  // A partition whose state does not decode was reported when it was loaded.
  const { aggregate } = await readCommittedAggregate(admin, config.group, config.topic);
  return { metrics: shared.metrics, aggregate, fatal: run.fatal() };
}
