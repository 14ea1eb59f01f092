/**
 * The DLQ tool's Prometheus metrics. Replaying: the replay tally (examined,
 * replayed, would-replay on a dry run, parked, skipped by reason, duplicate
 * copies among them), counted from the {@linkcode DlqEvents.decided} hook
 * with the replayer's own `countDecision`. Watching: the dead letters shown,
 * by error type.
 *
 * @module
 */
import type { Registry } from "prom-client";
import { counterByLabel, countersOf, type Figure } from "../metrics/registry.ts";
import type { DlqConfig, DlqEvents } from "./options.ts";
import { countDecision, emptyTally, type ReplayTally } from "./replay_decision.ts";

/** The replay counters, each a field of the tally. */
const REPLAY_COUNTERS: Figure<ReplayTally>[] = [
  { name: "records_examined", help: "DLQ records the replayer decided on.", field: "examined" },
  {
    name: "records_replayed",
    help: "Records republished to their original topic and acknowledged.",
    field: "replayed",
  },
  {
    name: "records_would_replay",
    help: "Records a dry run would have republished.",
    field: "wouldReplay",
  },
  {
    name: "records_parked",
    help: "Records at the replay limit, left in the DLQ.",
    field: "parked",
  },
];

/** The `program` label of each mode. */
export function dlqProgram(config: Pick<DlqConfig, "replay">): string {
  return config.replay === undefined ? "dlq-monitor" : "dlq-replayer";
}

/**
 * Registers the metrics of the DLQ tool's mode in `registry` and returns
 * the hooks to pass to `runReplay` or `runMonitor`.
 */
export function registerDlqMetrics(
  registry: Registry,
  config: Pick<DlqConfig, "topic" | "group" | "replay">,
): Pick<DlqEvents, "decided" | "seen"> {
  const labels = { topic: config.topic, group: config.group };
  if (config.replay === undefined) {
    const byType = new Map<string, number>();
    counterByLabel(registry, {
      name: "order_dlq_monitor_records_total",
      help: "Dead letters shown, by error type.",
      labels,
      label: "error_type",
      read: () => byType,
    });
    return { seen: (view) => byType.set(view.errorType, (byType.get(view.errorType) ?? 0) + 1) };
  }
  const tally = emptyTally();
  countersOf(registry, {
    prefix: "order_dlq_replay_",
    labels,
    figures: REPLAY_COUNTERS,
    source: () => tally,
  });
  counterByLabel(registry, {
    name: "order_dlq_replay_records_skipped_total",
    help:
      "Records the filters passed over, by reason: error-type, since, or duplicate (a copy of a record already replayed in this run).",
    labels,
    label: "reason",
    read: () => [
      ["error-type", Object.values(tally.skippedByType).reduce((a, b) => a + b, 0)],
      ["since", tally.skippedBySince],
      ["duplicate", tally.skippedDuplicates],
    ],
  });
  return {
    decided: (d) => countDecision(tally, d.decision, d.errorType, d.dryRun),
  };
}
