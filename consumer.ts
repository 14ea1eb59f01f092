/**
 * Consumes `orders` in a consumer group: decodes, validates and processes each
 * order with retries and exponential backoff, sends what finally fails to
 * `orders-dlq` with its original bytes and context headers, and keeps an exact
 * aggregate per input partition, committed atomically with the partition's
 * offset in the offset-commit metadata.
 *
 * Usage: `deno task consume -- [flags]`; see {@linkcode USAGE}.
 *
 * @module
 */
import type { Buffer } from "node:buffer";
import type { Admin, Consumer, EachBatchPayload, KafkaMessage, Producer } from "kafkajs";
import { FatalError, UsageError } from "./lib/errors.ts";
import { parseCli, parseNumber } from "./lib/cli/args.ts";
import { resolveBrokers } from "./lib/cli/flags.ts";
import { runMain, shutdownSignal, writeLine } from "./lib/cli/main.ts";
import { addCents, type Aggregate, mergeAggregates, summarize } from "./lib/order/aggregate.ts";
import { encodeState, type PartitionState } from "./lib/consumer/state_codec.ts";
import { formatMoney, toCents } from "./lib/order/money.ts";
import type { Order } from "./lib/order/codec.ts";
import { PartitionStateError, stateFromCommit } from "./lib/consumer/partition_state.ts";
import { readCommittedAggregate, readCommittedStates } from "./lib/consumer/committed.ts";
import { type ConsumerMetrics, resultLines } from "./lib/consumer/report.ts";
import { buildDlqHeaders, type Headers } from "./lib/dlq/headers.ts";
import { connectWithin, createKafka, idempotentProducer } from "./lib/kafka/client.ts";
import { describeError } from "./lib/kafka/errors.ts";
import { formatDelay } from "./lib/metrics/latency.ts";
import { decodeAndValidate, processOrder } from "./lib/order/process.ts";
import { classifyError, RetriesExhaustedError, retryWithBackoff } from "./lib/retry.ts";
import { type ErrorType } from "./lib/errors.ts";
import { DEFAULT_PARTITIONS, ensureTopics } from "./lib/kafka/topics.ts";
import { DEFAULT_MAX_PRICE } from "./lib/order/validate.ts";

/** The command-line help. */
export const USAGE = `Usage: deno task consume -- [flags]

Consumes orders, keeps an exact live aggregate and dead-letters what fails.

  --brokers LIST            bootstrap brokers (default $KAFKA_BROKERS or 127.0.0.1:9092)
  --topic NAME              topic to consume (default orders)
  --dlq-topic NAME          dead-letter topic (default orders-dlq)
  --group ID                consumer group (default order-processors)
  --partitions N            partitions when the topics are created (default 3)
  --fail-rate P             simulated transient failure rate per attempt (default 0)
  --seed N                  seed of the simulated failures (default 42)
  --retries N               retries after the first attempt (default 3)
  --backoff-ms MS           first retry delay (default 1000)
  --backoff-multiplier X    delay factor per retry (default 2)
  --backoff-max-ms MS       cap on one delay (default 30000)
  --jitter F                random share taken off each delay, 0..1 (default 0)
  --max-price DOLLARS       largest valid price (default 100000)
  --max-messages N          stop after N records
  --idle-exit S             stop once no record arrived for S seconds
  --session-timeout MS      group session timeout (default 30000)
  --heartbeat-interval MS   heartbeat interval (default 3000)
  --concurrency N           partitions processed at once (default 3)
  --connect-timeout S       give up on an unreachable broker after S seconds (default 30)
  --quiet                   print only the final metrics
  --json                    one JSON object per line
  --help                    show this help`;

/** Everything a consumer run needs. */
export interface ConsumerConfig {
  brokers: string[];
  topic: string;
  dlqTopic: string;
  group: string;
  partitions: number;
  failRate: number;
  seed: number;
  maxRetries: number;
  backoffMs: number;
  backoffMultiplier: number;
  backoffMaxMs: number;
  jitter: number;
  maxPrice: number;
  maxMessages: number;
  idleExitMs: number;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  concurrency: number;
  connectTimeoutMs: number;
  output: "text" | "quiet" | "json";
}

