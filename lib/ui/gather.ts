/**
 * What the dashboard reads from the broker every second: the cluster, the
 * topic's log offsets, the group's commits (the same read `deno task stats`
 * makes) and the group's description with its members. A read that does
 * not answer within {@linkcode READ_TIMEOUT_MS} counts as the broker being
 * unreachable, so the page says so instead of freezing.
 *
 * @module
 */
import { type Admin, AssignerProtocol } from "kafkajs";
import { type CommittedOffset, readCommittedStates } from "../consumer/committed.ts";
import type { LogOffsets } from "../consumer/lag.ts";
import { describeError } from "../kafka/errors.ts";
import type { MemberRow } from "./snapshot.ts";

/** How long one round of reads may take before the broker counts as unreachable. */
export const READ_TIMEOUT_MS = 3000;

/** One round of reads. */
export type BrokerState =
  | {
    reachable: true;
    brokers: number;
    logs: LogOffsets[];
    committed: Map<number, CommittedOffset>;
    /** The coordinator's state name: `Stable`, `PreparingRebalance`, `Empty`, ... */
    groupState: string;
    members: MemberRow[];
  }
  | { reachable: false; error: string };

/**
 * The consumed topic's partitions a member holds, from its assignment
 * bytes (the consumer protocol's format); none when they do not decode.
 */
export function assignedPartitions(assignment: Uint8Array, topic: string): number[] {
  try {
    // deno-lint-ignore no-explicit-any
    const decoded = AssignerProtocol.MemberAssignment.decode(assignment as any);
    return [...(decoded?.assignment[topic] ?? [])].sort((a, b) => a - b);
  } catch {
    return [];
  }
}

async function read(
  admin: Pick<Admin, "describeCluster" | "fetchTopicOffsets" | "fetchOffsets" | "describeGroups">,
  topic: string,
  group: string,
): Promise<BrokerState> {
  const [cluster, offsets, committed, described] = await Promise.all([
    admin.describeCluster(),
    admin.fetchTopicOffsets(topic),
    readCommittedStates(admin, group, topic),
    admin.describeGroups([group]),
  ]);
  const description = described.groups[0];
  return {
    reachable: true,
    brokers: cluster.brokers.length,
    logs: offsets.map((o) => ({ partition: o.partition, low: o.low, high: o.high })),
    committed,
    groupState: description?.state ?? "Unknown",
    members: (description?.members ?? []).map((m) => ({
      clientId: m.clientId,
      host: m.clientHost.replace(/^\//, ""),
      partitions: assignedPartitions(m.memberAssignment, topic),
    })).sort((a, b) => (a.partitions[0] ?? Infinity) - (b.partitions[0] ?? Infinity)),
  };
}

/** Reads the broker's state for `topic` and `group`, or why it could not. */
export async function readBrokerState(
  admin: Pick<Admin, "describeCluster" | "fetchTopicOffsets" | "fetchOffsets" | "describeGroups">,
  topic: string,
  group: string,
  timeoutMs: number = READ_TIMEOUT_MS,
): Promise<BrokerState> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([read(admin, topic, group), timeout]);
  } catch (error) {
    return { reachable: false, error: describeError(error) };
  } finally {
    clearTimeout(timer);
  }
}
