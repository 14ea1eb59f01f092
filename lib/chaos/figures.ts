/**
 * The chaos soak's figures, computed from what was read back and what the
 * consumers printed. Pure.
 *
 * - orders/s held: orders created per second over the run, from the create
 *   times in the topic, and the slowest full 5 s window (a stalled send
 *   holds the producer's generator back);
 * - longest pause in consumption: the longest time no consumer committed
 *   anything while orders kept coming;
 * - rebalances: every time a running instance had its partitions handed
 *   out again (the joins of an instance after its first);
 * - end-to-end latency: from an order's create time to the first commit
 *   that included it, as seen by the soak (same clock, same machine).
 *
 * @module
 */
import { LatencyRecorder } from "../metrics/latency.ts";
import type { TopicRecord } from "./verdict.ts";

/** A record reported committed by a consumer: its `processed` line, and when it arrived. */
export interface Commit {
  partition: number;
  offset: string;
  /** When the soak read the line, ms since the epoch. */
  at: number;
}

/** What the figures are drawn from. */
export interface FigureInput {
  /** The producer's target rate, orders per second. */
  rate: number;
  topic: readonly TopicRecord[];
  /** Every `processed` line, in the order they arrived. */
  commits: readonly Commit[];
  /** Per consumer process: how many times it joined the group. */
  joins: readonly number[];
}

/** The figures of a soak. */
export interface ChaosFigures {
  targetRate: number;
  /** Orders created per second, first to last. */
  heldRate: number;
  /** Orders created in the slowest full 5 s window, per second; the run's rate if shorter. */
  slowestWindowRate: number;
  /** The longest gap between commits, in ms. */
  longestPauseMs: number;
  /** When that gap ended, ms since the epoch. */
  longestPauseEndedAt: number;
  rebalances: number;
  /** Create time to first commit, over the orders committed. */
  e2e: { count: number; p50Ms: number; p99Ms: number; maxMs: number };
}

/** The width of the windows of {@linkcode ChaosFigures.slowestWindowRate}. */
export const WINDOW_MS = 5000;

/**
 * The figures of a soak; see the module's definitions.
 *
 * @example
 * ```ts
 * import { chaosFigures } from "./figures.ts";
 * const topic = [0, 1, 2].map((i) => ({ key: `k${i}`, partition: 0, offset: String(i), timestamp: 1000 * i }));
 * const commits = [0, 1, 2].map((i) => ({ partition: 0, offset: String(i), at: 1000 * i + 50 }));
 * chaosFigures({ rate: 1, topic, commits, joins: [1] }).e2e.p99Ms; // 50
 * ```
 */
export function chaosFigures(input: FigureInput): ChaosFigures {
  const created = input.topic.map((r) => r.timestamp).sort((a, b) => a - b);
  const span = created.length > 1 ? created[created.length - 1] - created[0] : 0;
  const heldRate = span > 0 ? ((created.length - 1) / span) * 1000 : 0;
  const pause = longestPause(input.commits);
  return {
    targetRate: input.rate,
    heldRate,
    slowestWindowRate: slowestWindow(created, heldRate),
    longestPauseMs: pause.ms,
    longestPauseEndedAt: pause.endedAt,
    rebalances: input.joins.reduce((sum, n) => sum + Math.max(0, n - 1), 0),
    e2e: endToEnd(input.topic, input.commits),
  };
}

/** The slowest full window's rate; `fallback` when the run is shorter than two windows. */
function slowestWindow(created: readonly number[], fallback: number): number {
  if (created.length === 0) return 0;
  const first = created[0];
  const counts: number[] = [];
  for (const t of created) {
    const i = Math.floor((t - first) / WINDOW_MS);
    counts[i] = (counts[i] ?? 0) + 1;
  }
  // The last window is cut short by the end of the run.
  const full = Array.from(counts.slice(0, -1), (n) => n ?? 0);
  return full.length === 0 ? fallback : (Math.min(...full) / WINDOW_MS) * 1000;
}

function longestPause(commits: readonly Commit[]): { ms: number; endedAt: number } {
  const times = commits.map((c) => c.at).sort((a, b) => a - b);
  let best = { ms: 0, endedAt: times[0] ?? 0 };
  for (let i = 1; i < times.length; i++) {
    const gap = times[i] - times[i - 1];
    if (gap > best.ms) best = { ms: gap, endedAt: times[i] };
  }
  return best;
}

function endToEnd(
  topic: readonly TopicRecord[],
  commits: readonly Commit[],
): ChaosFigures["e2e"] {
  const firstCommit = new Map<string, number>();
  for (const c of commits) {
    const key = `${c.partition}@${c.offset}`;
    const seen = firstCommit.get(key);
    if (seen === undefined || c.at < seen) firstCommit.set(key, c.at);
  }
  const latency = new LatencyRecorder();
  for (const r of topic) {
    const at = firstCommit.get(`${r.partition}@${r.offset}`);
    if (at !== undefined) latency.record(Math.max(0, at - r.timestamp));
  }
  const [p50Ms, p99Ms, maxMs] = latency.percentiles([50, 99, 100]);
  return { count: latency.count, p50Ms, p99Ms, maxMs };
}
