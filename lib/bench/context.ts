/**
 * The state a bench run's steps share: its settings, one Kafka session, the
 * Java tools if they run, and the topics and groups it made, each named
 * uniquely for this run and deleted at its end.
 *
 * @module
 */
import { describeError } from "../kafka/errors.ts";
import type { ClientSecurity } from "../kafka/security.ts";
import { KafkaSession } from "../kafka/session.ts";
import { ensureTopics } from "../kafka/topics.ts";
import type { JavaTools } from "./java_runner.ts";
import type { BenchConfig } from "./options.ts";

/** How long the bench waits for the broker to answer at the start. */
const CONNECT_TIMEOUT_MS = 30_000;

/** The bench's state shared by its steps. */
export interface BenchContext {
  config: BenchConfig;
  brokers: string[];
  /** TLS and SASL of `brokers`; unset is plaintext. The `tls` step runs with its own. */
  security?: ClientSecurity;
  /** The bench's own client and admin; our producer runs use its client. */
  session: KafkaSession;
  /** Topics and groups to delete at the end. */
  topics: string[];
  groups: string[];
  /** A prefix that makes this run's topic and group names unique. */
  runId: string;
  /** Writes a progress line (to stderr). */
  progress: (line: string) => void;
  /** Set when the Java tools run. */
  java?: JavaTools;
}

/** What a context is made from. */
export type ContextSetup = Pick<BenchContext, "config" | "brokers" | "progress" | "java">;

/** Connects the bench's session and starts a run with no topics or groups yet. */
export async function openContext(setup: ContextSetup): Promise<BenchContext> {
  const security = setup.config.security;
  const session = await KafkaSession.open(
    { brokers: setup.brokers, connectTimeoutMs: CONNECT_TIMEOUT_MS, security },
    "order-bench",
  );
  return {
    ...setup,
    security,
    session,
    topics: [],
    groups: [],
    runId: `bench-${Date.now().toString(36)}`,
  };
}

/**
 * Creates a fresh topic (and its DLQ) for one step, with `partitions`
 * (default `--partitions`), and remembers both for clean-up.
 */
export async function newTopic(
  ctx: BenchContext,
  what: string,
  partitions: number = ctx.config.partitions,
): Promise<string> {
  const topic = `${ctx.runId}-${what}`;
  ctx.topics.push(topic, `${topic}-dlq`);
  await ensureTopics(ctx.session.admin, [
    { topic, partitions },
    { topic: `${topic}-dlq`, partitions },
  ]);
  return topic;
}

/** A fresh consumer group name for one run, remembered for clean-up. */
export function newGroup(ctx: Pick<BenchContext, "runId" | "groups">, what: string): string {
  const group = `${ctx.runId}-${what}-${Math.random().toString(36).slice(2, 6)}`;
  ctx.groups.push(group);
  return group;
}

/**
 * Deletes the run's groups and the topics that exist. A failure is reported
 * as progress, not thrown: the figures are in by then.
 */
export async function cleanUp(ctx: BenchContext): Promise<void> {
  const { admin } = ctx.session;
  try {
    if (ctx.groups.length > 0) await admin.deleteGroups(ctx.groups);
  } catch (error) {
    ctx.progress(`could not delete the bench's groups: ${describeError(error)}`);
  }
  try {
    const existing = new Set(await admin.listTopics());
    const topics = ctx.topics.filter((t) => existing.has(t));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
  } catch (error) {
    ctx.progress(`could not delete the bench's topics: ${describeError(error)}`);
  }
}
