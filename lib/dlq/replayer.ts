/**
 * The DLQ replayer: republishes dead letters to their original topic, from
 * the replayer group's committed position up to the end the DLQ had when
 * the run started, and commits its progress only after the target topic
 * acknowledged each batch, so a second run sends nothing twice.
 *
 * @module
 */
import type { Admin, Consumer, EachBatchPayload, Producer } from "kafkajs";
import { FatalError } from "../errors.ts";
import { AccessDeniedError, guard } from "../kafka/access.ts";
import { describeError } from "../kafka/errors.ts";
import {
  followFilteredBatches,
  InFlight,
  stopOnCrash,
  type StopSwitch,
  stopSwitch,
  topicEnds,
} from "../kafka/lifecycle.ts";
import { identityOf, KafkaSession } from "../kafka/session.ts";
import { ensureTopics } from "../kafka/topics.ts";
import { type DlqConfig, type DlqEvents, FETCH_WAIT_MS, type ReplayConfig } from "./options.ts";
import {
  type BatchPlan,
  nextPosition,
  planBatch,
  positionPastGap,
  recordsInWindow,
} from "./replay_batch.ts";
import { countDecision, emptyTally, type ReplayTally } from "./replay_decision.ts";
import { ReplayWindow } from "./replay_window.ts";

/** The result of {@linkcode runReplay}. */
export interface ReplayResult {
  tally: ReplayTally;
  /** Set when the run stopped on a fatal condition. */
  fatal?: string;
}

/** The connected clients of a replay; the producer is absent on a dry run. */
export interface ReplayClients {
  admin: Admin;
  consumer: Consumer;
  producer?: Producer;
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
  const session = await KafkaSession.open(config, "dlq-replayer");
  try {
    const { admin } = session;
    await ensureTopics(admin, [{ topic: config.topic }]);
    const ends = await topicEnds(admin, config.topic);
    const [committed] = await guard(
      { group: { operation: "Describe", resource: "group", name: config.group } },
      identityOf(admin),
      () => admin.fetchOffsets({ groupId: config.group, topics: [config.topic] }),
    );
    const window = ReplayWindow.starting(ends, committed?.partitions);
    // Nothing new since the last run: no need to join the group at all.
    if (window.allDone()) return { tally: emptyTally() };
    // Bounded retries: an unreachable target ends the run, nothing committed for it.
    const producer = replay.dryRun ? undefined : await session.producer();
    const consumer = await session.consumer({
      groupId: config.group,
      maxWaitTimeInMs: FETCH_WAIT_MS,
    });
    return await replayRecords(config, { admin, consumer, producer }, window, events, signal);
  } finally {
    await session.close();
  }
}

/** One run's settings, clients, progress and stop switch. */
interface ReplayRun {
  config: DlqConfig;
  replay: ReplayConfig;
  clients: ReplayClients;
  window: ReplayWindow;
  events: DlqEvents;
  run: StopSwitch;
  tally: ReplayTally;
  /** Failures replayed in this run, by original record (see replayIdentity). */
  replayed: Set<string>;
  /** Target topics known to exist. */
  targets: Set<string>;
}

/**
 * Replays `window` with connected clients until every partition is done,
 * the run fails, or `signal` aborts; {@linkcode runReplay} without the
 * connecting, for tests with fake clients.
 */
export async function replayRecords(
  config: DlqConfig,
  clients: ReplayClients,
  window: ReplayWindow,
  events: DlqEvents = {},
  signal?: AbortSignal,
): Promise<ReplayResult> {
  const replay = config.replay;
  if (replay === undefined) throw new TypeError("replayRecords() needs config.replay");
  const { consumer } = clients;
  const topic = config.topic;
  const run = stopSwitch(signal);
  const state: ReplayRun = {
    config,
    replay,
    clients,
    window,
    events,
    run,
    tally: emptyTally(),
    replayed: new Set(),
    targets: new Set(),
  };
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    onAssigned(state, e.payload.memberAssignment[topic] ?? []);
  });
  stopOnCrash(consumer, run, (text) => events.warn?.(text), {
    group: { operation: "Read", resource: "group", name: config.group },
    topic: { operation: "Read", resource: "topic", name: topic },
  });
  followFilteredBatches(consumer, topic, (partition, next) => {
    if (window.advance(partition, next) && window.allDone()) run.stop();
  });
  // Batches in progress: stopping waits for them, because kafkajs drops a
  // commit made after consumer.stop() without a word, and the next run
  // would replay those records again.
  const inFlight = new InFlight();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: (payload) => inFlight.track(replayBatch(state, payload)),
  });
  try {
    await run.done;
    await inFlight.drain();
  } finally {
    await consumer.stop();
  }
  const denied = run.fatalError();
  if (denied instanceof AccessDeniedError) throw denied;
  return { tally: state.tally, fatal: run.fatal() };
}

