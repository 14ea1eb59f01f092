/**
 * Watches, summarises and replays the dead letter queue.
 *
 * Watching (the default) follows `orders-dlq` with a consumer group of its
 * own and never commits, so it moves no one's position; it prints one line
 * per dead letter and, on SIGINT/SIGTERM or once caught up (`--idle-exit`),
 * a DEAD LETTER QUEUE SUMMARY.
 *
 * Replaying (`--replay`) republishes dead letters to their original topic
 * with their original key, value and headers plus an incremented
 * `replay-count`, from the replayer group's committed position up to the end
 * the DLQ had when the run started, committing its progress after the target
 * topic acknowledged each batch.
 *
 * Usage: `deno task dlq -- [flags]`; see {@linkcode USAGE}.
 *
 * @module
 */
import type { Buffer } from "node:buffer";
import type { Admin, Consumer, EachBatchPayload, Producer } from "kafkajs";
import { FatalError, UsageError } from "./lib/errors.ts";
import { parseCli, parseNumber } from "./lib/cli/args.ts";
import { resolveBrokers } from "./lib/cli/flags.ts";
import { runMain, shutdownSignal, writeLine } from "./lib/cli/main.ts";
import { type Headers, parseDlqHeaders } from "./lib/dlq/headers.ts";
import {
  dlqRecordJson,
  type DlqSummary,
  DlqSummaryBuilder,
  formatDlqLine,
  formatDlqSummary,
  inspectDlqRecord,
} from "./lib/dlq/summary.ts";
import { connectWithin, createKafka, idempotentProducer } from "./lib/kafka/client.ts";
import { describeError } from "./lib/kafka/errors.ts";
import {
  buildReplayHeaders,
  countDecision,
  decideReplay,
  DEFAULT_MAX_REPLAYS,
  DEFAULT_REPLAY_TYPES,
  DEFAULT_TARGET_TOPIC,
  emptyTally,
  ERROR_TYPES,
  formatReplaySummary,
  type ReplayDecision,
  replayIdentity,
  type ReplayTally,
} from "./lib/dlq/replay_decision.ts";
import { ensureTopics } from "./lib/kafka/topics.ts";

/** The command-line help. */
export const USAGE = `Usage: deno task dlq -- [flags]

Watches the dead letter queue and summarises it, or replays it (--replay).

  --brokers LIST            bootstrap brokers (default $KAFKA_BROKERS or 127.0.0.1:9092)
  --topic NAME              dead-letter topic (default orders-dlq)
  --group ID                consumer group (default orders-dlq-monitor-<random> when
                            watching, orders-dlq-replayer when replaying)
  --connect-timeout S       give up on an unreachable broker after S seconds (default 30)
  --quiet                   print only the summary
  --json                    one JSON object per line, the summary last
  --help                    show this help

Watching (never commits offsets):
  --from-beginning          start at the oldest record (default: only new records)
  --idle-exit S             stop once caught up and no record arrived for S seconds

Replaying (commits its progress: a second run sends nothing twice):
  --replay                  republish dead letters to their original topic
  --target-topic NAME       topic for records that do not name theirs (default orders)
  --error-type TYPE         types to replay, repeatable or comma-separated:
                            ${ERROR_TYPES.join(", ")}
                            (default ${DEFAULT_REPLAY_TYPES.join(", ")})
  --since TIME              only records that failed at or after TIME (ISO-8601)
  --max-replays N           park records already replayed N times (default ${DEFAULT_MAX_REPLAYS})
  --dry-run                 show what would be replayed; send and commit nothing

The replayer's commits move past skipped and parked records too: to revisit
them with other filters, use another --group.`;

/** Replay settings. */
export interface ReplayConfig {
  errorTypes: string[];
  since?: Date;
  maxReplays: number;
  targetTopic: string;
  dryRun: boolean;
}

/** Everything a run needs; built from flags by {@linkcode parseDlqArgs}. */
export interface DlqConfig {
  brokers: string[];
  /** The dead-letter topic. */
  topic: string;
  group: string;
  connectTimeoutMs: number;
  output: "text" | "quiet" | "json";
  /** Watching: start at the oldest record rather than at the end. */
  fromBeginning: boolean;
  /** Watching: stop once caught up and idle this long; `Infinity` never. */
  idleExitMs: number;
  /** Set when replaying. */
  replay?: ReplayConfig;
}

/**
 * How long one fetch waits for new records. Stopping waits for the fetch in
 * flight, so kafkajs's 5 s default would hold up every exit by up to 5 s.
 */
