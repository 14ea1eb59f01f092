import assert from "node:assert/strict";
import { chaosSchedule, type ScheduleSettings } from "./schedule.ts";

const FULL: ScheduleSettings = {
  orders: 100_000,
  rate: 500,
  seed: 42,
  partitions: 6,
  instances: 2,
  leaderKills: 3,
  rollingRestart: true,
  consumerKills: 10,
};

Deno.test("chaosSchedule() draws the same events from the same seed", () => {
  assert.deepEqual(chaosSchedule(FULL), chaosSchedule({ ...FULL }));
  assert.notDeepEqual(chaosSchedule(FULL), chaosSchedule({ ...FULL, seed: 43 }));
});

Deno.test("chaosSchedule() has every kill asked for, sorted, inside production", () => {
  const events = chaosSchedule(FULL);
  const count = (kind: string) => events.filter((e) => e.kind === kind).length;
  assert.deepEqual(
    [count("kill-leader"), count("rolling-restart"), count("kill-consumer")],
    [3, 1, 10],
  );
  assert.deepEqual(events.map((e) => e.atMs), events.map((e) => e.atMs).sort((a, b) => a - b));
  for (const e of events) {
    assert.ok(e.atMs >= 10_000 && e.atMs <= 180_000, `${e.kind} at ${e.atMs}`);
    if (e.kind === "kill-leader") assert.ok(e.partition >= 0 && e.partition < 6);
    if (e.kind === "kill-consumer") assert.ok(e.instance === 0 || e.instance === 1);
  }
});

Deno.test("chaosSchedule() gives each broker event its own slot and spaces the consumer kills", () => {
  const events = chaosSchedule(FULL);
  const broker = events.filter((e) => e.kind !== "kill-consumer").map((e) => e.atMs);
  // Four broker events in four 35 s slots from 10 s, each in its slot's first 30%.
  broker.forEach((at, i) => assert.ok(at >= 10_000 + 35_000 * i && at <= 20_500 + 35_000 * i));
  const consumer = events.filter((e) => e.kind === "kill-consumer").map((e) => e.atMs);
  for (let i = 1; i < consumer.length; i++) {
    // Slots of 17 s, each kill in its middle half: at least 8.5 s apart.
    assert.ok(consumer[i] - consumer[i - 1] >= 8_500, `${consumer[i - 1]} then ${consumer[i]}`);
  }
});

Deno.test("chaosSchedule() plans nothing when no kill is asked for", () => {
  assert.deepEqual(
    chaosSchedule({ ...FULL, leaderKills: 0, rollingRestart: false, consumerKills: 0 }),
    [],
  );
});
