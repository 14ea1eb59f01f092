/**
 * The chaos soak's schedule: which broker and consumer events happen when,
 * drawn from the seed, so a run can be repeated. Pure.
 *
 * Broker events (leader kills, the rolling restart) take slots spread over
 * the first three quarters of production, one per slot, so each has time to
 * finish before the next (the runner also never overlaps them). Consumer
 * kills take their own slots over nearly the whole production, each far
 * enough from the next for the group to notice the member is gone.
 *
 * @module
 */
import { seededRandom } from "../order/random.ts";
import { type ChaosConfig, productionMs } from "./options.ts";

/** One event of the soak, `atMs` after production starts. */
export type ChaosEvent =
  | { atMs: number; kind: "kill-leader"; partition: number }
  | { atMs: number; kind: "rolling-restart" }
  | { atMs: number; kind: "kill-consumer"; instance: number };

/** The settings the schedule is drawn from. */
export type ScheduleSettings = Pick<
  ChaosConfig,
  | "orders"
  | "rate"
  | "seed"
  | "partitions"
  | "instances"
  | "leaderKills"
  | "rollingRestart"
  | "consumerKills"
>;

/**
 * The events of a soak, sorted by time: `leaderKills` kills of the leader
 * of a drawn partition and the rolling restart in a drawn order, and
 * `consumerKills` kills of a drawn instance.
 *
 * @example
 * ```ts
 * import { chaosSchedule } from "./schedule.ts";
 * const events = chaosSchedule({
 *   orders: 20_000, rate: 500, seed: 42, partitions: 6, instances: 2,
 *   leaderKills: 1, rollingRestart: false, consumerKills: 3,
 * });
 * events.map((e) => e.kind).filter((k) => k === "kill-consumer").length; // 3
 * ```
 */
export function chaosSchedule(settings: ScheduleSettings): ChaosEvent[] {
  const random = seededRandom(settings.seed);
  const total = productionMs(settings);
  const broker: ("kill-leader" | "rolling-restart")[] = [
    ...Array<"kill-leader">(settings.leaderKills).fill("kill-leader"),
    ...(settings.rollingRestart ? ["rolling-restart" as const] : []),
  ];
  shuffle(broker, random);
  const events: ChaosEvent[] = [];
  slots(broker.length, 0.05 * total, 0.75 * total).forEach(([start, length], i) => {
    const atMs = Math.round(start + random() * 0.3 * length);
    events.push(
      broker[i] === "kill-leader"
        ? { atMs, kind: "kill-leader", partition: Math.floor(random() * settings.partitions) }
        : { atMs, kind: "rolling-restart" },
    );
  });
  for (const [start, length] of slots(settings.consumerKills, 0.05 * total, 0.9 * total)) {
    const atMs = Math.round(start + (0.25 + 0.5 * random()) * length);
    events.push({
      atMs,
      kind: "kill-consumer",
      instance: Math.floor(random() * settings.instances),
    });
  }
  return events.sort((a, b) => a.atMs - b.atMs);
}

/** `count` equal slots `[start, length]` from `from` to `to`. */
function slots(count: number, from: number, to: number): [number, number][] {
  const length = (to - from) / Math.max(count, 1);
  return Array.from({ length: count }, (_, i) => [from + i * length, length]);
}

/** Fisher-Yates with the seeded generator, in place. */
function shuffle<T>(items: T[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
}
