/**
 * The chaos soak's verdict: what was read back from the cluster, held
 * against what the seeded generator says was produced. Pure.
 *
 * 1. Every generated order is in the topic exactly once, or the producer
 *    reported it (dead-lettered with error type `production`, or logged as
 *    unsent with exit code 1). The generator's order ids are unique, so a
 *    key seen twice is a duplicate and a key never seen is a loss.
 * 2. The committed aggregate equals the ground truth, to the cent: the valid
 *    orders that reached the topic, summed in cents.
 * 3. The DLQ holds exactly the poison pills that reached the topic, each
 *    one by its origin (`kafka_dlt-original-partition` and `-offset`), and
 *    nothing else. A copy of the same origin is counted apart rather than
 *    failed: the consumer writes a batch's dead letters before its commit, so
 *    a kill (or a failed commit) between the two makes the redo write them
 *    again. Copies that disagree with their origin fail the check.
 * 4. No consumer exited but by our SIGKILLs and the final SIGTERM.
 *
 * @module
 */
import { addCents, type AggregateSummary, emptyAggregate, summarize } from "../order/aggregate.ts";
import type { GeneratedRecord } from "../order/generator.ts";
import { toCents } from "../order/money.ts";

/** A record of the orders topic, read back. */
export interface TopicRecord {
  key: string | null;
  partition: number;
  offset: string;
  /** Its create time, ms since the epoch: when the producer made the order. */
  timestamp: number;
}

/** A record of the DLQ, read back: its key and the context headers that matter here. */
export interface DeadLetter {
  key: string | null;
  /** `dlq-error-type`: `deserialization`, `validation`, `processing` or `production`. */
  errorType?: string;
  /** `kafka_dlt-original-partition`. */
  partition?: number;
  /** `kafka_dlt-original-offset`; `-1` for a producer's dead letter. */
  offset?: string;
}

/** What the producer process said about the orders it could not deliver. */
export interface ProducerOutcome {
  exitCode: number;
  /** Keys of the orders it logged as `[UNSENT]`. */
  unsentKeys: readonly string[];
}

/** Everything the verdict is drawn from. */
export interface VerdictInput {
  /** What the generator made, in order. */
  generated: readonly GeneratedRecord[];
  topic: readonly TopicRecord[];
  deadLetters: readonly DeadLetter[];
  producer: ProducerOutcome;
  /** The group's committed aggregate (`deno task stats`). */
  committed: AggregateSummary;
  /** Consumer exits that were not our kills or the final stop, one line each. */
  unexpectedExits: readonly string[];
}

/** One check and why it passed or failed. */
export interface Check {
  name: string;
  passed: boolean;
  detail: string;
}

/** The verdict: every check, and the figures the checks found on the way. */
export interface Verdict {
  passed: boolean;
  checks: Check[];
  /** The aggregate of the valid orders that reached the topic. */
  truth: AggregateSummary;
  /** Consumer dead letters written again for an origin already in the DLQ. */
  duplicateDeadLetters: number;
}

/**
 * Holds the read-back against the generator; see the module's checks.
 *
 * @example
 * ```ts
 * import { chaosVerdict } from "./verdict.ts";
 * import { generateRecords } from "../order/generator.ts";
 * const generated = generateRecords(2, { seed: 1 });
 * const topic = generated.map((r, i) => ({ key: r.key, partition: 0, offset: String(i), timestamp: 0 }));
 * const committed = { count: 2, average: 0, min: 0, max: 0, revenue: 0 };
 * chaosVerdict({
 *   generated, topic, deadLetters: [], producer: { exitCode: 0, unsentKeys: [] },
 *   committed, unexpectedExits: [],
 * }).checks[0].passed; // true
 * ```
 */
export function chaosVerdict(input: VerdictInput): Verdict {
  const byKey = new Map(input.generated.map((r) => [r.key, r]));
  const copies = new Map<string, number>();
  for (const record of input.topic) {
    if (record.key !== null) copies.set(record.key, (copies.get(record.key) ?? 0) + 1);
  }
  const truth = groundTruth(input.generated, copies);
  const deadLetters = deadLetterCheck(input, byKey);
  const checks = [
    deliveryCheck(input, byKey, copies),
    aggregateCheck(input.committed, truth),
    deadLetters.check,
    exitCheck(input.unexpectedExits),
  ];
  return {
    passed: checks.every((c) => c.passed),
    checks,
    truth,
    duplicateDeadLetters: deadLetters.duplicates,
  };
}

/** The aggregate of the valid generated orders that reached the topic. */
function groundTruth(
  generated: readonly GeneratedRecord[],
  copies: Map<string, number>,
): AggregateSummary {
  const agg = emptyAggregate();
  for (const r of generated) {
    // The consumer reads the float32 Avro price and rounds it to cents.
    if (r.kind === "valid" && copies.has(r.key)) addCents(agg, toCents(Math.fround(r.order.price)));
  }
  return summarize(agg);
}

