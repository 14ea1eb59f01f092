/**
 * Creates the pipeline's topics idempotently, so no program needs a manual
 * setup step, and waits until every partition has a leader: under KRaft a
 * new topic can briefly be missing from metadata.
 *
 * @module
 */
import type { Admin } from "kafkajs";
import { asAccessDenied, guard } from "./access.ts";
import { identityOf } from "./session.ts";

/** A topic to make sure of. */
export interface TopicSpec {
  topic: string;
  /** @default {3} */
  partitions?: number;
  /** Extra topic configs, e.g. `cleanup.policy`. */
  config?: Record<string, string>;
}

/** The default partition count of the pipeline's topics. */
export const DEFAULT_PARTITIONS = 3;

/**
 * Creates the topics that do not exist yet and waits (polling, up to
 * `timeoutMs`) until all their partitions have leaders. Returns each topic's
 * partition count, which may differ from the request for a topic that existed.
 * A principal that may not Create or Describe them gets an
 * `AccessDeniedError` naming the topics, at once.
 */
export async function ensureTopics(
  admin: Admin,
  specs: TopicSpec[],
  timeoutMs = 30_000,
): Promise<Map<string, number>> {
  const identity = identityOf(admin);
  // listTopics() leaves out the topics a principal may not Describe.
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((s) => !existing.has(s.topic));
  if (missing.length > 0) {
    const names = missing.map((s) => s.topic).join(", ");
    try {
      await guard(
        { topic: { operation: "Create", resource: "topic", name: names } },
        identity,
        () => createTopics(admin, missing),
      );
    } catch (error) {
      // Another program may have created it between our list and create.
      if (!/already exists/i.test(String((error as Error)?.message))) throw error;
    }
  }
  const topics = specs.map((s) => s.topic);
  const describe = {
    topic: { operation: "Describe", resource: "topic", name: topics.join(", ") },
  } as const;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { topics: meta } = await admin.fetchTopicMetadata({ topics });
      const ready = meta.length === topics.length &&
        meta.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
      if (ready) return new Map(meta.map((t) => [t.name, t.partitions.length]));
    } catch (error) {
      // A denial stays a denial; metadata for a just-created topic may just not be there yet.
      const denied = asAccessDenied(error, describe, identity);
      if (denied !== undefined) throw denied;
    }
    if (Date.now() > deadline) {
      throw new Error(`topics ${topics.join(", ")} have no leaders after ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function createTopics(admin: Admin, missing: TopicSpec[]): Promise<boolean> {
  return admin.createTopics({
    waitForLeaders: true,
    topics: missing.map((s) => ({
      topic: s.topic,
      numPartitions: s.partitions ?? DEFAULT_PARTITIONS,
      replicationFactor: 1,
      configEntries: Object.entries(s.config ?? {}).map(([name, value]) => ({ name, value })),
    })),
  });
}
