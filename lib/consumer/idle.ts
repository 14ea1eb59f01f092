/**
 * `--idle-exit`: stop once nothing arrived for that long *and* every assigned
 * partition is caught up, so a slow join or a long backoff never ends a run
 * early.
 *
 * @module
 */
import { every, type StopSwitch } from "../kafka/lifecycle.ts";
import type { GroupState } from "./group_state.ts";

/** When the run last did something: a record, a join or a backoff. */
export class Activity {
  #last: number;
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
    this.#last = now();
  }

  /** Marks the run as busy now. */
  touch(): void {
    this.#last = this.#now();
  }

  /** Milliseconds since the run was last busy. */
  idleFor(): number {
    return this.#now() - this.#last;
  }
}

/** What the idle exit watches. */
export interface IdleDeps {
  idleExitMs: number;
  group: GroupState;
  activity: Activity;
  run: Pick<StopSwitch, "stop" | "isStopped">;
  /** The high watermark of each partition of the consumed topic. */
  highs(): Promise<Map<number, bigint>>;
}

/**
 * One check: stops the run when it has been idle long enough and is caught
 * up; otherwise, when idle but behind (or the check failed), counts it as
 * busy again so the next check waits a full idle period.
 */
export async function checkIdle(deps: IdleDeps): Promise<void> {
  if (deps.run.isStopped() || deps.activity.idleFor() <= deps.idleExitMs) return;
  try {
    if (deps.group.caughtUp(await deps.highs())) deps.run.stop();
    else deps.activity.touch();
  } catch {
    deps.activity.touch();
  }
}

/** Checks every 100 ms; returns the function that stops watching. */
export function watchIdle(deps: IdleDeps): () => void {
  if (deps.idleExitMs === Infinity) return () => {};
  return every(100, () => checkIdle(deps));
}