/** Parses the command line into a {@linkcode ConsumerConfig}; throws UsageError. */
export function parseConsumerArgs(args: string[]): ConsumerConfig | "help" {
  const { values } = parseCli(args, {
    options: {
      brokers: { type: "string" },
      topic: { type: "string" },
      "dlq-topic": { type: "string" },
      group: { type: "string" },
      partitions: { type: "string" },
      "fail-rate": { type: "string" },
      seed: { type: "string" },
      retries: { type: "string" },
      "backoff-ms": { type: "string" },
      "backoff-multiplier": { type: "string" },
      "backoff-max-ms": { type: "string" },
      jitter: { type: "string" },
      "max-price": { type: "string" },
      "max-messages": { type: "string" },
      "idle-exit": { type: "string" },
      "session-timeout": { type: "string" },
      "heartbeat-interval": { type: "string" },
      concurrency: { type: "string" },
      "connect-timeout": { type: "string" },
      quiet: { type: "boolean" },
      json: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return "help";
  if (values.quiet && values.json) throw new UsageError("--quiet and --json cannot be combined");
  const sessionTimeoutMs = parseNumber("session-timeout", values["session-timeout"], 30_000, {
    min: 1000,
    integer: true,
  });
  const heartbeatIntervalMs = parseNumber(
    "heartbeat-interval",
    values["heartbeat-interval"],
    3000,
    {
      min: 100,
      integer: true,
    },
  );
  if (heartbeatIntervalMs >= sessionTimeoutMs) {
    throw new UsageError(
      `--heartbeat-interval must be below --session-timeout: current values are ${heartbeatIntervalMs} and ${sessionTimeoutMs}`,
    );
  }
  return {
    brokers: resolveBrokers(values.brokers),
    topic: values.topic ?? "orders",
    dlqTopic: values["dlq-topic"] ?? "orders-dlq",
    group: values.group ?? "order-processors",
    partitions: parseNumber("partitions", values.partitions, DEFAULT_PARTITIONS, {
      min: 1,
      integer: true,
    }),
    failRate: parseNumber("fail-rate", values["fail-rate"], 0, { min: 0, max: 1 }),
    seed: parseNumber("seed", values.seed, 42, { integer: true }),
    maxRetries: parseNumber("retries", values.retries, 3, { min: 0, max: 100, integer: true }),
    backoffMs: parseNumber("backoff-ms", values["backoff-ms"], 1000, { min: 0 }),
    backoffMultiplier: parseNumber("backoff-multiplier", values["backoff-multiplier"], 2, {
      min: 1,
    }),
    backoffMaxMs: parseNumber("backoff-max-ms", values["backoff-max-ms"], 30_000, { min: 0 }),
    jitter: parseNumber("jitter", values.jitter, 0, { min: 0, max: 1 }),
    maxPrice: parseNumber("max-price", values["max-price"], DEFAULT_MAX_PRICE, {
      min: 0.01,
      max: 131_072,
    }),
    maxMessages: parseNumber("max-messages", values["max-messages"], Infinity, {
      min: 1,
      integer: true,
    }),
    idleExitMs: parseNumber("idle-exit", values["idle-exit"], Infinity, { min: 0 }) * 1000,
    sessionTimeoutMs,
    heartbeatIntervalMs,
    concurrency: parseNumber("concurrency", values.concurrency, 3, {
      min: 1,
      max: 100,
      integer: true,
    }),
    connectTimeoutMs: parseNumber("connect-timeout", values["connect-timeout"], 30, { min: 0.1 }) *
      1000,
    output: values.json ? "json" : values.quiet ? "quiet" : "text",
  };
}

/** What a consumer run reports, besides counters. */
export interface ConsumerEvents {
  /** A line of output (already formatted for the chosen mode). */
  line?(text: string): void;
  /** A warning or error worth a human's attention. */
  warn?(text: string): void;
  /** Called after each order is added to the aggregate, with its end-to-end latency. */
  aggregated?(latencyMs: number): void;
}

/** The result of {@linkcode runConsumer}. */
export interface ConsumerResult {
  metrics: ConsumerMetrics;
  /** The global aggregate read back from the committed offsets at the end. */
  aggregate: Aggregate;
  /** Set when the run stopped on a fatal condition. */
  fatal?: string;
}

interface Outcome {
  order?: Order;
  cents?: number;
  dlq?: { type: ErrorType; error: Error; attempts: number };
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
  const kafka = createKafka({ brokers: config.brokers, clientId: "order-consumer" });
  const admin = kafka.admin();
  await connectWithin(admin, config.brokers, config.connectTimeoutMs);
  let producer: Producer | undefined;
  let consumer: Consumer | undefined;
  try {
    await ensureTopics(admin, [
      { topic: config.topic, partitions: config.partitions },
      { topic: config.dlqTopic, partitions: config.partitions },
    ]);
    // Bounded retries: an unwritable DLQ fails the batch, which is redone.
    producer = idempotentProducer(kafka);
    await connectWithin(producer, config.brokers, config.connectTimeoutMs);
    consumer = kafka.consumer({
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
      // peaked at ~550 MB RSS over 1M orders. 32 KB (~1,300 orders per
      // partition per fetch) keeps it at 150-195 MB, for some throughput lost
      // to the extra fetch and commit round trips (`deno task bench -- --with-1m`).
      maxBytesPerPartition: 32 * 1024,
    });
    await connectWithin(consumer, config.brokers, config.connectTimeoutMs);
    return await consume(config, admin, producer, consumer, events, signal);
  } finally {
    await consumer?.disconnect().catch(() => {});
    await producer?.disconnect().catch(() => {});
    await admin.disconnect().catch(() => {});
  }
}

async function consume(
  config: ConsumerConfig,
  admin: Admin,
  producer: Producer,
  consumer: Consumer,
  events: ConsumerEvents,
  signal?: AbortSignal,
): Promise<ConsumerResult> {
  const metrics: ConsumerMetrics = {
    consumed: 0,
    processed: 0,
    failed: 0,
    sentToDlq: 0,
    retries: 0,
    joins: 0,
    skippedDuplicates: 0,
  };
  const out = config.output;
  const emit = (text: string) => events.line?.(text);
  const warn = (text: string) => events.warn?.(text);

  // Committed state per partition of the current generation. Cleared on every
  // join: state is always reloaded from what was committed, never carried over.
  const states = new Map<number, PartitionState>();
  let epoch = 0;
  let assignment: number[] = [];
  let stopping = false;
  let fatal: string | undefined;
  let lastActivity = Date.now();
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const stop = (reason?: string) => {
    if (reason !== undefined && fatal === undefined) fatal = reason;
    stopping = true;
    finish();
  };
  signal?.addEventListener("abort", () => stop(), { once: true });

  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    epoch += 1;
    states.clear();
    skippedUpTo.clear();
    metrics.joins += 1;
    lastActivity = Date.now();
    const assigned = (e.payload.memberAssignment[config.topic] ?? []).join(", ");
    if (out === "json") {
      emit(
        JSON.stringify({
          event: "joined",
          group: config.group,
          partitions: e.payload.memberAssignment[config.topic] ?? [],
        }),
      );
    } else if (out === "text") {
      emit(`Joined group ${config.group}: partitions [${assigned}] of ${config.topic}`);
    }
    const partitions = e.payload.memberAssignment[config.topic] ?? [];
    assignment = partitions;
    if (partitions.length === 0) return;
    // Load every assigned partition's state before kafkajs fetches it: a
    // fetch at an offset retention already deleted makes kafkajs commit the
    // log start with empty metadata, wiping the committed aggregate. Paused
    // partitions are not fetched; a position below the log start is moved
    // with seek, which commits nothing while autoCommit is off.
    const tps = [{ topic: config.topic, partitions }];
    consumer.pause(tps);
    const myEpoch = epoch;
    retryWithBackoff(() => loadStates(partitions), {
      maxRetries: 3,
      initialMs: 500,
      // A bad committed state is permanent; a coordinator hiccup is not.
      isRetriable: (error) => !(error instanceof PartitionStateError),
    }).then(({ value: loaded }) => {
      if (myEpoch !== epoch) return;
      for (const [partition, { state, seekTo }] of loaded) {
        states.set(partition, state);
        if (seekTo !== undefined) consumer.seek({ topic: config.topic, partition, offset: seekTo });
      }
      consumer.resume(tps);
    }).catch((error) => {
      const message = error instanceof PartitionStateError
        ? error.message
        : `cannot load the committed state of ${config.topic}: ${describeError(error)}`;
      warn(`ERROR: ${message}`);
      stop(message);
    });
  });
  consumer.on(consumer.events.CRASH, (e) => {
    const error = e.payload.error;
    if (!e.payload.restart) stop(`consumer crashed: ${describeError(error)}`);
    else warn(`consumer error, restarting: ${describeError(error)}`);
  });

  const loadStates = async (
    partitions: number[],
  ): Promise<Map<number, { state: PartitionState; seekTo?: string }>> => {
    const [committed, logOffsets] = await Promise.all([
      readCommittedStates(admin, config.group, config.topic),
      admin.fetchTopicOffsets(config.topic),
    ]);
    const loaded = new Map<number, { state: PartitionState; seekTo?: string }>();
    for (const partition of partitions) {
      const log = logOffsets.find((o) => o.partition === partition);
      if (log === undefined) throw new Error(`no offsets for ${config.topic}[${partition}]`);
      const { state, warnings } = stateFromCommit(
        config.topic,
        partition,
        committed.get(partition),
        log,
      );
      for (const w of warnings) warn(`WARNING: ${w}`);
      if (BigInt(state.next) < BigInt(log.low)) {
        // Those records are gone (the warning said so): carry on from the log start.
        loaded.set(partition, { state: { ...state, next: log.low }, seekTo: log.low });
      } else {
        loaded.set(partition, { state });
      }
    }
    return loaded;
  };

  // Every assigned partition's committed state has reached the end of its log.
  const caughtUp = async (): Promise<boolean> => {
    if (metrics.joins === 0) return false;
    const assigned = assignment;
    if (assigned.some((p) => !states.has(p))) return false;
    const ends = await admin.fetchTopicOffsets(config.topic);
    return assigned.every((p) => {
      const high = BigInt(ends.find((o) => o.partition === p)?.high ?? "0");
      const reached = BigInt(states.get(p)!.next);
      return reached >= high || (skippedUpTo.get(p) ?? -1n) >= high;
    });
  };
  // kafkajs steps over a batch holding only transaction markers (or aborted
  // records) without calling eachBatch: note how far, so --idle-exit sees
  // the partition as caught up. Nothing of it belongs in the aggregate.
  const skippedUpTo = new Map<number, bigint>();
  consumer.on(consumer.events.END_BATCH_PROCESS, (e) => {
    if (e.payload.topic !== config.topic || e.payload.batchSize !== 0) return;
    skippedUpTo.set(e.payload.partition, BigInt(e.payload.lastOffset) + 1n);
  });

  const globalView = (current: number, working: Aggregate): Aggregate => {
    const parts: Aggregate[] = [working];
    for (const [p, s] of states) if (p !== current) parts.push(s.agg);
    return mergeAggregates(parts);
  };

  const sleepWithHeartbeat = async (
    ms: number,
    heartbeat: () => Promise<void>,
    isStale: () => boolean,
  ): Promise<void> => {
    // kafkajs heartbeats only between batches: a long backoff sleeps in
    // slices and heartbeats, so the group keeps this member. heartbeat()
    // throws when a rebalance starts, which abandons the record.
    const end = Date.now() + ms;
    for (;;) {
      const left = end - Date.now();
      if (left <= 0) return;
      await new Promise((resolve) => setTimeout(resolve, Math.min(left, 250)));
      if (stopping) throw new StopRequested();
      if (isStale()) throw new StopRequested();
      // Backing off is work in progress, not idleness.
      lastActivity = Date.now();
      await heartbeat();
    }
  };

  /**
   * Decodes, validates and makes the first processing attempt, all
   * synchronously: the outcome, or the first attempt's error when it must go
   * through {@linkcode retry}. Most records end here, so this path allocates
   * no promise or closure per record.
   */
  const handle = (
    message: KafkaMessage,
    partition: number,
  ): Outcome | { order: Order; firstError: unknown } => {
    let order: Order;
    try {
      order = decodeAndValidate(
        message.value,
        { topic: config.topic, partition, offset: message.offset },
        config.maxPrice,
      );
    } catch (error) {
      const { type } = classifyError(error);
      return { dlq: { type, error: error as Error, attempts: 1 } };
    }
    try {
      // processOrder is synchronous; were it to become async, this must await it.
      processOrder(order, 1, config);
      return { order, cents: toCents(order.price) };
    } catch (error) {
      return { order, firstError: error };
    }
  };

  /**
   * Continues after a failed first attempt exactly as retryWithBackoff would
   * have from the start: attempt 1 replays its error (processOrder is not
   * called twice), then retries with backoff until success, a permanent error
   * or exhaustion.
   */
  const retry = async (
    order: Order,
    firstError: unknown,
    payload: EachBatchPayload,
    beforeRetry: () => Promise<void>,
    print: (line: string) => void,
  ): Promise<Outcome> => {
    try {
      const { attempts } = await retryWithBackoff(
        (attempt) => {
          if (attempt === 1) throw firstError;
          return processOrder(order, attempt, config);
        },
        {
          maxRetries: config.maxRetries,
          initialMs: config.backoffMs,
          multiplier: config.backoffMultiplier,
          maxMs: config.backoffMaxMs,
          jitter: config.jitter,
          onRetry(error, attempt, total, delayMs) {
            metrics.retries += 1;
            if (out === "json") {
              print(
                JSON.stringify({
                  event: "retry",
                  orderId: order.orderId,
                  attempt,
                  attempts: total,
                  delayMs,
                  error: describeError(error),
                }),
              );
            } else if (out === "text") {
              print(
                `Processing failed for ${order.orderId} (attempt ${attempt}/${total}): ${
                  describeError(error)
                }. Retrying in ${formatDelay(delayMs)}...`,
              );
            }
          },
          sleep: async (ms) => {
            // A failed commit or heartbeat says nothing about the order: the
            // record is abandoned (never dead-lettered) and redone by whoever
            // owns the partition next.
            try {
              await beforeRetry();
              await sleepWithHeartbeat(ms, payload.heartbeat, payload.isStale);
            } catch (error) {
              throw error instanceof StopRequested ? error : new AbandonRecord(error);
            }
          },
        },
      );
      void attempts;
      return { order, cents: toCents(order.price) };
    } catch (error) {
      if (error instanceof StopRequested || error instanceof AbandonRecord) throw error;
      if (error instanceof RetriesExhaustedError) {
        return { order, dlq: { type: "processing", error, attempts: error.attempts } };
      }
      // A programming error: never retried, dead-lettered as a processing failure.
      return { order, dlq: { type: "processing", error: error as Error, attempts: 1 } };
    }
  };

  const dlqMessage = (
    message: KafkaMessage,
    partition: number,
    dlq: NonNullable<Outcome["dlq"]>,
  ) => ({
    key: message.key,
    value: message.value as Buffer | null,
    headers: buildDlqHeaders(message.headers as Headers | undefined, {
      topic: config.topic,
      partition,
      offset: message.offset,
      timestamp: message.timestamp,
      group: config.group,
      errorClass: dlq.error.name,
      errorMessage: dlq.error.message,
      errorType: dlq.type,
      attempts: dlq.attempts,
      failedAt: new Date(),
    }),
  });

  // One DLQ send at a time across partitions: concurrent sends through one
  // idempotent producer can lose a batch after a client-side failure (kafkajs
  // rolls sequence numbers back while another send waits on its lock).
  let dlqChain: Promise<unknown> = Promise.resolve();
  const sendDlq = (messages: ReturnType<typeof dlqMessage>[]) => {
    const sending = dlqChain.then(() =>
      producer.sendBatch({ topicMessages: [{ topic: config.dlqTopic, messages }], acks: -1 })
    );
    dlqChain = sending.catch(() => {});
    return sending;
  };

  // Batches being processed: shutdown waits for them, because kafkajs drops
  // a commit made after consumer.stop() without a word.
  const inFlight = new Set<Promise<void>>();

  const eachBatch = (payload: EachBatchPayload): Promise<void> => {
    const work = processBatch(payload).finally(() => inFlight.delete(work));
    inFlight.add(work);
    return work;
  };

  const processBatch = async (payload: EachBatchPayload) => {
    const { batch } = payload;
    const partition = batch.partition;
    if (stopping || fatal !== undefined) return;
    const myEpoch = epoch;
    const state = states.get(partition);
    // Not loaded yet (the partition is resumed only once it is): skip, kafkajs fetches it again.
    if (state === undefined) return;
    const committed = state;
    const working: Aggregate = { ...committed.agg };
    let next = BigInt(committed.next);
    let dirty = false;
    let lines: string[] = [];
    let pendingDlq: ReturnType<typeof dlqMessage>[] = [];
    let pendingLatencies: number[] = [];
    let lastCommit = Date.now();

    const flushLines = () => {
      if (lines.length > 0) emit(lines.join("\n"));
      lines = [];
    };

    // Writes the DLQ records, then commits the offset with the aggregate in
    // its metadata. Only then does the state in memory move on.
    const commit = async () => {
      if (!dirty) return;
      // A batch of an older generation (kafkajs rejoined while it ran) must
      // neither commit nor resolve: its partition's state was reloaded.
      if (myEpoch !== epoch) throw new StopRequested();
      if (pendingDlq.length > 0) {
        await sendDlq(pendingDlq);
        metrics.sentToDlq += pendingDlq.length;
        pendingDlq = [];
      }
      const nextState: PartitionState = { next: String(next), agg: { ...working } };
      await consumer.commitOffsets([{
        topic: config.topic,
        partition,
        offset: nextState.next,
        metadata: encodeState(nextState),
      }]);
      if (myEpoch === epoch) states.set(partition, nextState);
      payload.resolveOffset(String(next - 1n));
      dirty = false;
      lastCommit = Date.now();
      flushLines();
      for (const ms of pendingLatencies) events.aggregated?.(ms);
      pendingLatencies = [];
    };

    const first = batch.messages[0];
    if (first !== undefined && BigInt(first.offset) > next) {
      // Transaction markers take offsets too: only a gap below the log start is lost data.
      const offsets = await admin.fetchTopicOffsets(config.topic);
      const low = BigInt(offsets.find((o) => o.partition === partition)?.low ?? "0");
      if (next < low) {
        warn(
          `WARNING: ${config.topic}[${partition}] jumped from offset ${next} to ${first.offset}: records ${next}..${
            low - 1n
          } were deleted by retention before they were processed; the aggregate does not include them`,
        );
      }
      next = BigInt(first.offset);
    }

    try {
      for (const message of batch.messages) {
        if (stopping || !payload.isRunning() || payload.isStale()) break;
        const offset = BigInt(message.offset);
        if (offset < next) {
          // Already in the committed aggregate (e.g. after kafkajs reset the
          // position to the log start): counting it again would double count.
          metrics.skippedDuplicates += 1;
          continue;
        }
        lastActivity = Date.now();
        metrics.consumed += 1;
        let outcome = handle(message, partition);
        if ("firstError" in outcome) {
          outcome = await retry(outcome.order, outcome.firstError, payload, async () => {
            // Commit what is done before a backoff, so a rebalance during it
            // redoes as little as possible.
            await commit();
            flushLines();
          }, (line) => lines.push(line));
        }
        if (outcome.dlq === undefined) {
          addCents(working, outcome.cents!);
          metrics.processed += 1;
          if (events.aggregated) pendingLatencies.push(Date.now() - Number(message.timestamp));
          if (out !== "quiet") {
            const view = summarize(globalView(partition, working));
            const o = outcome.order!;
            if (out === "json") {
              lines.push(
                JSON.stringify({
                  event: "processed",
                  ...o,
                  partition,
                  offset: message.offset,
                  aggregate: view,
                }),
              );
            } else {
              lines.push(
                `Received: {orderId: '${o.orderId}', product: '${o.product}', price: ${
                  (outcome.cents! / 100).toFixed(2)
                }}`,
                `Aggregation Update - Count: ${view.count}, Running Avg: ${
                  formatMoney(view.average)
                }, Min: ${formatMoney(view.min)}, Max: ${formatMoney(view.max)}`,
              );
            }
          }
        } else {
          metrics.failed += 1;
          pendingDlq.push(dlqMessage(message, partition, outcome.dlq));
          if (out !== "quiet") {
            const { type, error, attempts } = outcome.dlq;
            const id = outcome.order?.orderId ?? (message.key?.toString() || "?");
            lines.push(
              out === "json"
                ? JSON.stringify({
                  event: "dead-lettered",
                  orderId: id,
                  partition,
                  offset: message.offset,
                  errorType: type,
                  error: error.message,
                  attempts,
                })
                : `Sent to DLQ: ${id} (${config.topic}[${partition}]@${message.offset}) ${type}: ${error.message}`,
            );
          }
        }
        next = offset + 1n;
        dirty = true;
        if (metrics.consumed >= config.maxMessages) {
          await commit();
          stop();
          break;
        }
        if (Date.now() - lastCommit > 1000) await commit();
      }
      // Control records after the last message (transaction markers) are
      // part of what this batch consumed: move past them too.
      const end = BigInt(batch.lastOffset()) + 1n;
      if (!stopping && payload.isRunning() && !payload.isStale() && end > next) {
        next = end;
        dirty = true;
      }
      await commit();
    } catch (error) {
      flushLines();
      if (error instanceof StopRequested) {
        await commit().catch(() => {});
        return;
      }
      // A commit, DLQ write or heartbeat failed (often a rebalance): nothing
      // after the last commit counts, and kafkajs refetches from there. Hand
      // kafkajs the protocol error itself: its wrappers hide a rebalance.
      const cause = kafkaCause(error instanceof AbandonRecord ? error.cause : error);
      if (!isRebalance(cause)) {
        warn(
          `batch on ${config.topic}[${partition}] failed, will be retried: ${describeError(cause)}`,
        );
      }
      throw cause;
    }
    await payload.heartbeat().catch(() => {});
  };

  await consumer.subscribe({ topic: config.topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: config.concurrency,
    eachBatch,
  });

  // --idle-exit: stop once nothing arrived for that long *and* every assigned
  // partition is caught up, so a slow join or a long backoff never ends a run early.
  let checkingIdle = false;
  const idle = setInterval(async () => {
    if (checkingIdle || stopping || Date.now() - lastActivity <= config.idleExitMs) return;
    checkingIdle = true;
    try {
      if (await caughtUp()) stop();
      else lastActivity = Date.now();
    } catch {
      lastActivity = Date.now();
    } finally {
      checkingIdle = false;
    }
  }, 100);
  try {
    await finished;
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  } finally {
    clearInterval(idle);
    await consumer.stop();
  }

  // A partition whose state does not decode was reported when it was loaded.
  const { aggregate } = await readCommittedAggregate(admin, config.group, config.topic);
  return { metrics, aggregate, fatal };
}

class StopRequested extends Error {
  override name = "StopRequested";
}

/** A record given up on because of the group or the broker, not the order: redone later. */
class AbandonRecord extends Error {
  override name = "AbandonRecord";
  constructor(cause: unknown) {
    super(`record abandoned: ${describeError(cause)}`, { cause });
  }
}

/**
 * The first error in the `cause`/`originalError` chain that carries a Kafka
 * error type: kafkajs's retrier wraps protocol errors, and its runner only
 * rejoins the group for the unwrapped ones.
 */
function kafkaCause(error: unknown): unknown {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    if (typeof (current as { type?: unknown }).type === "string") return current;
    const next = (current as { originalError?: unknown }).originalError ??
      (current as { cause?: unknown }).cause;
    if (next === undefined) break;
    current = next;
  }
  return error;
}

