/**
 * The comparison of the differential fuzz, free of Python and Kafka: our
 * codec's verdict on each input against the reference's, and the report
 * `deno task fuzz` prints. Two verdicts agree when both refuse, or both
 * accept with the same strings and the same price (as doubles, NaN equal to
 * NaN, -0 apart from 0).
 *
 * @module
 */
import { AvroDecodeError, decodeOrder } from "../order/codec.ts";
import type { FuzzInput, InputKind } from "./corpus.ts";
import type { Verdict } from "./reference.ts";

/**
 * Our codec's verdict on `bytes`. Anything but an {@linkcode AvroDecodeError}
 * is a crash, reported as a refusal starting `crash:` so it can never agree.
 */
export function ourVerdict(bytes: Uint8Array): Verdict & { crash?: boolean } {
  try {
    return { ok: true, order: decodeOrder(bytes) };
  } catch (error) {
    if (error instanceof AvroDecodeError) return { ok: false, reason: error.reason };
    return { ok: false, reason: `crash: ${error}`, crash: true };
  }
}

/**
 * Whether two verdicts agree.
 *
 * @example
 * ```ts
 * import { sameVerdict } from "./differential.ts";
 * const order = { orderId: "A", product: "B", price: NaN };
 * sameVerdict({ ok: true, order }, { ok: true, order: { ...order } }); // true
 * ```
 */
export function sameVerdict(a: Verdict & { crash?: boolean }, b: Verdict): boolean {
  if ("crash" in a && a.crash) return false;
  if (!a.ok || !b.ok) return a.ok === b.ok;
  return a.order.orderId === b.order.orderId && a.order.product === b.order.product &&
    Object.is(a.order.price, b.order.price);
}

/** An input on which we and the reference disagree. */
export interface Disagreement {
  kind: InputKind;
  /** The input, as hex. */
  hex: string;
  ours: Verdict;
  reference: Verdict;
}

/** What a fuzz run found. */
export interface FuzzReport {
  tried: number;
  /** Inputs the reference accepted. */
  accepted: number;
  /** Inputs the reference refused. */
  rejected: number;
  /** Inputs fastavro alone accepted and strict mode refused (trailing bytes, overlong varints). */
  strictOnly: number;
  /** Of those, the ones with a length varint over 10 bytes (the others have trailing bytes). */
  overlongVarints: number;
  /** Per kind: inputs tried and accepted. */
  byKind: Partial<Record<InputKind, { tried: number; accepted: number }>>;
  disagreements: Disagreement[];
}

/** The hex of `bytes`, no spaces. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Compares our verdict on every input with the reference's (same order). */
export function compareAll(
  inputs: readonly FuzzInput[],
  reference: readonly Verdict[],
): FuzzReport {
  if (inputs.length !== reference.length) {
    throw new RangeError(`${inputs.length} inputs but ${reference.length} reference verdicts`);
  }
  const report: FuzzReport = {
    tried: inputs.length,
    accepted: 0,
    rejected: 0,
    strictOnly: 0,
    overlongVarints: 0,
    byKind: {},
    disagreements: [],
  };
  inputs.forEach(({ kind, bytes }, i) => {
    const theirs = reference[i];
    const ours = ourVerdict(bytes);
    const tally = report.byKind[kind] ??= { tried: 0, accepted: 0 };
    tally.tried += 1;
    if (theirs.ok) {
      report.accepted += 1;
      tally.accepted += 1;
    } else {
      report.rejected += 1;
      if (theirs.strictOnly) report.strictOnly += 1;
      if (theirs.strictOnly && theirs.reason.endsWith("-byte varint")) report.overlongVarints += 1;
    }
    if (!sameVerdict(ours, theirs)) {
      report.disagreements.push({ kind, hex: toHex(bytes), ours, reference: theirs });
    }
  });
  return report;
}

/** JSON with every character outside printable ASCII escaped, so a BOM or a NUL shows. */
function visible(value: unknown): string {
  return JSON.stringify(value).replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** A verdict for people: `accepts {"orderId":"A","product":"B"}, price -0` or `refuses: why`. */
export function describeVerdict(v: Verdict): string {
  if (!v.ok) return `refuses: ${v.reason}`;
  const price = Object.is(v.order.price, -0) ? "-0" : String(v.order.price);
  return `accepts ${
    visible({ orderId: v.order.orderId, product: v.order.product })
  }, price ${price}`;
}

/** The lines `deno task fuzz` prints for a report that took `ms`; at most `shown` disagreements in full. */
export function formatReport(report: FuzzReport, ms: number, shown = 20): string[] {
  const kinds = Object.entries(report.byKind).map(([k, t]) =>
    `${k} ${t.tried} (${t.accepted} accepted)`
  );
  const lines = [
    `inputs tried:   ${report.tried}`,
    `accepted:       ${report.accepted}`,
    `rejected:       ${report.rejected} (of which fastavro alone would accept ${report.strictOnly}: ${
      report.strictOnly - report.overlongVarints
    } with trailing bytes, ${report.overlongVarints} with a varint over 10 bytes)`,
    `by kind:        ${kinds.join(", ")}`,
    `disagreements:  ${report.disagreements.length}`,
    `time:           ${(ms / 1000).toFixed(1)} s`,
  ];
  for (const d of report.disagreements.slice(0, shown)) {
    lines.push(
      `DISAGREEMENT (${d.kind}) ${d.hex}`,
      `  ours:     ${describeVerdict(d.ours)}`,
      `  fastavro: ${describeVerdict(d.reference)}`,
    );
  }
  if (report.disagreements.length > shown) {
    lines.push(`... and ${report.disagreements.length - shown} more`);
  }
  return lines;
}
