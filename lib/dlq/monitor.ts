/**
 * The DLQ monitor: follows the dead-letter topic with a group of its own,
 * never commits (so it moves no one's position), shows one line per dead
 * letter and builds the summary printed at the end.
 *
 * @module
 */
import type { Admin, Consumer, KafkaMessage } from "kafkajs";
import type { Buffer } from "node:buffer";
import { AccessDeniedError } from "../kafka/access.ts";
import { describeError } from "../kafka/errors.ts";
import {
  every,
  followFilteredBatches,
  stopOnCrash,
  type StopSwitch,
  stopSwitch,
  topicEnds,
} from "../kafka/lifecycle.ts";
import { KafkaSession } from "../kafka/session.ts";
import { HttpSchemaRegistry } from "../registry/client.ts";
import { RegistryOrderDecoder } from "../registry/decoder.ts";
import { ensureTopics } from "../kafka/topics.ts";
import type { Headers } from "./headers.ts";
import { type DlqConfig, type DlqEvents, FETCH_WAIT_MS } from "./options.ts";
import {
  dlqRecordJson,
  type DlqSummary,
  DlqSummaryBuilder,
  formatDlqLine,
  inspectDlqRecord,
} from "./summary.ts";

/** The result of {@linkcode runMonitor}. */
export interface MonitorResult {
  summary: DlqSummary;
  /** Set when the run stopped on a fatal condition. */
  fatal?: string;
}

/** How often the idle exit checks whether the monitor caught up, in ms. */
const IDLE_CHECK_MS = 100;

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
  const session = await KafkaSession.open(config, "dlq-monitor");
  try {
    await ensureTopics(session.admin, [{ topic: config.topic }]);
    // Where each partition starts, fixed before joining: then the position of
    // a partition that receives nothing is known too, which the idle exit needs.
    const ends = await topicEnds(session.admin, config.topic);
    const start = new Map(
      [...ends].map(([p, e]) => [p, config.fromBeginning ? e.low : e.high]),
    );
    events.started?.();
    const consumer = await session.consumer({
      groupId: config.group,
      maxWaitTimeInMs: FETCH_WAIT_MS,
    });
    return await watchDlq(config, { admin: session.admin, consumer }, start, events, signal);
  } finally {
    await session.close();
  }
}

/**
 * Whether every partition of `assigned` is read up to its high watermark
 * in `ends`.
 *
 * @example
 * ```ts
 * import { caughtUp } from "./monitor.ts";
 * caughtUp([0], new Map([[0, 5n]]), new Map([[0, { high: 5n }]])); // true
 * ```
 */
export function caughtUp(
  assigned: readonly number[],
  positions: ReadonlyMap<number, bigint>,
  ends: ReadonlyMap<number, { high: bigint }>,
): boolean {
  return assigned.every((p) => (positions.get(p) ?? 0n) >= (ends.get(p)?.high ?? 0n));
}

/** One watch's settings, clients and progress. */
interface Watch {
  config: DlqConfig;
  admin: Admin;
  consumer: Consumer;
  events: DlqEvents;
  run: StopSwitch;
  builder: DlqSummaryBuilder;
  /** Next offset to read per assigned partition. */
  positions: Map<number, bigint>;
  assigned: number[];
  joined: boolean;
  lastActivity: number;
  /** Records shown so far. */
  shown: number;
  /** Decodes framed dead letters, when they are. */
  decoder?: RegistryOrderDecoder;
}

/**
 * Watches with connected clients from `start` (the first offset to show per
 * partition); {@linkcode runMonitor} without the connecting, for tests with
 * fake clients.
 */