const FETCH_WAIT_MS = 500;

const REPLAY_ONLY = ["target-topic", "error-type", "since", "max-replays", "dry-run"] as const;
const WATCH_ONLY = ["from-beginning", "idle-exit"] as const;

/** Parses the command line into a {@linkcode DlqConfig}; throws UsageError. */
export function parseDlqArgs(args: string[]): DlqConfig | "help" {
  const { values } = parseCli(args, {
    options: {
      brokers: { type: "string" },
      topic: { type: "string" },
      group: { type: "string" },
      "connect-timeout": { type: "string" },
      quiet: { type: "boolean" },
      json: { type: "boolean" },
      help: { type: "boolean" },
      "from-beginning": { type: "boolean" },
      "idle-exit": { type: "string" },
      replay: { type: "boolean" },
      "target-topic": { type: "string" },
      "error-type": { type: "string", multiple: true },
      since: { type: "string" },
      "max-replays": { type: "string" },
      "dry-run": { type: "boolean" },
    },
  });
  if (values.help) return "help";
  if (values.quiet && values.json) throw new UsageError("--quiet and --json cannot be combined");
  const replaying = values.replay === true;
  for (const flag of replaying ? WATCH_ONLY : REPLAY_ONLY) {
    if (values[flag] !== undefined) {
      throw new UsageError(
        replaying
          ? `--${flag} does not apply to --replay, which reads from the group's committed position and stops when caught up`
          : `--${flag} applies only with --replay`,
      );
    }
  }
  const config: DlqConfig = {
    brokers: resolveBrokers(values.brokers),
    topic: nonEmpty("topic", values.topic) ?? "orders-dlq",
    group: nonEmpty("group", values.group) ??
      (replaying
        ? "orders-dlq-replayer"
        // Unique per run: the monitor commits nothing, so a shared group
        // would only split the partitions between two people watching.
        : `orders-dlq-monitor-${crypto.randomUUID().slice(0, 8)}`),
    connectTimeoutMs: parseNumber("connect-timeout", values["connect-timeout"], 30, { min: 0.1 }) *
      1000,
    output: values.json ? "json" : values.quiet ? "quiet" : "text",
    fromBeginning: values["from-beginning"] === true,
    idleExitMs: parseNumber("idle-exit", values["idle-exit"], Infinity, { min: 0 }) * 1000,
  };
  if (replaying) {
    config.replay = {
      errorTypes: parseErrorTypes(values["error-type"]),
      since: parseSince(values.since),
      maxReplays: parseNumber("max-replays", values["max-replays"], DEFAULT_MAX_REPLAYS, {
        min: 1,
        integer: true,
      }),
      targetTopic: nonEmpty("target-topic", values["target-topic"]) ?? DEFAULT_TARGET_TOPIC,
      dryRun: values["dry-run"] === true,
    };
  }
  return config;
}

function nonEmpty(flag: string, value: string | undefined): string | undefined {
  if (value !== undefined && value.trim() === "") {
    throw new UsageError(`--${flag} must not be empty`);
  }
  return value;
}

function parseErrorTypes(values: string[] | undefined): string[] {
  if (values === undefined) return [...DEFAULT_REPLAY_TYPES];
  const types = values.flatMap((v) => v.split(",")).map((t) => t.trim()).filter((t) => t !== "");
  for (const t of types) {
    if (!(ERROR_TYPES as readonly string[]).includes(t)) {
      throw new UsageError(
        `--error-type must be one of ${ERROR_TYPES.join(", ")}: current value is '${t}'`,
      );
    }
  }
  if (types.length === 0) throw new UsageError("--error-type must name at least one type");
  return [...new Set(types)];
}

function parseSince(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (value.trim() === "" || Number.isNaN(date.getTime())) {
    throw new UsageError(`--since must be an ISO-8601 time: current value is '${value}'`);
  }
  return date;
}

/** Where the lines of a run go. */
export interface DlqEvents {
  /** A line of output, already formatted for the chosen mode. */
  line?(text: string): void;
  /** A warning worth a human's attention. */
  warn?(text: string): void;
  /** Watching: the start positions are fixed; records from here on are shown. */
  started?(): void;
}

/** The result of {@linkcode runMonitor}. */
export interface MonitorResult {
  summary: DlqSummary;
  /** Set when the run stopped on a fatal condition. */
  fatal?: string;
}

