/**
 * The batch commit protocol: how the records of one fetched batch move the
 * partition's aggregate and offset forward. The aggregate lives in the
 * offset commit's metadata, so the rules here are what keeps it exact
 * through crashes and rebalances:
 *
 * - a record below the partition's committed offset is already counted:
 *   skipped;
 * - DLQ records are written before the commit that moves past them;
 * - the commit carries the offset and the aggregate of everything before it,
 *   and only then does the state in memory move on; a commit that fails for
 *   a reason not the group's is retried for a few seconds, so a broker's
 *   death does not have the batch redone (and its dead letters written twice);
 * - a batch begun under an older generation never commits;
 * - a record abandoned because of the group (a failed heartbeat or commit
 *   during its backoff) is not committed: the next owner redoes it;
 * - a stop request lets the record in flight finish and commits it.
 *
 * Kafka is reached only through {@linkcode BatchDeps}, so the protocol is
 * unit-tested with a fake batch.
 *
 * @module
 */
import type { Batch, EachBatchPayload, KafkaMessage } from "kafkajs";
import { describeError, isRebalance, kafkaCause } from "../kafka/errors.ts";
import type { StopSwitch } from "../kafka/lifecycle.ts";
import { addCents, type Aggregate, summarize } from "../order/aggregate.ts";
import type { Order } from "../order/codec.ts";
import type { RegistryOrderDecoder } from "../registry/decoder.ts";
import type { ErrorType } from "../errors.ts";
import { type DlqMessage, dlqMessage } from "./dlq_sink.ts";
import type { GroupState } from "./group_state.ts";
import type { ConsumerConfig } from "./options.ts";
import { type ConsumerEvents, deadLetterLine, processedLines, retryLine } from "./output.ts";
import {
  AbandonRecord,
  firstAttempt,
  type Outcome,
  retryRecord,
  sleepWithHeartbeat,
  StopRequested,
} from "./record.ts";
import type { ConsumerMetrics } from "./report.ts";
import { RecordTimer } from "./record_timer.ts";
import { classifyError, COMMIT_RETRY, RetriesExhaustedError, retryWithBackoff } from "../retry.ts";
import { encodeState, type PartitionState } from "./state_codec.ts";

/** How often a long batch commits its progress, at the least. */
export const COMMIT_INTERVAL_MS = 1000;

/** What a batch needs from the run around it. */
export interface BatchDeps {
  config: ConsumerConfig;
  group: GroupState;
  metrics: ConsumerMetrics;
  run: Pick<StopSwitch, "stop" | "isStopped">;
  events: ConsumerEvents;
  /** Marks the run as busy, for the idle exit. */
  touch(): void;
  /** Commits `offset` of the consumed topic's `partition` with `metadata`. */
  commit(partition: number, offset: string, metadata: string): Promise<void>;
  /** Writes the dead letters of input `partition` to the DLQ, acknowledged by all replicas. */
  sendDlq(partition: number, messages: DlqMessage[]): Promise<void>;
  /** The partition's log start offset now. */
  logStart(partition: number): Promise<bigint>;
  /**
   * Reads framed records through a schema registry; unset reads plain Avro.
   * @default {undefined}
   */
  decoder?: RegistryOrderDecoder;
  /** Waits during a backoff; the tests fake it. @default {setTimeout} */
  sleep?: (ms: number) => Promise<void>;
  /** The clock; the tests fake it. @default {Date.now} */
  now?: () => number;
  /** The fine clock records are timed on, when `events.timed` is set. @default {performance.now} */
  fineNow?: () => number;
}

/** The part of kafkajs's eachBatch payload a batch uses. */
export type BatchPayload =
  & Pick<EachBatchPayload, "resolveOffset" | "heartbeat" | "isRunning" | "isStale">
  & { batch: Pick<Batch, "partition" | "messages" | "lastOffset"> };

/**
 * Processes one batch under the commit protocol above. Throws the protocol
 * error (unwrapped, so kafkajs rejoins on a rebalance) when a commit, a DLQ
 * write or a heartbeat failed: nothing after the last commit counts, and
 * kafkajs fetches again from there.
 */