/** A group join: refuse a share of the topic, else seek to the run's own positions. */
function onAssigned(state: ReplayRun, assigned: number[]): void {
  const { config, window, run } = state;
  const { consumer } = state.clients;
  const topic = config.topic;
  if (window.missingFrom(assigned).length > 0) {
    // Positions and commits of partitions another member holds would race
    // with ours: replaying twice at once could send records twice.
    run.stop(
      `another member of group ${config.group} holds part of ${topic}: run one replay at a time`,
    );
    return;
  }
  // Seek to this run's own positions: what it committed, or for a dry run,
  // what it has already shown.
  for (const partition of assigned) {
    const position = window.position(partition);
    if (position !== undefined) consumer.seek({ topic, partition, offset: String(position) });
  }
  // Partitions added since the run started are outside it, like new records.
  const idle = window.idle(assigned);
  if (idle.length > 0) consumer.pause([{ topic, partitions: idle }]);
  if (window.allDone()) run.stop();
}

/**
 * Replays the records of one batch that are in the window: sends them,
 * commits past them once the target acknowledged, then counts and shows them.
 */
async function replayBatch(state: ReplayRun, payload: EachBatchPayload): Promise<void> {
  const { batch } = payload;
  const { window } = state;
  const partition = batch.partition;
  if (state.run.isStopped() || !window.has(partition)) return;
  const from = window.position(partition)!;
  const bound = window.bound(partition)!;
  const records = recordsInWindow(batch.messages, from, bound);
  if (records.length === 0) {
    window.moveTo(partition, positionPastGap(batch.messages, from, bound));
    settle(state, partition);
    return;
  }
  const plan = planBatch(records, {
    topic: state.config.topic,
    partition,
    replay: state.replay,
    output: state.config.output,
    replayed: state.replayed,
  });
  const last = records[records.length - 1].offset;
  const next = nextPosition(
    last,
    batch.messages[batch.messages.length - 1].offset,
    batch.lastOffset(),
  );
  if (!(await sendAndCommit(state, partition, plan, next, records[0].offset))) return;
  window.moveTo(partition, next);
  payload.resolveOffset(last);
  const { dryRun } = state.replay;
  plan.decided.forEach(({ decision, errorType, line }, i) => {
    countDecision(state.tally, decision, errorType, dryRun);
    if (line !== "") state.events.line?.(line);
    state.events.decided?.({ partition, record: records[i], decision, errorType, dryRun });
  });
  settle(state, partition);
  await payload.heartbeat().catch(() => {});
}

/**
 * Sends a batch's replays and commits `next` for `partition`; does nothing
 * on a dry run. On failure stops the run and returns false.
 */
async function sendAndCommit(
  state: ReplayRun,
  partition: number,
  plan: BatchPlan,
  next: bigint,
  firstOffset: string,
): Promise<boolean> {
  const { producer, consumer } = state.clients;
  if (producer === undefined) return true;
  const topic = state.config.topic;
  try {
    for (const target of plan.outgoing.keys()) await ensureTarget(state, target);
    if (plan.outgoing.size > 0) {
      await producer.sendBatch({
        topicMessages: [...plan.outgoing].map(([target, messages]) => ({
          topic: target,
          messages,
        })),
        acks: -1,
      });
    }
    // Only after the target acknowledged: a crash in between replays
    // this batch again on the next run (at least once), never loses it.
    await consumer.commitOffsets([{ topic, partition, offset: String(next) }]);
    return true;
  } catch (error) {
    const where = `${topic}[${partition}] from offset ${firstOffset}`;
    state.run.stop(
      error instanceof FatalError
        ? error.message
        : `cannot replay ${where}: ${
          describeError(error)
        }; its offsets were not committed, so the next run starts there again`,
    );
    return false;
  }
}

/** Throws a FatalError when `target` does not exist; remembers those that do. */
async function ensureTarget(state: ReplayRun, target: string): Promise<void> {
  if (state.targets.has(target)) return;
  const existing = await state.clients.admin.listTopics();
  if (!existing.includes(target)) {
    throw new FatalError(
      `target topic ${target} does not exist; create it, or give --target-topic for records that do not name their topic`,
    );
  }
  state.targets.add(target);
}

/** Pauses `partition` once it is done, and stops the run once all are. */
function settle(state: ReplayRun, partition: number): void {
  const { window } = state;
  if (window.isDone(partition)) {
    state.clients.consumer.pause([{ topic: state.config.topic, partitions: [partition] }]);
  }
  if (window.allDone()) state.run.stop();
}
