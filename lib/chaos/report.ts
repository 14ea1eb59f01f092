/**
 * What the chaos soak prints: a heading with the settings, one line per
 * event as it happens, then the figures and the verdict. Pure.
 *
 * @module
 */
import type { ChaosFigures } from "./figures.ts";
import type { ChaosConfig } from "./options.ts";
import { grouped, type Verdict } from "./verdict.ts";

/** The events a soak survived, counted as they ran. */
export interface Survived {
  /** Leaders SIGKILLed (and restarted). */
  leaderKills: number;
  /** Brokers stopped and started again by the rolling restart. */
  nodesRestarted: number;
  /** Consumer processes SIGKILLed (and restarted). */
  consumerKills: number;
}

/**
 * The heading: what runs, where, with which settings.
 *
 * @example
 * ```ts
 * import { headingLines } from "./report.ts";
 * import { CHAOS_DEFAULTS } from "./options.ts";
 * headingLines(CHAOS_DEFAULTS, "127.0.0.1:1", 3)[0];
 * // "CHAOS SOAK (seed 42): 100,000 orders at 500/s with 2% poison pills, on 3 brokers at 127.0.0.1:1"
 * ```
 */
export function headingLines(config: ChaosConfig, bootstrap: string, brokers: number): string[] {
  return [
    `CHAOS SOAK (seed ${config.seed}): ${grouped(config.orders)} orders at ${
      grouped(config.rate)
    }/s with ${percent(config.poisonRate)} poison pills, on ${brokers} brokers at ${bootstrap}`,
    `Topic: ${config.partitions} partitions, replication factor 3, min.insync.replicas 2; ` +
    `${config.instances} consumer instances in one group (session timeout ${
      config.sessionTimeoutMs / 1000
    } s); producer --attempts ${config.producerAttempts}`,
    `Planned: ${config.leaderKills} leader kill${config.leaderKills === 1 ? "" : "s"} ` +
    `(down ${config.downMs / 1000} s each)${config.rollingRestart ? ", 1 rolling restart" : ""}, ` +
    `${config.consumerKills} consumer kill${config.consumerKills === 1 ? "" : "s"}`,
  ];
}

/**
 * One event line, `atMs` after production started.
 *
 * @example
 * ```ts
 * import { eventLine } from "./report.ts";
 * eventLine(12_345, "SIGKILL consumer 2 (pid 7)"); // "  +12.3 s  SIGKILL consumer 2 (pid 7)"
 * ```
 */
export function eventLine(atMs: number, text: string): string {
  return `  +${(atMs / 1000).toFixed(1).padStart(5)} s  ${text}`;
}

/**
 * The figures, one per line; `start` is when production started (ms since
 * the epoch), so the longest pause can say when it ended.
 *
 * @example
 * ```ts
 * import { figureLines } from "./report.ts";
 * const figures = {
 *   targetRate: 500, heldRate: 499.5, slowestWindowRate: 300, longestPauseMs: 7100,
 *   longestPauseEndedAt: 61_000, rebalances: 12, e2e: { count: 10, p50Ms: 40, p99Ms: 6000, maxMs: 9000 },
 * };
 * figureLines(figures, { leaderKills: 3, nodesRestarted: 3, consumerKills: 10 }, 1000, 2)[0];
 * // "  orders/s held:                  499.5 (target 500; slowest 5 s window 300.0)"
 * ```
 */
export function figureLines(
  figures: ChaosFigures,
  survived: Survived,
  start: number,
  duplicateDeadLetters: number,
): string[] {
  const { e2e } = figures;
  const row = (name: string, value: string) => `  ${`${name}:`.padEnd(32)}${value}`;
  return [
    row(
      "orders/s held",
      `${figures.heldRate.toFixed(1)} (target ${grouped(figures.targetRate)}; slowest 5 s window ${
        figures.slowestWindowRate.toFixed(1)
      })`,
    ),
    row(
      "longest pause in consumption",
      `${(figures.longestPauseMs / 1000).toFixed(1)} s (ended at +${
        ((figures.longestPauseEndedAt - start) / 1000).toFixed(1)
      } s)`,
    ),
    row(
      "kills survived",
      `${survived.leaderKills} leader SIGKILLs, ${survived.nodesRestarted} brokers restarted ` +
        `in a rolling restart, ${survived.consumerKills} consumer SIGKILLs`,
    ),
    row("rebalances", String(figures.rebalances)),
    row(
      "end-to-end latency",
      `p50 ${grouped(e2e.p50Ms)} ms, p99 ${grouped(e2e.p99Ms)} ms, max ${grouped(e2e.maxMs)} ms ` +
        `(create time to first commit, ${grouped(e2e.count)} orders)`,
    ),
    row("dead letters written twice", String(duplicateDeadLetters)),
  ];
}

/**
 * The verdict: PASSED or FAILED, then each check with its detail.
 *
 * @example
 * ```ts
 * import { verdictLines } from "./report.ts";
 * const truth = { count: 0, average: 0, min: 0, max: 0, revenue: 0 };
 * verdictLines({ passed: true, checks: [{ name: "n", passed: true, detail: "d" }], truth, duplicateDeadLetters: 0 });
 * // ["Verdict: PASSED", "  [ok] n: d"]
 * ```
 */
export function verdictLines(verdict: Verdict): string[] {
  return [
    `Verdict: ${verdict.passed ? "PASSED" : "FAILED"}`,
    ...verdict.checks.map((c) => `  [${c.passed ? "ok" : "FAILED"}] ${c.name}: ${c.detail}`),
  ];
}

function percent(share: number): string {
  return `${Number((share * 100).toFixed(2))}%`;
}
