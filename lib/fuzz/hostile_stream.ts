/**
 * A hostile stream for end-to-end tests, free of Kafka: the fuzz corpus's
 * valid, mutated and random values plus tombstones and empty values, and
 * the exact outcome the consumer must reach on it (what the strict decode
 * and the business rules accept, and what goes to the DLQ as what kind of
 * failure).
 *
 * @module
 */
import { Buffer } from "node:buffer";
import type { ErrorType } from "../errors.ts";
import { addCents, type AggregateSummary, emptyAggregate, summarize } from "../order/aggregate.ts";
import { toCents } from "../order/money.ts";
import { decodeAndValidate } from "../order/process.ts";
import { DEFAULT_MAX_PRICE } from "../order/validate.ts";
import { generateCorpus, type InputKind } from "./corpus.ts";
import { seededRandom } from "../order/random.ts";

/** How a hostile record was made: a corpus kind, or a record with no or an empty value. */
export type HostileKind = InputKind | "tombstone" | "empty";

/** One record of a hostile stream, as a client other than our producer writes it. */
export interface HostileRecord {
  kind: HostileKind;
  /** `H-000001` style, or `null` for a share of them. */
  key: Buffer | null;
  /** `null` for a tombstone. */
  value: Buffer | null;
}

/** The share of tombstones, and of empty values, in a hostile stream. */
export const NO_VALUE_SHARE = 0.03;

/**
 * `count` seeded hostile records: the fuzz corpus with tombstones and
 * empty values mixed in, one key in ten `null`.
 *
 * @example
 * ```ts
 * import { hostileRecords } from "./hostile_stream.ts";
 * hostileRecords(10, 1).length; // 10
 * ```
 */
export function hostileRecords(count: number, seed = 1): HostileRecord[] {
  const corpus = generateCorpus({ count, seed });
  const random = seededRandom(seed ^ 0x5eed);
  return corpus.map((input, i) => {
    const key = random() < 0.1 ? null : Buffer.from(`H-${String(i + 1).padStart(6, "0")}`);
    const draw = random();
    if (draw < NO_VALUE_SHARE) return { kind: "tombstone", key, value: null };
    if (draw < 2 * NO_VALUE_SHARE) return { kind: "empty", key, value: Buffer.alloc(0) };
    return { kind: input.kind, key, value: Buffer.from(input.bytes) };
  });
}

/** What became of one record: aggregated, or dead-lettered with this error type. */
export type HostileOutcome = "aggregated" | ErrorType;

/** The exact outcome of consuming a hostile stream without simulated failures. */
export interface HostileTruth {
  /** Per record, in the order given. */
  outcomes: HostileOutcome[];
  aggregate: AggregateSummary;
  /** Dead letters by error type. */
  deadLetters: { deserialization: number; validation: number };
}

/**
 * The outcome of each record under the strict decode and the business
 * rules, and the aggregate of those accepted.
 */
export function hostileTruth(
  records: readonly HostileRecord[],
  maxPrice: number = DEFAULT_MAX_PRICE,
): HostileTruth {
  const agg = emptyAggregate();
  const deadLetters = { deserialization: 0, validation: 0 };
  const outcomes = records.map((r): HostileOutcome => {
    try {
      const order = decodeAndValidate(r.value, {}, maxPrice);
      addCents(agg, toCents(order.price));
      return "aggregated";
    } catch (error) {
      const type = (error as { errorType?: ErrorType }).errorType;
      if (type !== "deserialization" && type !== "validation") throw error;
      deadLetters[type] += 1;
      return type;
    }
  });
  return { outcomes, aggregate: summarize(agg), deadLetters };
}
