import assert from "node:assert/strict";
import { stopSwitch } from "../kafka/lifecycle.ts";
import { emptyAggregate } from "../order/aggregate.ts";
import { GroupState } from "./group_state.ts";
import { Activity, checkIdle, type IdleDeps } from "./idle.ts";

function deps(highs: () => Promise<Map<number, bigint>>) {
  let clock = 0;
  const group = new GroupState();
  group.joined([0]);
  group.states.set(0, { next: "10", agg: emptyAggregate() });
  const d: IdleDeps = {
    idleExitMs: 1000,
    group,
    activity: new Activity(() => clock),
    run: stopSwitch(),
    highs,
  };
  return { d, advance: (ms: number) => (clock += ms) };
}

Deno.test("checkIdle() stops the run once idle long enough and caught up", async () => {
  const { d, advance } = deps(() => Promise.resolve(new Map([[0, 10n]])));
  advance(1000);
  await checkIdle(d);
  assert.equal(d.run.isStopped(), false);
  advance(1);
  await checkIdle(d);
  assert.equal(d.run.isStopped(), true);
});

Deno.test("checkIdle() waits a full period again when idle but behind, or when the check fails", async () => {
  let high = 11n;
  const { d, advance } = deps(() =>
    high < 0n ? Promise.reject(new Error("broker gone")) : Promise.resolve(new Map([[0, high]]))
  );
  advance(1500);
  await checkIdle(d);
  assert.equal(d.run.isStopped(), false);
  assert.equal(d.activity.idleFor(), 0);
  high = -1n;
  advance(1500);
  await checkIdle(d);
  assert.equal(d.run.isStopped(), false);
  assert.equal(d.activity.idleFor(), 0);
});
