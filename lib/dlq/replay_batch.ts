/**
 * One replay batch, free of Kafka: which of a fetched batch's records belong
 * to the run, what is done with each (and the line shown for it), what the
 * batch sends to which topic, and where the partition stands afterwards.
 *
 * @module
 */
import type { Buffer } from "node:buffer";
import type { OutputMode } from "../cli/flags.ts";
import { type Headers, parseDlqHeaders } from "./headers.ts";
import type { ReplayConfig } from "./options.ts";
import {
  buildReplayHeaders,
  decideReplay,
  type ReplayDecision,
  replayIdentity,
} from "./replay_decision.ts";

/** A DLQ record as fetched; a kafkajs `KafkaMessage` fits this shape. */
export interface FetchedRecord {
  /** Offset in the DLQ partition. */
  offset: string;
  /** Record timestamp, ms since the epoch as text (kafkajs's form). */
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers?: Headers;
}

/** A record to republish, in kafkajs's `Message` shape. */
export interface OutgoingRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer>;
}

/** The decision on one record, with what the run counts and shows for it. */
export interface DecidedRecord {
  decision: ReplayDecision;
  /** The record's `dlq-error-type`, `unknown` without one. */
  errorType: string;
  /** The line to show; empty when the output mode shows none. */
  line: string;
}

/** What {@linkcode planBatch} decided for a batch. */
export interface BatchPlan {
  /** The records to republish, by target topic, in offset order. */
  outgoing: Map<string, OutgoingRecord[]>;
  /** One entry per record, in offset order. */
  decided: DecidedRecord[];
}

/** Where a batch comes from and how its run decides and shows. */
export interface BatchContext {
  /** The DLQ topic. */
  topic: string;
  partition: number;
  replay: ReplayConfig;
  output: OutputMode;
  /**
   * Failures replayed in this run, by original record (see
   * `replayIdentity`); {@linkcode planBatch} adds those it replays.
   */
  replayed: Set<string>;
}

/**
 * The records of a batch from `from` (the partition's position) up to, not
 * including, `bound`: kafkajs may hand over records the run has passed
 * already, and records after the bound belong to the next run.
 *
 * @example
 * ```ts
 * import { recordsInWindow } from "./replay_batch.ts";
 * recordsInWindow([{ offset: "1" }, { offset: "2" }, { offset: "3" }], 2n, 3n); // [{ offset: "2" }]
 * ```
 */
export function recordsInWindow<T extends { offset: string }>(
  records: readonly T[],
  from: bigint,
  bound: bigint,
): T[] {
  return records.filter((r) => {
    const offset = BigInt(r.offset);
    return offset >= from && offset < bound;
  });
}

/**
 * The position after a batch none of whose records is in the window: when
 * the fetch from `from` began at or past `bound`, what lay in between was
 * deleted (retention), so there is nothing left to replay and the position
 * is the bound; otherwise it stays `from`.
 */
export function positionPastGap(
  records: readonly { offset: string }[],
  from: bigint,
  bound: bigint,
): bigint {
  const first = records[0];
  return first !== undefined && BigInt(first.offset) >= bound ? bound : from;
}

/**
 * The position after resolving `lastTaken`, the last record of the batch
 * the run took. Resolving a batch's last record makes kafkajs step over the
 * transaction markers after it too (`batch.lastOffset()`): the position must
 * follow.
 *
 * @example
 * ```ts
 * import { nextPosition } from "./replay_batch.ts";
 * nextPosition("7", "7", "9"); // 10n: markers at 8 and 9 are stepped over
 * nextPosition("5", "7", "9"); // 6n: records 6 and 7 are beyond the run
 * ```
 */
export function nextPosition(
  lastTaken: string,
  lastInBatch: string,
  batchLastOffset: string,
): bigint {
  return lastTaken === lastInBatch ? BigInt(batchLastOffset) + 1n : BigInt(lastTaken) + 1n;
}