/** The result of {@linkcode runReplay}. */
export interface ReplayResult {
  tally: ReplayTally;
  /** Set when the run stopped on a fatal condition. */
  fatal?: string;
}

/** A stop switch shared by both modes: `stop()` once, with a reason when it is fatal. */
function stopSwitch(signal?: AbortSignal) {
  let fatal: string | undefined;
  let stopped = false;
  let resolve!: () => void;
  const done = new Promise<void>((r) => (resolve = r));
  const stop = (reason?: string) => {
    if (reason !== undefined && fatal === undefined) fatal = reason;
    stopped = true;
    resolve();
  };
  if (signal?.aborted) stop();
  signal?.addEventListener("abort", () => stop(), { once: true });
  return { stop, done, isStopped: () => stopped, fatal: () => fatal };
}

async function topicEnds(
  admin: Admin,
  topic: string,
): Promise<Map<number, { low: bigint; high: bigint }>> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return new Map(offsets.map((o) => [o.partition, { low: BigInt(o.low), high: BigInt(o.high) }]));
}

/**
 * Keeps `positions` moving past batches kafkajs consumes without handing any
 * record over: only transaction markers or aborted records, as a
 * transactional writer (Spring's DLQ publisher in a transaction, say) leaves.
 * Without this, a position would stop short of the high watermark.
 */
function followFilteredBatches(
  consumer: Consumer,
  topic: string,
  positions: Map<number, bigint>,
  moved: () => void = () => {},
): void {
  consumer.on(consumer.events.END_BATCH_PROCESS, (e) => {
    const { topic: t, partition, batchSize, lastOffset } = e.payload;
    if (t !== topic || batchSize !== 0) return;
    const next = BigInt(lastOffset) + 1n;
    if (next > (positions.get(partition) ?? 0n)) {
      positions.set(partition, next);
      moved();
    }
  });
}

/**
 * Watches the DLQ until `signal` aborts or, with `idleExitMs`, until no
 * record arrived for that long and every assigned partition is read up to
 * its current high watermark.
 */
export async function runMonitor(
  config: DlqConfig,
  events: DlqEvents = {},
  signal?: AbortSignal,
): Promise<MonitorResult> {
  const kafka = createKafka({ brokers: config.brokers, clientId: "dlq-monitor" });
  const admin = kafka.admin();
  await connectWithin(admin, config.brokers, config.connectTimeoutMs);
  let consumer: Consumer | undefined;
  try {
    await ensureTopics(admin, [{ topic: config.topic }]);
    // Where each partition starts, fixed before joining: then the position of
    // a partition that receives nothing is known too, which the idle exit needs.
    const ends = await topicEnds(admin, config.topic);
    const start = new Map(
      [...ends].map(([p, e]) => [p, config.fromBeginning ? e.low : e.high]),
    );
    events.started?.();
    consumer = kafka.consumer({ groupId: config.group, maxWaitTimeInMs: FETCH_WAIT_MS });
    await connectWithin(consumer, config.brokers, config.connectTimeoutMs);
    return await watch(config, admin, consumer, start, events, signal);
  } finally {
    await consumer?.disconnect().catch(() => {});
    await admin.disconnect().catch(() => {});
  }
}