const REBALANCE_TYPES = new Set([
  "REBALANCE_IN_PROGRESS",
  "NOT_COORDINATOR_FOR_GROUP",
  "GROUP_COORDINATOR_NOT_AVAILABLE",
  "GROUP_LOAD_IN_PROGRESS",
  "ILLEGAL_GENERATION",
  "UNKNOWN_MEMBER_ID",
  "FENCED_INSTANCE_ID",
]);

function isRebalance(error: unknown): boolean {
  return REBALANCE_TYPES.has((error as { type?: string } | null)?.type ?? "");
}

/** The consumer CLI. Returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const config = parseConsumerArgs(args);
  if (config === "help") {
    console.log(USAGE);
    return 0;
  }
  const shutdown = shutdownSignal();
  if (config.output === "text") {
    writeLine(
      `Consumer started, listening for orders on ${config.topic} (group ${config.group})...`,
    );
  }
  let result: ConsumerResult;
  try {
    result = await runConsumer(
      config,
      { line: writeLine, warn: (t) => console.error(t) },
      shutdown.signal,
    );
  } finally {
    shutdown.dispose();
  }
  if (config.output === "json") {
    writeLine(
      JSON.stringify({
        event: "summary",
        ...result.metrics,
        aggregate: summarize(result.aggregate),
      }),
    );
  } else {
    for (const line of resultLines(result.metrics, summarize(result.aggregate))) writeLine(line);
  }
  if (result.fatal !== undefined) throw new FatalError(result.fatal);
  return 0;
}

if (import.meta.main) runMain(main, USAGE);