export async function watchDlq(
  config: DlqConfig,
  clients: { admin: Admin; consumer: Consumer },
  start: ReadonlyMap<number, bigint>,
  events: DlqEvents = {},
  signal?: AbortSignal,
): Promise<MonitorResult> {
  const { consumer } = clients;
  const run = stopSwitch(signal);
  const watch: Watch = {
    config,
    ...clients,
    events,
    run,
    builder: new DlqSummaryBuilder(),
    positions: new Map(),
    assigned: [],
    joined: false,
    lastActivity: Date.now(),
    shown: 0,
    decoder: config.schemaRegistry !== undefined
      ? new RegistryOrderDecoder(new HttpSchemaRegistry(config.schemaRegistry))
      : undefined,
  };
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    onAssigned(watch, start, e.payload.memberAssignment[config.topic] ?? []);
  });
  stopOnCrash(consumer, run, (text) => events.warn?.(text), {
    group: { operation: "Read", resource: "group", name: config.group },
    topic: { operation: "Read", resource: "topic", name: config.topic },
  });
  followFilteredBatches(consumer, config.topic, (partition, next) => {
    if (next > (watch.positions.get(partition) ?? 0n)) watch.positions.set(partition, next);
  });
  await consumer.subscribe({ topic: config.topic, fromBeginning: config.fromBeginning });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ partition, message }) => {
      await fetchSchema(watch, message.value);
      show(watch, partition, message);
    },
  });
  const stopPolling = every(IDLE_CHECK_MS, () => checkIdle(watch));
  try {
    await run.done;
  } finally {
    stopPolling();
    await consumer.stop();
  }
  const denied = run.fatalError();
  if (denied instanceof AccessDeniedError) throw denied;
  return { summary: watch.builder.summary(), fatal: run.fatal() };
}

function onAssigned(watch: Watch, start: ReadonlyMap<number, bigint>, assigned: number[]): void {
  watch.joined = true;
  watch.lastActivity = Date.now();
  watch.assigned = assigned;
  // The monitor never commits, so after a join kafkajs would restart each
  // partition at the reset position: seek to where this run really is.
  for (const partition of assigned) {
    const offset = watch.positions.get(partition) ?? start.get(partition) ?? 0n;
    watch.positions.set(partition, offset);
    watch.consumer.seek({ topic: watch.config.topic, partition, offset: String(offset) });
  }
}

/**
 * Fetches the writer schema of a framed dead letter. The monitor only shows:
 * a registry that stays unreachable is a warning, and the record is shown
 * without its order.
 */
async function fetchSchema(watch: Watch, value: Buffer | null): Promise<void> {
  try {
    await watch.decoder?.prepare([value]);
  } catch (error) {
    watch.events.warn?.(`cannot read a dead letter's writer schema: ${describeError(error)}`);
  }
}

/** Shows and counts one record, unless this run showed it already. */
function show(watch: Watch, partition: number, message: KafkaMessage): void {
  if (watch.run.isStopped()) return;
  const offset = BigInt(message.offset);
  // After a rebalance kafkajs may hand over a record this run already showed.
  if (offset < (watch.positions.get(partition) ?? 0n)) return;
  watch.positions.set(partition, offset + 1n);
  watch.lastActivity = Date.now();
  watch.shown += 1;
  const view = inspectDlqRecord({
    partition,
    offset: message.offset,
    timestamp: message.timestamp,
    key: message.key,
    value: message.value,
    headers: message.headers as Headers | undefined,
  }, { maxPrice: watch.config.maxPrice, decode: watch.decoder?.decode });
  watch.builder.add(view);
  watch.events.seen?.(view);
  const { output } = watch.config;
  if (output === "json") watch.events.line?.(JSON.stringify(dlqRecordJson(watch.shown, view)));
  else if (output === "text") watch.events.line?.(formatDlqLine(watch.shown, view));
}

/** The idle exit: stops once caught up and idle for `idleExitMs`. */
async function checkIdle(watch: Watch): Promise<void> {
  const { config, run } = watch;
  if (!watch.joined || run.isStopped() || Date.now() - watch.lastActivity < config.idleExitMs) {
    return;
  }
  try {
    const ends = await topicEnds(watch.admin, config.topic);
    const idle = Date.now() - watch.lastActivity >= config.idleExitMs;
    if (caughtUp(watch.assigned, watch.positions, ends) && idle) run.stop();
  } catch (error) {
    watch.events.warn?.(`cannot read the end offsets of ${config.topic}: ${describeError(error)}`);
  }
}