async function watch(
  config: DlqConfig,
  admin: Admin,
  consumer: Consumer,
  start: Map<number, bigint>,
  events: DlqEvents,
  signal?: AbortSignal,
): Promise<MonitorResult> {
  const { stop, done, isStopped, fatal } = stopSwitch(signal);
  const builder = new DlqSummaryBuilder();
  const emit = (text: string) => events.line?.(text);
  /** Next offset to read per assigned partition. */
  const positions = new Map<number, bigint>();
  let assigned: number[] = [];
  let joined = false;
  let lastActivity = Date.now();
  let n = 0;

  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    joined = true;
    lastActivity = Date.now();
    assigned = e.payload.memberAssignment[config.topic] ?? [];
    // The monitor never commits, so after a join kafkajs would restart each
    // partition at the reset position: seek to where this run really is.
    for (const partition of assigned) {
      const offset = positions.get(partition) ?? start.get(partition) ?? 0n;
      positions.set(partition, offset);
      consumer.seek({ topic: config.topic, partition, offset: String(offset) });
    }
  });
  consumer.on(consumer.events.CRASH, (e) => {
    if (!e.payload.restart) stop(`consumer crashed: ${describeError(e.payload.error)}`);
    else events.warn?.(`consumer error, restarting: ${describeError(e.payload.error)}`);
  });
  followFilteredBatches(consumer, config.topic, positions);

  await consumer.subscribe({ topic: config.topic, fromBeginning: config.fromBeginning });
  await consumer.run({
    autoCommit: false,
    eachMessage: ({ partition, message }) => {
      if (isStopped()) return Promise.resolve();
      const offset = BigInt(message.offset);
      // After a rebalance kafkajs may hand over a record this run already showed.
      if (offset < (positions.get(partition) ?? 0n)) return Promise.resolve();
      positions.set(partition, offset + 1n);
      lastActivity = Date.now();
      n += 1;
      const view = inspectDlqRecord({
        partition,
        offset: message.offset,
        timestamp: message.timestamp,
        key: message.key,
        value: message.value,
        headers: message.headers as Headers | undefined,
      });
      builder.add(view);
      if (config.output === "json") emit(JSON.stringify(dlqRecordJson(n, view)));
      else if (config.output === "text") emit(formatDlqLine(n, view));
      return Promise.resolve();
    },
  });

  let checking = false;
  const idle = setInterval(async () => {
    if (!joined || checking || isStopped() || Date.now() - lastActivity < config.idleExitMs) return;
    checking = true;
    try {
      const ends = await topicEnds(admin, config.topic);
      const caughtUp = assigned.every((p) => (positions.get(p) ?? 0n) >= (ends.get(p)?.high ?? 0n));
      if (caughtUp && Date.now() - lastActivity >= config.idleExitMs) stop();
    } catch (error) {
      events.warn?.(`cannot read the end offsets of ${config.topic}: ${describeError(error)}`);
    } finally {
      checking = false;
    }
  }, 100);
  try {
    await done;
  } finally {
    clearInterval(idle);
    await consumer.stop();
  }
  return { summary: builder.summary(), fatal: fatal() };
}

/**
 * Replays the DLQ from the group's committed position (the oldest record for
 * a new group) up to the high watermarks it had when the run started.
 */
export async function runReplay(
  config: DlqConfig,
  events: DlqEvents = {},
  signal?: AbortSignal,
): Promise<ReplayResult> {
  const replay = config.replay;
  if (replay === undefined) throw new TypeError("runReplay() needs config.replay");
  const kafka = createKafka({ brokers: config.brokers, clientId: "dlq-replayer" });
  const admin = kafka.admin();
  await connectWithin(admin, config.brokers, config.connectTimeoutMs);
  let producer: Producer | undefined;
  let consumer: Consumer | undefined;
  try {
    await ensureTopics(admin, [{ topic: config.topic }]);
    // The run ends at the DLQ's end as it is now: records dead-lettered while
    // it runs (replays failing again, say) wait for the next run.
    const ends = await topicEnds(admin, config.topic);
    const [committed] = await admin.fetchOffsets({ groupId: config.group, topics: [config.topic] });
    const positions = new Map<number, bigint>();
    for (const [partition, { low }] of ends) {
      const c = committed?.partitions.find((p) => p.partition === partition);
      const offset = c === undefined || BigInt(c.offset) < 0n ? low : BigInt(c.offset);
      // Below the log start, kafkajs resets to the oldest record (fromBeginning).
      positions.set(partition, offset < low ? low : offset);
    }
    const bounds = new Map([...ends].map(([p, e]) => [p, e.high]));
    if ([...bounds].every(([p, high]) => positions.get(p)! >= high)) {
      // Nothing new since the last run: no need to join the group at all.
      return { tally: emptyTally() };
    }
    if (!replay.dryRun) {
      // Bounded retries: an unreachable target ends the run, nothing committed for it.
      producer = idempotentProducer(kafka);
      await connectWithin(producer, config.brokers, config.connectTimeoutMs);
    }
    consumer = kafka.consumer({ groupId: config.group, maxWaitTimeInMs: FETCH_WAIT_MS });
    await connectWithin(consumer, config.brokers, config.connectTimeoutMs);
    return await replayRecords(
      config,
      replay,
      admin,
      consumer,
      producer,
      positions,
      bounds,
      events,
      signal,
    );
  } finally {
    await consumer?.disconnect().catch(() => {});
    await producer?.disconnect().catch(() => {});
    await admin.disconnect().catch(() => {});
  }
}

