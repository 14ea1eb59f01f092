/**
 * Assignment: what happens when this instance joins the group. Every
 * assigned partition is paused, its committed state loaded and checked, the
 * position moved past what retention deleted, and only then resumed: a fetch
 * at an offset retention already deleted makes kafkajs commit the log start
 * with empty metadata, wiping the committed aggregate. Paused partitions are
 * not fetched; `seek` commits nothing while autoCommit is off.
 *
 * @module
 */
import type { Consumer } from "kafkajs";
import { describeError } from "../kafka/errors.ts";
import type { StopSwitch } from "../kafka/lifecycle.ts";
import { retryWithBackoff, STATE_LOAD_RETRY } from "../retry.ts";
import type { CommittedOffset } from "./committed.ts";
import type { GroupState } from "./group_state.ts";
import type { ConsumerConfig } from "./options.ts";
import { type ConsumerEvents, joinedLine } from "./output.ts";
import { PartitionStateError, planAssignment, type PlannedPartition } from "./partition_state.ts";
import type { ConsumerMetrics } from "./report.ts";

/** What the consumed topic looks like to a joining member. */
export interface CommittedView {
  committed: Map<number, CommittedOffset>;
  logs: { partition: number; low: string; high: string }[];
}

/** What assignment needs from the run around it. */
export interface AssignmentDeps {
  config: ConsumerConfig;
  group: GroupState;
  metrics: ConsumerMetrics;
  run: Pick<StopSwitch, "stop">;
  events: ConsumerEvents;
  touch(): void;
  consumer: Pick<Consumer, "pause" | "resume" | "seek">;
  /** Reads the group's commits and the topic's log offsets. */
  readCommitted(): Promise<CommittedView>;
  /** Waits between attempts to load; the tests fake it. @default {setTimeout} */
  sleep?: (ms: number) => Promise<void>;
}

/** Runs {@linkcode onJoin} on every join of `consumer` to its group. */
export function followAssignments(deps: AssignmentDeps, consumer: Consumer): void {
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    void onJoin(deps, e.payload.memberAssignment[deps.config.topic] ?? []);
  });
}

/**
 * Starts a new generation holding `partitions`: pauses them, loads their
 * committed state (retrying a coordinator hiccup, never a bad state), seeks
 * where retention moved the log start, and resumes them. A bad state stops
 * the run with its reason. Resolves when done.
 */
export async function onJoin(deps: AssignmentDeps, partitions: number[]): Promise<void> {
  const { config, group, events } = deps;
  const generation = group.joined(partitions);
  deps.metrics.joins += 1;
  deps.touch();
  const line = joinedLine(config.output, config.group, config.topic, partitions);
  if (line !== undefined) events.line?.(line);
  if (partitions.length === 0) return;
  const tps = [{ topic: config.topic, partitions }];
  deps.consumer.pause(tps);
  try {
    const { value: planned } = await retryWithBackoff(() => load(deps, partitions), {
      ...STATE_LOAD_RETRY,
      // A bad committed state is permanent; a coordinator hiccup is not.
      isRetriable: (error) => !(error instanceof PartitionStateError),
      sleep: deps.sleep,
    });
    // Rejoined while loading: that join loads its own.
    if (generation !== group.generation) return;
    for (const [partition, { state, seekTo }] of planned) {
      group.states.set(partition, state);
      if (seekTo !== undefined) {
        deps.consumer.seek({ topic: config.topic, partition, offset: seekTo });
      }
    }
    deps.consumer.resume(tps);
  } catch (error) {
    // The consumer restarted or rejoined meanwhile: that join loads its own.
    if (generation !== group.generation && !(error instanceof PartitionStateError)) return;
    const message = error instanceof PartitionStateError
      ? error.message
      : `cannot load the committed state of ${config.topic}: ${describeError(error)}`;
    events.warn?.(`ERROR: ${message}`);
    deps.run.stop(message);
  }
}

async function load(
  deps: AssignmentDeps,
  partitions: number[],
): Promise<Map<number, PlannedPartition>> {
  const { committed, logs } = await deps.readCommitted();
  const { planned, warnings } = planAssignment(deps.config.topic, partitions, committed, logs);
  for (const w of warnings) deps.events.warn?.(`WARNING: ${w}`);
  return planned;
}
