/**
 * The replay decision for dead letters, free of Kafka: which DLQ records go
 * back to their original topic, which are parked because they were replayed
 * too often already, and which the filters pass over; the headers a replayed
 * record carries; and the tally the replay tool reports.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { type ParsedDlqHeaders, REPLAY_COUNT_HEADER } from "./headers.ts";

/**
 * The error types `--error-type` accepts: the consumer's three, the
 * producer's `production`, and `unknown` for records without a
 * `dlq-error-type` header (written by another tool).
 */
export const ERROR_TYPES = [
  "deserialization",
  "validation",
  "processing",
  "production",
  "unknown",
] as const;

/**
 * What is replayed unless `--error-type` says otherwise: failures that may
 * succeed on another try. Undecodable bytes and invalid orders would only
 * fail again, so they are replayed only when asked for by name.
 */
export const DEFAULT_REPLAY_TYPES: readonly string[] = ["processing", "production"];

/** How many times a record may be replayed before it is parked. */
export const DEFAULT_MAX_REPLAYS = 3;

/** The topic a record goes back to when its DLQ record does not name one. */
export const DEFAULT_TARGET_TOPIC = "orders";

/** Filters and limits of one replay. */
export interface ReplayOptions {
  /** Error types to replay; `unknown` matches records without the header. @default {DEFAULT_REPLAY_TYPES} */
  errorTypes?: readonly string[];
  /** Only records that failed at or after this time (`dlq-failed-at`, else the record timestamp). */
  since?: Date;
  /** Records already replayed this many times are parked. @default {DEFAULT_MAX_REPLAYS} */
  maxReplays?: number;
  /** Topic for records whose headers do not name their original topic. @default {DEFAULT_TARGET_TOPIC} */
  targetTopic?: string;
}

/** Why the filters passed a record over. */
export type SkipReason = "error-type" | "since" | "duplicate";

/** What to do with one DLQ record. */
export type ReplayDecision =
  | {
    action: "replay";
    /** Topic to republish to. */
    topic: string;
    /** The `replay-count` the republished record carries. */
    replayCount: number;
  }
  | { action: "parked"; detail: string }
  | { action: "skipped"; reason: SkipReason; detail: string };

/**
 * Decides what happens to a DLQ record: the filters first (error type, then
 * failure time), then the replay limit. `recordTimestamp` is the DLQ
 * record's own timestamp (ms, as text), used when it has no `dlq-failed-at`.
 *
 * @example
 * ```ts
 * import { decideReplay } from "./replay_decision.ts";
 * import { parseDlqHeaders } from "./headers.ts";
 * const headers = parseDlqHeaders({ "dlq-error-type": "processing", "replay-count": "1" });
 * decideReplay(headers, "0"); // { action: "replay", topic: "orders", replayCount: 2 }
 * ```
 */
export function decideReplay(
  headers: ParsedDlqHeaders,
  recordTimestamp: string,
  options: ReplayOptions = {},
): ReplayDecision {
  const {
    errorTypes = DEFAULT_REPLAY_TYPES,
    since,
    maxReplays = DEFAULT_MAX_REPLAYS,
    targetTopic = DEFAULT_TARGET_TOPIC,
  } = options;
  const type = headers.errorType ?? "unknown";
  if (!errorTypes.includes(type)) {
    return {
      action: "skipped",
      reason: "error-type",
      detail: `error type ${type} is not selected (replaying ${errorTypes.join(", ")})`,
    };
  }
  if (since !== undefined) {
    const ms = headers.failedAt?.getTime() ?? Number(recordTimestamp);
    if (!Number.isFinite(ms) || ms < 0) {
      return { action: "skipped", reason: "since", detail: "failure time unknown" };
    }
    if (ms < since.getTime()) {
      return {
        action: "skipped",
        reason: "since",
        detail: `failed at ${new Date(ms).toISOString()}, before ${since.toISOString()}`,
      };
    }
  }
  if (headers.replayCount >= maxReplays) {
    return {
      action: "parked",
      detail: `already replayed ${headers.replayCount} times (limit ${maxReplays})`,
    };
  }
  return {
    action: "replay",
    topic: headers.topic ?? targetTopic,
    replayCount: headers.replayCount + 1,
  };
}

/**
 * The headers of a replayed record: the original record's headers (the DLQ
 * record's headers minus the DLQ context) with `replay-count` set to
 * `replayCount`.
 */
export function buildReplayHeaders(
  headers: ParsedDlqHeaders,
  replayCount: number,
): Record<string, Buffer> {
  return { ...headers.original, [REPLAY_COUNT_HEADER]: Buffer.from(String(replayCount)) };
}