async function replayRecords(
  config: DlqConfig,
  replay: ReplayConfig,
  admin: Admin,
  consumer: Consumer,
  producer: Producer | undefined,
  positions: Map<number, bigint>,
  bounds: Map<number, bigint>,
  events: DlqEvents,
  signal?: AbortSignal,
): Promise<ReplayResult> {
  const { stop, done, isStopped, fatal } = stopSwitch(signal);
  const tally = emptyTally();
  const out = config.output;
  const emit = (text: string) => events.line?.(text);
  const topic = config.topic;
  const knownTargets = new Set<string>();
  const isDone = (p: number) => positions.get(p)! >= bounds.get(p)!;

  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    const assigned = e.payload.memberAssignment[topic] ?? [];
    if ([...bounds.keys()].some((p) => !assigned.includes(p))) {
      // Positions and commits of partitions another member holds would race
      // with ours: replaying twice at once could send records twice.
      stop(
        `another member of group ${config.group} holds part of ${topic}: run one replay at a time`,
      );
      return;
    }
    // Seek to this run's own positions: what it committed, or for a dry run,
    // what it has already shown.
    for (const partition of assigned) {
      const position = positions.get(partition);
      if (position !== undefined) consumer.seek({ topic, partition, offset: String(position) });
    }
    // Partitions added since the run started are outside it, like new records.
    const idle = assigned.filter((p) => !bounds.has(p) || isDone(p));
    if (idle.length > 0) consumer.pause([{ topic, partitions: idle }]);
    if ([...bounds.keys()].every(isDone)) stop();
  });
  consumer.on(consumer.events.CRASH, (e) => {
    if (!e.payload.restart) stop(`consumer crashed: ${describeError(e.payload.error)}`);
    else events.warn?.(`consumer error, restarting: ${describeError(e.payload.error)}`);
  });
  followFilteredBatches(consumer, topic, positions, () => {
    if ([...bounds.keys()].every(isDone)) stop();
  });

  const ensureTarget = async (target: string) => {
    if (knownTargets.has(target)) return;
    const existing = await admin.listTopics();
    if (!existing.includes(target)) {
      throw new FatalError(
        `target topic ${target} does not exist; create it, or give --target-topic for records that do not name their topic`,
      );
    }
    knownTargets.add(target);
  };

  // Failures replayed in this run, by original record (see replayIdentity).
  const replayedIds = new Set<string>();
  // Batches in progress: stopping waits for them, because kafkajs drops a
  // commit made after consumer.stop() without a word, and the next run
  // would replay those records again.
  const inFlight = new Set<Promise<void>>();
  const eachBatch = (payload: EachBatchPayload): Promise<void> => {
    const work = replayBatch(payload).finally(() => inFlight.delete(work));
    inFlight.add(work);
    return work;
  };

  const replayBatch = async (payload: EachBatchPayload) => {
    const { batch } = payload;
    const partition = batch.partition;
    if (isStopped() || !bounds.has(partition)) return;
    const from = positions.get(partition)!;
    const bound = bounds.get(partition)!;
    const messages = batch.messages.filter((m) => {
      const offset = BigInt(m.offset);
      return offset >= from && offset < bound;
    });
    if (messages.length === 0) {
      // The fetch from `from` began at or past the bound: what lay in between
      // was deleted (retention), so there is nothing left to replay here.
      const first = batch.messages[0];
      if (first !== undefined && BigInt(first.offset) >= bound) positions.set(partition, bound);
      if (isDone(partition)) consumer.pause([{ topic, partitions: [partition] }]);
      if ([...bounds.keys()].every(isDone)) stop();
      return;
    }
    const outgoing = new Map<
      string,
      { key: Buffer | null; value: Buffer | null; headers: Record<string, Buffer> }[]
    >();
    const decided: { decision: ReplayDecision; errorType: string; line: string }[] = [];
    for (const message of messages) {
      const headers = parseDlqHeaders(message.headers as Headers | undefined);
      let decision = decideReplay(headers, message.timestamp, replay);
      const identity = replayIdentity(headers);
      if (decision.action === "replay" && identity !== undefined) {
        if (replayedIds.has(identity)) {
          decision = {
            action: "skipped",
            reason: "duplicate",
            detail: `a copy of ${identity.split("/").slice(0, 3).join("/")} was replayed already`,
          };
        } else {
          replayedIds.add(identity);
        }
      }
      const errorType = headers.errorType ?? "unknown";
      const key = message.key?.toString("utf8") ?? "null";
      const where = `${topic}[${partition}]@${message.offset}`;
      if (decision.action === "replay" && !replay.dryRun) {
        const list = outgoing.get(decision.topic) ?? [];
        list.push({
          key: message.key,
          value: message.value,
          headers: buildReplayHeaders(headers, decision.replayCount),
        });
        outgoing.set(decision.topic, list);
      }
      let line = "";
      if (out === "json") {
        const base = { key, partition, offset: message.offset, errorType };
        line = JSON.stringify(
          decision.action === "replay"
            ? {
              event: replay.dryRun ? "would-replay" : "replayed",
              ...base,
              topic: decision.topic,
              replayCount: decision.replayCount,
            }
            : { event: decision.action, ...base, reason: decision.detail },
        );
      } else if (out === "text") {
        line = decision.action === "replay"
          ? `${
            replay.dryRun ? "Would replay" : "Replayed"
          } ${key} (${where}, ${errorType}) -> ${decision.topic}, replay ${decision.replayCount}`
          : `${
            decision.action === "parked" ? "Parked" : "Skipped"
          } ${key} (${where}, ${errorType}): ${decision.detail}`;
      }
      decided.push({ decision, errorType, line });
    }
    const last = messages[messages.length - 1].offset;
    // Resolving a batch's last record makes kafkajs step over the transaction
    // markers after it too (batch.lastOffset()): the position must follow.
    const next = last === batch.messages[batch.messages.length - 1].offset
      ? BigInt(batch.lastOffset()) + 1n
      : BigInt(last) + 1n;
    if (producer !== undefined) {
      try {
        for (const target of outgoing.keys()) await ensureTarget(target);
        if (outgoing.size > 0) {
          await producer.sendBatch({
            topicMessages: [...outgoing].map(([target, msgs]) => ({
              topic: target,
              messages: msgs,
            })),
            acks: -1,
          });
        }
        // Only after the target acknowledged: a crash in between replays
        // this batch again on the next run (at least once), never loses it.
        await consumer.commitOffsets([{ topic, partition, offset: String(next) }]);
      } catch (error) {
        const where = `${topic}[${partition}] from offset ${messages[0].offset}`;
        stop(
          error instanceof FatalError
            ? error.message
            : `cannot replay ${where}: ${
              describeError(error)
            }; its offsets were not committed, so the next run starts there again`,
        );
        return;
      }
    }
    positions.set(partition, next);
    payload.resolveOffset(last);
    for (const { decision, errorType, line } of decided) {
      countDecision(tally, decision, errorType, replay.dryRun);
      if (line !== "") emit(line);
    }
    if (isDone(partition)) consumer.pause([{ topic, partitions: [partition] }]);
    if ([...bounds.keys()].every(isDone)) stop();
    await payload.heartbeat().catch(() => {});
  };

  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch });
  try {
    await done;
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  } finally {
    await consumer.stop();
  }
  return { tally, fatal: fatal() };
}