function deliveryCheck(
  input: VerdictInput,
  byKey: Map<string, GeneratedRecord>,
  copies: Map<string, number>,
): Check {
  const producerDead = new Set(
    input.deadLetters.filter((d) => d.errorType === "production" && d.key !== null)
      .map((d) => d.key!),
  );
  const unsent = new Set(input.producer.unsentKeys);
  let once = 0;
  let reportedOnly = 0;
  let storedAndReported = 0;
  const duplicated: string[] = [];
  const lost: string[] = [];
  for (const key of byKey.keys()) {
    const n = copies.get(key) ?? 0;
    const reported = producerDead.has(key) || unsent.has(key);
    if (n === 1) once += 1;
    if (n > 1) duplicated.push(`${key} ×${n}`);
    if (n === 0 && reported) reportedOnly += 1;
    if (n === 0 && !reported) lost.push(key);
    if (n > 0 && reported) storedAndReported += 1;
  }
  const foreign = [...copies.keys()].filter((key) => !byKey.has(key));
  const exitOk = input.producer.exitCode === (unsent.size > 0 ? 1 : 0);
  const parts = [
    `${grouped(byKey.size)} generated: ${grouped(once)} in the topic exactly once`,
    `${grouped(producerDead.size)} dead-lettered and ${
      grouped(unsent.size)
    } unsent by the producer ` +
    `(exit code ${input.producer.exitCode}${
      exitOk ? "" : `, expected ${unsent.size > 0 ? 1 : 0}`
    })`,
    `${duplicated.length} duplicated${sample(duplicated)}`,
    `${lost.length} lost${sample(lost)}`,
  ];
  if (storedAndReported > 0) parts.push(`${storedAndReported} stored although reported`);
  if (foreign.length > 0) parts.push(`${foreign.length} not generated${sample(foreign)}`);
  return {
    name: "every order in the topic exactly once, or reported by the producer",
    passed: duplicated.length === 0 && lost.length === 0 && foreign.length === 0 && exitOk &&
      once + reportedOnly + storedAndReported === byKey.size,
    detail: parts.join("; "),
  };
}

function aggregateCheck(committed: AggregateSummary, truth: AggregateSummary): Check {
  const show = (s: AggregateSummary) =>
    `count ${grouped(s.count)}, revenue $${s.revenue.toFixed(2)}, min $${s.min.toFixed(2)}, ` +
    `max $${s.max.toFixed(2)}, average $${s.average.toFixed(2)}`;
  const equal = (["count", "revenue", "min", "max", "average"] as const)
    .every((field) => committed[field] === truth[field]);
  return {
    name: "committed aggregate equals the ground truth, to the cent",
    passed: equal,
    detail: equal ? show(committed) : `committed ${show(committed)}; ground truth ${show(truth)}`,
  };
}

function deadLetterCheck(
  input: VerdictInput,
  byKey: Map<string, GeneratedRecord>,
): { check: Check; duplicates: number } {
  const atOrigin = new Map(input.topic.map((r) => [`${r.partition}@${r.offset}`, r]));
  const poisonOrigins = new Set(
    input.topic.filter((r) => r.key !== null && byKey.get(r.key)?.kind !== "valid")
      .map((r) => `${r.partition}@${r.offset}`),
  );
  const seen = new Set<string>();
  let duplicates = 0;
  const wrong: string[] = [];
  for (const d of input.deadLetters) {
    if (d.errorType === "production") continue;
    const origin = `${d.partition}@${d.offset}`;
    const record = atOrigin.get(origin);
    if (record === undefined || record.key !== d.key || !poisonOrigins.has(origin)) {
      wrong.push(`${d.key ?? "null"} from ${origin}`);
      continue;
    }
    if (seen.has(origin)) duplicates += 1;
    seen.add(origin);
  }
  const missing = [...poisonOrigins].filter((origin) => !seen.has(origin));
  const corrupt = [...poisonOrigins].filter((o) =>
    byKey.get(atOrigin.get(o)!.key!)?.kind === "corrupt"
  );
  const detail = `${grouped(poisonOrigins.size)} poison pills in the topic ` +
    `(${grouped(corrupt.length)} undecodable, ${
      grouped(poisonOrigins.size - corrupt.length)
    } invalid): ` +
    `${grouped(seen.size)} in the DLQ by origin, ${missing.length} missing${sample(missing)}, ` +
    `${wrong.length} that are not poison pills or do not match their origin${sample(wrong)}; ` +
    `${duplicates} written twice (a batch redone after its DLQ write), counted once`;
  return {
    check: {
      name: "DLQ holds exactly the poison pills, each once by origin",
      passed: missing.length === 0 && wrong.length === 0,
      detail,
    },
    duplicates,
  };
}

function exitCheck(unexpected: readonly string[]): Check {
  return {
    name: "no consumer exited but by our kills and the final stop",
    passed: unexpected.length === 0,
    detail: unexpected.length === 0 ? "none" : unexpected.join("; "),
  };
}

/** Up to three items, for a detail line. */
function sample(items: readonly string[]): string {
  if (items.length === 0) return "";
  return ` (${items.slice(0, 3).join(", ")}${items.length > 3 ? ", …" : ""})`;
}

/**
 * `n` with thousands separators.
 *
 * @example
 * ```ts
 * import { grouped } from "./verdict.ts";
 * grouped(100000); // "100,000"
 * ```
 */
export function grouped(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}