/** Counts of one replay run. */
export interface ReplayTally {
  /** DLQ records looked at. */
  examined: number;
  /** Records republished and acknowledged. */
  replayed: number;
  /** Records a dry run would have republished. */
  wouldReplay: number;
  /** Records at the replay limit. */
  parked: number;
  /** Records the filters passed over. */
  skipped: number;
  /** Skipped records by error type. */
  skippedByType: Record<string, number>;
  /** Skipped records that failed before `--since` (or at an unknown time). */
  skippedBySince: number;
  /** Skipped copies of a record already replayed in this run. */
  skippedDuplicates: number;
  /** Replayed (or would-replay) records per target topic. */
  byTarget: Record<string, number>;
}

/** An empty tally. */
export function emptyTally(): ReplayTally {
  return {
    examined: 0,
    replayed: 0,
    wouldReplay: 0,
    parked: 0,
    skipped: 0,
    skippedByType: {},
    skippedBySince: 0,
    skippedDuplicates: 0,
    byTarget: {},
  };
}

/**
 * Counts one decision in `tally`, in place. `dryRun` counts a replay as
 * would-replay. `errorType` is the record's type (`unknown` when missing).
 */
export function countDecision(
  tally: ReplayTally,
  decision: ReplayDecision,
  errorType: string,
  dryRun = false,
): void {
  tally.examined += 1;
  switch (decision.action) {
    case "replay":
      if (dryRun) tally.wouldReplay += 1;
      else tally.replayed += 1;
      tally.byTarget[decision.topic] = (tally.byTarget[decision.topic] ?? 0) + 1;
      break;
    case "parked":
      tally.parked += 1;
      break;
    case "skipped":
      tally.skipped += 1;
      if (decision.reason === "since") tally.skippedBySince += 1;
      else if (decision.reason === "duplicate") tally.skippedDuplicates += 1;
      else tally.skippedByType[errorType] = (tally.skippedByType[errorType] ?? 0) + 1;
      break;
  }
}

function breakdown(counts: Record<string, number>): string {
  const parts = Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, n]) => `${name}: ${n}`);
  return parts.length === 0 ? "" : ` (${parts.join(", ")})`;
}

/** What a summary names besides the counts. */
export interface ReplaySummaryContext {
  /** The DLQ topic. */
  topic: string;
  /** The replayer's consumer group. */
  group: string;
  /** Whether nothing was sent or committed. */
  dryRun: boolean;
  /** The replay limit in force. */
  maxReplays: number;
}

/** The REPLAY SUMMARY block. */
export function formatReplaySummary(tally: ReplayTally, context: ReplaySummaryContext): string[] {
  const rule = "=".repeat(70);
  const skippedParts: Record<string, number> = {};
  for (const [type, n] of Object.entries(tally.skippedByType)) {
    skippedParts[`error type ${type}`] = n;
  }
  if (tally.skippedBySince > 0) skippedParts["before --since"] = tally.skippedBySince;
  if (tally.skippedDuplicates > 0) skippedParts["duplicate dead letters"] = tally.skippedDuplicates;
  return [
    rule,
    `REPLAY SUMMARY${context.dryRun ? " (DRY RUN)" : ""}: ${context.topic}, group ${context.group}`,
    rule,
    `Records examined: ${tally.examined}`,
    context.dryRun
      ? `Would replay: ${tally.wouldReplay}${breakdown(tally.byTarget)}`
      : `Replayed: ${tally.replayed}${breakdown(tally.byTarget)}`,
    `Parked (replay limit of ${context.maxReplays} reached): ${tally.parked}`,
    `Skipped by filter: ${tally.skipped}${breakdown(skippedParts)}`,
    ...(context.dryRun ? ["Dry run: nothing was sent and no offset was committed"] : []),
    rule,
  ];
}

/**
 * What makes two DLQ records the same failure: the original record and its
 * replay generation. The consumer may dead-letter a record twice (its DLQ
 * write was acknowledged, then a crash or rebalance stopped the commit);
 * replaying both copies would count the order twice. `undefined` when the
 * headers do not name the original record.
 */
export function replayIdentity(
  headers: { topic?: string; partition?: number; offset?: string; replayCount: number },
): string | undefined {
  if (headers.topic === undefined || headers.partition === undefined) return undefined;
  if (headers.offset === undefined || headers.offset === "-1") return undefined;
  return `${headers.topic}/${headers.partition}/${headers.offset}/${headers.replayCount}`;
}