/** The DLQ tool CLI. Returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const config = parseDlqArgs(args);
  if (config === "help") {
    console.log(USAGE);
    return 0;
  }
  const shutdown = shutdownSignal();
  const events: DlqEvents = { line: writeLine, warn: (t) => console.error(t) };
  let fatal: string | undefined;
  try {
    if (config.replay !== undefined) {
      const replay = config.replay;
      if (config.output === "text") {
        writeLine(
          `DLQ replay started on ${config.topic} (group ${config.group})${
            replay.dryRun ? ", dry run" : ""
          }: replaying ${replay.errorTypes.join(", ")}...`,
        );
      }
      const result = await runReplay(config, events, shutdown.signal);
      fatal = result.fatal;
      if (config.output === "json") {
        writeLine(
          JSON.stringify({
            event: "summary",
            mode: "replay",
            dryRun: replay.dryRun,
            ...result.tally,
          }),
        );
      } else {
        const context = { topic: config.topic, group: config.group, ...replay };
        for (const line of formatReplaySummary(result.tally, context)) writeLine(line);
      }
    } else {
      const started = () => {
        if (config.output !== "text") return;
        writeLine(
          `DLQ Consumer started, monitoring dead letter queue ${config.topic} ${
            config.fromBeginning ? "from the oldest record" : "for new records"
          } (group ${config.group})...`,
        );
      };
      const result = await runMonitor(config, { ...events, started }, shutdown.signal);
      fatal = result.fatal;
      if (config.output === "json") {
        writeLine(JSON.stringify({ event: "summary", ...result.summary }));
      } else {
        for (const line of formatDlqSummary(result.summary)) writeLine(line);
      }
    }
  } finally {
    shutdown.dispose();
  }
  if (fatal !== undefined) throw new FatalError(fatal);
  return 0;
}

if (import.meta.main) runMain(main, USAGE);
