/**
 * The DLQ tool's settings and their defaults, in one place, with the
 * validation of the replay filters: the program's flags and the tests both
 * start from {@linkcode DLQ_DEFAULTS} and {@linkcode REPLAY_DEFAULTS}.
 *
 * @module
 */
import {
  type ConnectionSettings,
  DEFAULT_CONNECT_TIMEOUT_S,
  type MetricsSettings,
  type OutputMode,
} from "../cli/flags.ts";
import { UsageError } from "../errors.ts";
import { DEFAULT_MAX_PRICE } from "../order/validate.ts";
import type { RegistryConnection } from "../registry/config.ts";
import type { FetchedRecord } from "./replay_batch.ts";
import type { ReplayDecision } from "./replay_decision.ts";
import type { DlqView } from "./summary.ts";
import {
  DEFAULT_MAX_REPLAYS,
  DEFAULT_REPLAY_TYPES,
  DEFAULT_TARGET_TOPIC,
  ERROR_TYPES,
} from "./replay_decision.ts";

/** Replay settings. */
export interface ReplayConfig {
  /** Error types to replay. @default {["processing", "production"]} */
  errorTypes: readonly string[];
  /** Only records that failed at or after this time. @default {undefined} */
  since?: Date;
  /** Park records already replayed this many times. @default {3} */
  maxReplays: number;
  /** Topic for records that do not name theirs. @default {"orders"} */
  targetTopic: string;
  /** Show what would be replayed; send and commit nothing. @default {false} */
  dryRun: boolean;
}

/** Everything a run needs; set when replaying, `replay` selects the mode. */
export interface DlqConfig extends ConnectionSettings {
  /** The dead-letter topic. @default {"orders-dlq"} */
  topic: string;
  /**
   * The consumer group. @default {"orders-dlq-replayer"} when replaying,
   * `orders-dlq-monitor-<random>` when watching
   */
  group: string;
  /** @default {"text"} */
  output: OutputMode;
  /** Watching: start at the oldest record rather than at the end. @default {false} */
  fromBeginning: boolean;
  /** Watching: stop once caught up and idle this long; `Infinity` never. @default {Infinity} */
  idleExitMs: number;
  /**
   * Watching: the largest price a valid order has, in dollars; the total
   * value of failed orders counts no price above it. @default {100000}
   */
  maxPrice: number;
  /** Set when replaying. @default {undefined} */
  replay?: ReplayConfig;
  /**
   * Watching: dead letters are framed; decode them with writer schemas from
   * this registry. Replaying sends the framed bytes back unchanged and needs
   * no registry. @default {undefined}
   */
  schemaRegistry?: RegistryConnection;
  /** Where the program serves `/metrics`; not at all when absent. @default {undefined} */
  metrics?: MetricsSettings;
}

/** Where the lines of a run go. */
export interface DlqEvents {
  /** A line of output, already formatted for the chosen mode. */
  line?(text: string): void;
  /** A warning worth a human's attention. */
  warn?(text: string): void;
  /** Watching: the start positions are fixed; records from here on are shown. */
  started?(): void;
  /** Watching: a dead letter was shown. */
  seen?(view: DlqView): void;
  /** Replaying: a record was decided, and its batch sent and committed (shown, on a dry run). */
  decided?(decided: DecidedDlqRecord): void;
}

/** One DLQ record the replayer decided on. */
export interface DecidedDlqRecord {
  /** The DLQ partition. */
  partition: number;
  record: FetchedRecord;
  decision: ReplayDecision;
  /** The record's `dlq-error-type`, `unknown` without one. */
  errorType: string;
  /** Whether nothing was sent. */
  dryRun: boolean;
}

/** The defaults of every setting but the brokers, the group and the replay. */
export const DLQ_DEFAULTS: Readonly<Omit<DlqConfig, "brokers" | "group" | "replay">> = {
  topic: "orders-dlq",
  connectTimeoutMs: DEFAULT_CONNECT_TIMEOUT_S * 1000,
  output: "text",
  fromBeginning: false,
  idleExitMs: Infinity,
  maxPrice: DEFAULT_MAX_PRICE,
};

/** The defaults of the replay settings. */
export const REPLAY_DEFAULTS: Readonly<ReplayConfig> = {
  errorTypes: DEFAULT_REPLAY_TYPES,
  maxReplays: DEFAULT_MAX_REPLAYS,
  targetTopic: DEFAULT_TARGET_TOPIC,
  dryRun: false,
};

/** The replayer's group: one group, so a second run resumes where the first committed. */
export const REPLAYER_GROUP = "orders-dlq-replayer";

/**
 * How long one fetch waits for new records. Stopping waits for the fetch in
 * flight, so kafkajs's 5 s default would hold up every exit by up to 5 s.
 */
export const FETCH_WAIT_MS = 500;

/**
 * The default group of a mode: {@linkcode REPLAYER_GROUP} when replaying,
 * else a group unique to this run.
 */
export function defaultGroup(replaying: boolean): string {
  return replaying
    ? REPLAYER_GROUP
    // Unique per run: the monitor commits nothing, so a shared group
    // would only split the partitions between two people watching.
    : `orders-dlq-monitor-${crypto.randomUUID().slice(0, 8)}`;
}

/**
 * A full config from the defaults and `overrides`; without a `group`, the
 * mode's {@linkcode defaultGroup}.
 *
 * @example
 * ```ts
 * import { dlqConfig, replayConfig } from "./options.ts";
 * dlqConfig({ brokers: ["127.0.0.1:9092"], replay: replayConfig() }).group; // "orders-dlq-replayer"
 * ```
 */
export function dlqConfig(
  overrides: Partial<DlqConfig> & Pick<DlqConfig, "brokers">,
): DlqConfig {
  const group = overrides.group ?? defaultGroup(overrides.replay !== undefined);
  return { ...DLQ_DEFAULTS, ...overrides, group };
}

/**
 * Full replay settings from {@linkcode REPLAY_DEFAULTS} and `overrides`.
 *
 * @example
 * ```ts
 * import { replayConfig } from "./options.ts";
 * replayConfig({ dryRun: true }).maxReplays; // 3
 * ```
 */
export function replayConfig(overrides: Partial<ReplayConfig> = {}): ReplayConfig {
  return { ...REPLAY_DEFAULTS, ...overrides };
}

/**
 * The error types named by `--error-type` (repeatable, comma-separated),
 * without repeats; the defaults when the flag is absent. Throws a
 * UsageError for a type the replayer does not know, or for none at all.
 *
 * @example
 * ```ts
 * import { parseErrorTypes } from "./options.ts";
 * parseErrorTypes(["processing,validation", "processing"]); // ["processing", "validation"]
 * ```
 */
export function parseErrorTypes(values: readonly string[] | undefined): string[] {
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

/**
 * The time `--since` names (ISO-8601), `undefined` when absent; throws a
 * UsageError for text that is not a time.
 *
 * @example
 * ```ts
 * import { parseSince } from "./options.ts";
 * parseSince("2026-01-02T03:04:05Z")?.getTime(); // 1767323045000
 * ```
 */
export function parseSince(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (value.trim() === "" || Number.isNaN(date.getTime())) {
    throw new UsageError(`--since must be an ISO-8601 time: current value is '${value}'`);
  }
  return date;
}
