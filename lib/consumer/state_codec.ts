/**
 * The state codec: a partition's aggregate as offset-commit metadata, so the
 * aggregate and the offset it belongs to are committed in one atomic write.
 *
 * @module
 */
import { PipelineError } from "../errors.ts";
import type { Aggregate } from "../order/aggregate.ts";

/**
 * A partition's state as committed with its offset: the aggregate of every
 * record before `next`, the offset the commit points at.
 */
export interface PartitionState {
  /** The committed offset this state belongs to: the next record to read. */
  next: string;
  agg: Aggregate;
}

/** Marks our metadata, so a commit written by anything else is recognised. */
const STATE_TAG = "agg1";

/**
 * Encodes a partition state as offset-commit metadata: a short JSON string
 * (well under the broker's 4 KB `offset.metadata.max.bytes`).
 */
export function encodeState(state: PartitionState): string {
  const { agg } = state;
  return JSON.stringify({
    v: STATE_TAG,
    next: state.next,
    c: agg.count,
    s: agg.sumCents,
    mn: agg.minCents,
    mx: agg.maxCents,
  });
}

/** Committed metadata that is not our state, or does not belong to its offset. */
export class StateMismatchError extends PipelineError {
  override name = "StateMismatchError";
}

/**
 * Decodes committed metadata back into a state, checking it belongs to the
 * committed offset. Throws {@linkcode StateMismatchError} when the metadata
 * is empty or foreign (e.g. a commit made by `seek` or an offset reset) or
 * was written for another offset: using it would lose or double-count orders.
 */
export function decodeState(metadata: string | null, committedOffset: string): PartitionState {
  if (metadata === null || metadata === "") {
    throw new StateMismatchError(
      `offset ${committedOffset} was committed without aggregate state (a seek, an offset reset or another tool)`,
    );
  }
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(metadata);
  } catch {
    throw new StateMismatchError(
      `offset ${committedOffset} carries metadata that is not aggregate state: ${
        JSON.stringify(metadata.slice(0, 60))
      }`,
    );
  }
  const isCount = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
  const isCents = (v: unknown) => v === null || Number.isSafeInteger(v);
  if (
    raw?.v !== STATE_TAG || typeof raw.next !== "string" || !isCount(raw.c) ||
    !Number.isSafeInteger(raw.s) || !isCents(raw.mn) || !isCents(raw.mx)
  ) {
    throw new StateMismatchError(
      `offset ${committedOffset} carries metadata that is not aggregate state: ${
        JSON.stringify(metadata.slice(0, 60))
      }`,
    );
  }
  if (raw.next !== committedOffset) {
    throw new StateMismatchError(
      `aggregate state was written for offset ${raw.next} but the committed offset is ${committedOffset}`,
    );
  }
  return {
    next: raw.next,
    agg: {
      count: raw.c as number,
      sumCents: raw.s as number,
      minCents: raw.mn as number | null,
      maxCents: raw.mx as number | null,
    },
  };
}