/**
 * `decision`, unless it replays a failure this run replayed already: then a
 * `duplicate` skip. The consumer may dead-letter a record twice; replaying
 * both copies would count the order twice. Adds the identity of a replay it
 * lets through to `replayed`.
 */
export function skipDuplicate(
  decision: ReplayDecision,
  identity: string | undefined,
  replayed: Set<string>,
): ReplayDecision {
  if (decision.action !== "replay" || identity === undefined) return decision;
  if (!replayed.has(identity)) {
    replayed.add(identity);
    return decision;
  }
  return {
    action: "skipped",
    reason: "duplicate",
    detail: `a copy of ${identity.split("/").slice(0, 3).join("/")} was replayed already`,
  };
}

/** What the line of one decision names. */
export interface DecisionSubject {
  /** The DLQ topic. */
  topic: string;
  partition: number;
  offset: string;
  /** The record key as UTF-8 text, `"null"` without one. */
  key: string;
  errorType: string;
}

/**
 * The line shown for a decision: text, a JSON object, or nothing when
 * `quiet`. A dry run's replay reads "would replay".
 *
 * @example
 * ```ts
 * import { decisionLine } from "./replay_batch.ts";
 * const subject = { topic: "dlq", partition: 0, offset: "4", key: "k", errorType: "processing" };
 * decisionLine("text", { action: "replay", topic: "orders", replayCount: 1 }, subject, false);
 * // "Replayed k (dlq[0]@4, processing) -> orders, replay 1"
 * ```
 */
export function decisionLine(
  output: OutputMode,
  decision: ReplayDecision,
  subject: DecisionSubject,
  dryRun: boolean,
): string {
  const { topic, partition, offset, key, errorType } = subject;
  if (output === "json") {
    const base = { key, partition, offset, errorType };
    return JSON.stringify(
      decision.action === "replay"
        ? {
          event: dryRun ? "would-replay" : "replayed",
          ...base,
          topic: decision.topic,
          replayCount: decision.replayCount,
        }
        : { event: decision.action, ...base, reason: decision.detail },
    );
  }
  if (output === "quiet") return "";
  const where = `${topic}[${partition}]@${offset}`;
  if (decision.action === "replay") {
    return `${
      dryRun ? "Would replay" : "Replayed"
    } ${key} (${where}, ${errorType}) -> ${decision.topic}, replay ${decision.replayCount}`;
  }
  const verb = decision.action === "parked" ? "Parked" : "Skipped";
  return `${verb} ${key} (${where}, ${errorType}): ${decision.detail}`;
}

/**
 * Decides each record of a batch, in offset order, and gathers what it
 * sends: nothing on a dry run, else each replayed record's key and value
 * with its original headers and the next `replay-count`, under its target.
 */
export function planBatch(records: readonly FetchedRecord[], context: BatchContext): BatchPlan {
  const { topic, partition, replay, output } = context;
  const outgoing = new Map<string, OutgoingRecord[]>();
  const decided: DecidedRecord[] = [];
  for (const record of records) {
    const headers = parseDlqHeaders(record.headers);
    const decision = skipDuplicate(
      decideReplay(headers, record.timestamp, replay),
      replayIdentity(headers),
      context.replayed,
    );
    const errorType = headers.errorType ?? "unknown";
    if (decision.action === "replay" && !replay.dryRun) {
      const list = outgoing.get(decision.topic) ?? [];
      list.push({
        key: record.key,
        value: record.value,
        headers: buildReplayHeaders(headers, decision.replayCount),
      });
      outgoing.set(decision.topic, list);
    }
    const key = record.key?.toString("utf8") ?? "null";
    const subject = { topic, partition, offset: record.offset, key, errorType };
    decided.push({
      decision,
      errorType,
      line: decisionLine(output, decision, subject, replay.dryRun),
    });
  }
  return { outgoing, decided };
}