export async function processBatch(deps: BatchDeps, payload: BatchPayload): Promise<void> {
  if (deps.run.isStopped()) return;
  const state = deps.group.states.get(payload.batch.partition);
  // Not loaded yet (the partition is resumed only once it is): skip, kafkajs fetches it again.
  if (state === undefined) return;
  await new BatchRun(deps, payload, state).run();
}

/** What the batch loop does after a record: go on, or stop. */
type Step = "stop" | "next";

class BatchRun {
  readonly #deps: BatchDeps;
  readonly #payload: BatchPayload;
  readonly #partition: number;
  readonly #generation: number;
  readonly #working: Aggregate;
  readonly #now: () => number;
  #next: bigint;
  #dirty = false;
  #lines: string[] = [];
  #pendingDlq: DlqMessage[] = [];
  #pendingDlqTypes: ErrorType[] = [];
  #pendingLatencies: number[] = [];
  #lastCommit: number;
  /** Set when records are timed (`events.timed`). */
  readonly #timer?: RecordTimer;

  constructor(deps: BatchDeps, payload: BatchPayload, committed: PartitionState) {
    this.#deps = deps;
    this.#payload = payload;
    this.#partition = payload.batch.partition;
    this.#generation = deps.group.generation;
    this.#working = { ...committed.agg };
    this.#next = BigInt(committed.next);
    this.#now = deps.now ?? Date.now;
    this.#lastCommit = this.#now();
    if (deps.events.timed !== undefined) {
      this.#timer = new RecordTimer(deps.events.timed, deps.fineNow ?? (() => performance.now()));
    }
  }

  async run(): Promise<void> {
    try {
      await this.#skipGap();
      await this.#fetchSchemas();
      this.#timer?.start();
      for (const message of this.#payload.batch.messages) {
        if (!this.#active()) break;
        // Most records finish synchronously: no promise or turn per record.
        const step = this.#record(message);
        if (step === "next") continue;
        if (step === "stop" || await step === "stop") break;
      }
      this.#timer?.flush();
      // Control records after the last message (transaction markers) are
      // part of what this batch consumed: move past them too.
      const end = BigInt(this.#payload.batch.lastOffset()) + 1n;
      if (this.#active() && end > this.#next) this.#advance(end);
      await this.#commit();
    } catch (error) {
      this.#flushLines();
      if (error instanceof StopRequested) {
        await this.#commit().catch(() => {});
        return;
      }
      if (error instanceof AbandonRecord) this.#deps.metrics.abandoned += 1;
      // Hand kafkajs the protocol error itself: its wrappers hide a rebalance.
      const cause = kafkaCause(error instanceof AbandonRecord ? error.cause : error);
      if (!isRebalance(cause)) {
        this.#deps.events.warn?.(
          `batch on ${this.#deps.config.topic}[${this.#partition}] failed, will be retried: ${
            describeError(cause)
          }`,
        );
      }
      throw cause;
    }
    await this.#payload.heartbeat().catch(() => {});
  }

  #active(): boolean {
    return !this.#deps.run.isStopped() && this.#payload.isRunning() && !this.#payload.isStale();
  }

  /** Whether this batch's partition is still this member's, in the generation it began in. */
  #stillOwned(): boolean {
    return this.#generation === this.#deps.group.generation && !this.#payload.isStale();
  }

