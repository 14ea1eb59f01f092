/**
 * What the DLQ tool prints around a run, free of Kafka: the start line of
 * each mode and the summary at the end, as text or as the last JSON line.
 *
 * @module
 */
import type { DlqConfig, ReplayConfig } from "./options.ts";
import { formatReplaySummary, type ReplayTally } from "./replay_decision.ts";
import { type DlqSummary, formatDlqSummary } from "./summary.ts";

/**
 * The line the monitor prints once its start positions are fixed.
 *
 * @example
 * ```ts
 * import { monitorStartLine } from "./report.ts";
 * monitorStartLine({ topic: "orders-dlq", group: "g", fromBeginning: false });
 * // "DLQ Consumer started, monitoring dead letter queue orders-dlq for new records (group g)..."
 * ```
 */
export function monitorStartLine(
  config: Pick<DlqConfig, "topic" | "group" | "fromBeginning">,
): string {
  const where = config.fromBeginning ? "from the oldest record" : "for new records";
  return `DLQ Consumer started, monitoring dead letter queue ${config.topic} ${where} (group ${config.group})...`;
}

/**
 * The line the replayer prints before it starts.
 *
 * @example
 * ```ts
 * import { replayStartLine } from "./report.ts";
 * replayStartLine({ topic: "orders-dlq", group: "g" }, { dryRun: true, errorTypes: ["processing"] });
 * // "DLQ replay started on orders-dlq (group g), dry run: replaying processing..."
 * ```
 */
export function replayStartLine(
  config: Pick<DlqConfig, "topic" | "group">,
  replay: Pick<ReplayConfig, "dryRun" | "errorTypes">,
): string {
  const dry = replay.dryRun ? ", dry run" : "";
  return `DLQ replay started on ${config.topic} (group ${config.group})${dry}: replaying ${
    replay.errorTypes.join(", ")
  }...`;
}

/**
 * The monitor's closing lines: one JSON object with `event: "summary"` in
 * JSON mode, else the DEAD LETTER QUEUE SUMMARY block (quiet mode too).
 */
export function monitorSummaryLines(
  config: Pick<DlqConfig, "output">,
  summary: DlqSummary,
): string[] {
  if (config.output === "json") return [JSON.stringify({ event: "summary", ...summary })];
  return formatDlqSummary(summary);
}

/**
 * The replayer's closing lines: one JSON object with `event: "summary"`,
 * `mode: "replay"` and the tally in JSON mode, else the REPLAY SUMMARY block
 * (quiet mode too).
 */
export function replaySummaryLines(
  config: Pick<DlqConfig, "output" | "topic" | "group">,
  replay: ReplayConfig,
  tally: ReplayTally,
): string[] {
  if (config.output === "json") {
    return [JSON.stringify({ event: "summary", mode: "replay", dryRun: replay.dryRun, ...tally })];
  }
  return formatReplaySummary(tally, { topic: config.topic, group: config.group, ...replay });
}
