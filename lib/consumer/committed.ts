/**
 * Reading a group's committed state: the offset and the aggregate committed
 * with it, per partition, and their exact merge. The consumer reads it when
 * partitions are assigned and for its final report; `deno task stats` reads
 * it without consuming.
 *
 * @module
 */
import type { Admin } from "kafkajs";
import { guard } from "../kafka/access.ts";
import { identityOf } from "../kafka/session.ts";
import { type Aggregate, mergeAggregates } from "../order/aggregate.ts";
import { decodeState, StateMismatchError } from "./state_codec.ts";

/** A partition's committed offset and metadata, as the group coordinator holds them. */
export interface CommittedOffset {
  /** `"-1"` when nothing is committed. */
  offset: string;
  metadata: string | null;
}

/**
 * Reads the committed offsets and metadata of every partition of `topic`
 * for `group`. A principal that may not Describe the group gets an
 * `AccessDeniedError` saying so.
 */
export async function readCommittedStates(
  admin: Pick<Admin, "fetchOffsets">,
  group: string,
  topic: string,
): Promise<Map<number, CommittedOffset>> {
  const [entry] = await guard(
    {
      group: { operation: "Describe", resource: "group", name: group },
      topic: { operation: "Describe", resource: "topic", name: topic },
    },
    identityOf(admin),
    () => admin.fetchOffsets({ groupId: group, topics: [topic] }),
  );
  const out = new Map<number, CommittedOffset>();
  for (const p of entry?.partitions ?? []) {
    out.set(p.partition, { offset: p.offset, metadata: p.metadata ?? null });
  }
  return out;
}

/** One partition's committed state, as `deno task stats` and the consumer's report read it. */
export interface CommittedPartition {
  partition: number;
  /** The committed offset; `"-1"` when nothing is committed yet. */
  offset: string;
  /** The aggregate committed with the offset, when it decodes. */
  agg?: Aggregate;
  /** Why the committed metadata is not our state, when it is not. */
  problem?: string;
}

/**
 * Decodes committed offsets into per-partition states, in partition order,
 * and the exact global aggregate: the merge of the partitions whose state
 * decodes. Pure.
 */
export function committedAggregate(
  committed: Map<number, CommittedOffset>,
): { partitions: CommittedPartition[]; aggregate: Aggregate } {
  const partitions: CommittedPartition[] = [];
  for (const [partition, c] of [...committed].sort((a, b) => a[0] - b[0])) {
    if (c.offset === "-1") {
      partitions.push({ partition, offset: c.offset });
      continue;
    }
    try {
      partitions.push({ partition, offset: c.offset, agg: decodeState(c.metadata, c.offset).agg });
    } catch (error) {
      if (!(error instanceof StateMismatchError)) throw error;
      partitions.push({ partition, offset: c.offset, problem: error.message });
    }
  }
  const parts = partitions.flatMap((p) => (p.agg === undefined ? [] : [p.agg]));
  return { partitions, aggregate: mergeAggregates(parts) };
}

/** Reads the group's committed state of `topic` and its exact global aggregate. */
export async function readCommittedAggregate(
  admin: Admin,
  group: string,
  topic: string,
): Promise<{ partitions: CommittedPartition[]; aggregate: Aggregate }> {
  return committedAggregate(await readCommittedStates(admin, group, topic));
}