  #advance(next: bigint): void {
    this.#next = next;
    this.#dirty = true;
  }

  /** A batch that starts past the committed offset: only a gap below the log start is lost data. */
  async #skipGap(): Promise<void> {
    const first = this.#payload.batch.messages[0];
    if (first === undefined || BigInt(first.offset) <= this.#next) return;
    // Transaction markers take offsets too: they leave gaps that lose nothing.
    const low = await this.#deps.logStart(this.#partition);
    if (this.#next < low) {
      this.#deps.events.warn?.(
        `WARNING: ${this.#deps.config.topic}[${this.#partition}] jumped from offset ${this.#next} to ${first.offset}: records ${this.#next}..${
          low - 1n
        } were deleted by retention before they were processed; the aggregate does not include them`,
      );
    }
    this.#next = BigInt(first.offset);
  }

  /**
   * Fetches the writer schemas the batch needs before any record is handled,
   * heartbeating through the backoff. A registry that stays unreachable fails
   * the batch with a retriable error: kafkajs fetches it again later, and no
   * record is dead-lettered because of the registry. Unknown ids end up as
   * deserialization failures of their records instead.
   */
  async #fetchSchemas(): Promise<void> {
    const { decoder, events, config } = this.#deps;
    if (decoder === undefined) return;
    await decoder.prepare(this.#payload.batch.messages.map((message) => message.value), {
      sleep: (ms) =>
        sleepWithHeartbeat(ms, {
          heartbeat: () => this.#payload.heartbeat(),
          isStale: () => this.#payload.isStale(),
          isStopped: () => this.#deps.run.isStopped(),
          touch: () => this.#deps.touch(),
          sleep: this.#deps.sleep,
          now: this.#deps.now,
        }),
      onRetry: (error, attempt, attempts, delayMs) =>
        events.warn?.(
          `schema registry call ${attempt}/${attempts} for ${config.topic}[${this.#partition}] ` +
            `failed, retrying in ${delayMs} ms: ${describeError(error)}`,
        ),
    });
  }

  /**
   * One record: skipped, aggregated or dead-lettered. Returns a promise only
   * when something must be awaited (a retry, a commit), so the batch loop
   * awaits nothing for most records.
   */
  #record(message: KafkaMessage): Step | Promise<Step> {
    const { config, metrics } = this.#deps;
    const offset = BigInt(message.offset);
    if (offset < this.#next) {
      // Already in the committed aggregate (e.g. after kafkajs reset the
      // position to the log start): counting it again would double count.
      metrics.skippedDuplicates += 1;
      return "next";
    }
    this.#deps.touch();
    metrics.consumed += 1;
    const origin = { topic: config.topic, partition: this.#partition, offset: message.offset };
    const outcome = firstAttempt(message.value, origin, config, this.#deps.decoder?.decode);
    if (outcome.kind === "retry") {
      // The wait belongs to this record alone: time it apart from the run.
      this.#timer?.flush();
      return this.#retry(outcome.order, outcome.firstError).then((retried) =>
        this.#finish(message, offset, retried, true)
      );
    }
    return this.#finish(message, offset, outcome, false);
  }

  /** Records the outcome of the record at `offset`, then commits if the run or the interval asks. */
  #finish(
    message: KafkaMessage,
    offset: bigint,
    outcome: Outcome,
    waited: boolean,
  ): Step | Promise<Step> {
    const { config, metrics } = this.#deps;
    if (outcome.kind === "aggregated") this.#aggregate(message, outcome);
    else this.#deadLetter(message, outcome);
    this.#advance(offset + 1n);
    this.#timer?.done();
    if (waited) this.#timer?.flush();
    if (metrics.consumed >= config.maxMessages) {
      this.#timer?.flush();
      // Stopped before the commit is awaited: the batches of other partitions
      // (--concurrency) see it before their next record, so none goes past
      // the limit; the stop does not keep this commit from being sent.
      this.#deps.run.stop();
      return this.#commit().then(() => "stop");
    }
    if (this.#now() - this.#lastCommit > COMMIT_INTERVAL_MS) {
      this.#timer?.flush();
      return this.#commit().then(() => {
        this.#timer?.start();
        return "next";
      });
    }
    return "next";
  }

  #retry(order: Order, firstError: unknown): Promise<Outcome> {
    const { config, metrics } = this.#deps;
    return retryRecord(order, firstError, config, {
      beforeWait: async () => {
        // Commit what is done before a backoff, so a rebalance during it
        // redoes as little as possible.
        await this.#commit();
        this.#flushLines();
      },
      heartbeat: () => this.#payload.heartbeat(),
      isStale: () => this.#payload.isStale(),
      isStopped: () => this.#deps.run.isStopped(),
      touch: () => this.#deps.touch(),
      onRetry: (error, attempt, attempts, delayMs) => {
        metrics.retries += 1;
        const line = retryLine(
          config.output,
          order.orderId,
          attempt,
          attempts,
          delayMs,
          describeError(error),
        );
        if (line !== undefined) this.#lines.push(line);
      },
      sleep: this.#deps.sleep,
      now: this.#deps.now,
    });
  }

  #aggregate(message: KafkaMessage, outcome: Outcome & { kind: "aggregated" }): void {
    const { config, metrics, events } = this.#deps;
    addCents(this.#working, outcome.cents);
    metrics.processed += 1;
    if (events.aggregated) {
      this.#pendingLatencies.push(this.#now() - Number(message.timestamp));
    }
    if (config.output === "quiet") return;
    const view = summarize(this.#deps.group.globalView(this.#partition, this.#working));
    const where = { partition: this.#partition, offset: message.offset };
    this.#lines.push(...processedLines(config.output, outcome.order, outcome.cents, where, view));
  }

  #deadLetter(message: KafkaMessage, outcome: Outcome & { kind: "dead-letter" }): void {
    const { config, metrics } = this.#deps;
    metrics.failed += 1;
    const where = { topic: config.topic, partition: this.#partition, group: config.group };
    this.#pendingDlq.push(dlqMessage(message, where, outcome));
    this.#pendingDlqTypes.push(outcome.type);
    const line = deadLetterLine(config.output, {
      id: outcome.order?.orderId ?? (message.key?.toString() || "?"),
      topic: config.topic,
      partition: this.#partition,
      offset: message.offset,
      type: outcome.type,
      error: outcome.error,
      attempts: outcome.attempts,
    });
    if (line !== undefined) this.#lines.push(line);
  }

  /**
   * Writes the pending DLQ records, then commits the offset with the
   * aggregate in its metadata. Only then does the state in memory move on.
   */
  async #commit(): Promise<void> {
    if (!this.#dirty) return;
    const { group, metrics, events } = this.#deps;
    // A batch of an older generation (kafkajs rejoined while it ran) must
    // neither commit nor resolve: its partition's state was reloaded.
    if (!this.#stillOwned()) throw new StopRequested();
    if (this.#pendingDlq.length > 0) {
      await this.#deps.sendDlq(this.#partition, this.#pendingDlq);
      metrics.sentToDlq += this.#pendingDlq.length;
      for (const type of this.#pendingDlqTypes) metrics.deadLetteredByType[type] += 1;
      this.#pendingDlq = [];
      this.#pendingDlqTypes = [];
    }
    const state: PartitionState = { next: String(this.#next), agg: { ...this.#working } };
    try {
      await retryWithBackoff(
        () => {
          // Checked before every attempt, so also after a DLQ write or a
          // backoff: a rejoin meanwhile reloaded the partition's state, and
          // this commit would move the group's offset past a batch its next
          // owner redoes. A stop alone (SIGTERM) still commits.
          if (!this.#stillOwned()) throw new StopRequested();
          return this.#deps.commit(this.#partition, state.next, encodeState(state));
        },
        {
          ...COMMIT_RETRY,
          sleep: this.#deps.sleep,
          // A rebalance or a programming error ends it: the first would be
          // refused again, and the partition's next owner redoes the batch.
          isRetriable: (error) => !isRebalance(kafkaCause(error)) && classifyError(error).retriable,
        },
      );
    } catch (error) {
      if (error instanceof StopRequested) throw error;
      metrics.commitFailures += 1;
      // The commit's own error, as kafkajs needs it to see a rebalance.
      throw error instanceof RetriesExhaustedError ? error.cause : error;
    }
    metrics.commits += 1;
    if (this.#generation === group.generation) group.states.set(this.#partition, state);
    this.#payload.resolveOffset(String(this.#next - 1n));
    this.#dirty = false;
    this.#lastCommit = this.#now();
    this.#flushLines();
    for (const ms of this.#pendingLatencies) events.aggregated?.(ms);
    this.#pendingLatencies = [];
  }

  #flushLines(): void {
    if (this.#lines.length > 0) this.#deps.events.line?.(this.#lines.join("\n"));
    this.#lines = [];
  }
}
