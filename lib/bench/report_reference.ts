/**
 * The report's part for the second reference system (confluent-kafka with
 * fastavro): its rows beside ours and Java's, and the targets of issue 16.
 * Pure.
 *
 * @module
 */
import type { ProcessFigures } from "./process.ts";
import type { ReferenceSize } from "./reference_step.ts";

/** What a reference comparison adds to the results. */
export interface ReferenceResults {
  /** `confluent-kafka x, librdkafka y, fastavro z`. */
  versions: string;
  sizes: ReferenceSize[];
}

/** A figure checked against its target, as report.ts lists them. */
export interface Check {
  target: string;
  value: string;
  met: boolean;
}

/** Java's whole-process figures at one size, when its tools ran at that size. */
export interface JavaProcesses {
  produce?: Partial<ProcessFigures> & { ordersPerSec: number };
  consume?: Partial<ProcessFigures> & { ordersPerSec: number; ordersPerSecWithJoin: number };
}

const DASH = "–";
const MB_LIMIT = 100;

const n = (x: number) => Math.round(x).toLocaleString("en-US");
const times = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || b <= 0 ? DASH : `${(a / b).toFixed(2)}×`;
const seconds = (p: Partial<ProcessFigures> | undefined) =>
  p?.wallMs === undefined || p.cpuMs === undefined
    ? DASH
    : `${(p.wallMs / 1000).toFixed(2)} / ${(p.cpuMs / 1000).toFixed(2)}`;
const mb = (p: Partial<ProcessFigures> | undefined) =>
  p?.peakRssMb === undefined ? DASH : `${p.peakRssMb.toFixed(0)} MB`;
const rate = (p: { ordersPerSec: number } | undefined) =>
  p === undefined ? DASH : n(p.ordersPerSec);
const rateWithJoin = (p: { ordersPerSec: number; ordersPerSecWithJoin: number } | undefined) =>
  p === undefined ? DASH : `${n(p.ordersPerSec)} / ${n(p.ordersPerSecWithJoin)}`;

/**
 * The rows of one size: name, ours, Java, ours/Java, reference, ours/reference.
 * For wall and CPU time the ratio is of CPU time, for memory of peak RSS:
 * there, below 1 is better.
 */
export function referenceRows(size: ReferenceSize, java: JavaProcesses = {}): string[][] {
  const { orders, produce: p, consume: c } = size;
  const at = `${n(orders)} orders`;
  return [
    ...processRows(`process: producer, ${at}`, "⁵", p, java.produce, {
      label: "orders/s",
      show: rate,
    }),
    ...processRows(`process: consumer, ${at}`, "⁶", c, java.consume, {
      label: "orders/s, without / with group join",
      show: rateWithJoin,
    }),
  ];
}

/** A process's figures, whole or (Java's, where its tools did not run) in part. */
type Figures = Partial<ProcessFigures> & { ordersPerSec: number };

/**
 * One process's three rows (throughput, wall / CPU, peak RSS), each with
 * ours, Java's and the reference's figure and ours against the other two.
 * `throughput` says how its first row is labelled and shown.
 */
function processRows<F extends Figures>(
  what: string,
  mark: string,
  figures: { ours: F; reference: F },
  java: F | undefined,
  throughput: { label: string; show: (x: F | undefined) => string },
): string[][] {
  const { ours, reference } = figures;
  const row = (
    label: string,
    show: (x: F | undefined) => string,
    ratioOf: (x: F | undefined) => number | undefined,
  ) => [
    `${what}: ${label} ${mark}`,
    show(ours),
    show(java),
    times(ratioOf(ours), ratioOf(java)),
    show(reference),
    times(ratioOf(ours), ratioOf(reference)),
  ];
  return [
    row(throughput.label, throughput.show, (x) => x?.ordersPerSec),
    row("wall / CPU (s)", seconds, (x) => x?.cpuMs),
    row("peak RSS", mb, (x) => x?.peakRssMb),
  ];
}

/** What the footnote marks of {@linkcode referenceRows} stand for. */
export const REFERENCE_FOOTNOTES = [
  "⁵ whole processes, alternating run by run: `producer.ts --quiet`, ProducerPerformance, and " +
  "`reference_stack.py produce` (confluent-kafka, fastavro; same seeded orders, acks=all, " +
  "idempotent, snappy, murmur2). orders/s is each one's own first order → last ack; wall is " +
  "spawn → exit; CPU is user + system; peak RSS is VmHWM. For CPU and RSS, below 1× is better.",
  "⁶ ours: orders/s of an in-process run (as ¹ and ²), wall / CPU / RSS of a `consumer.ts --quiet` " +
  "process; reference: `reference_stack.py consume` (decode with fastavro, validate, aggregate, " +
  "commit the aggregate with the offsets after each batch): first record → last commit, and " +
  "subscribe → last commit. Both read the orders our producer wrote.",
];

/**
 * The targets of issue 16: the producer ≥ 1.0× the reference's orders/s and
 * peak RSS ≤ 100 MB at each compared size; the consumer, at 1,000,000
 * orders, ≥ 1.5× its orders/s (without the group join) and peak RSS ≤ 100 MB.
 */
export function referenceTargets(reference: ReferenceResults): Check[] {
  const checks: Check[] = [];
  for (const { orders, produce, consume } of reference.sizes) {
    const at = `at ${n(orders)} orders`;
    checks.push(...processTargets("producer", 1, produce, at));
    if (orders === 1_000_000) checks.push(...processTargets("consumer", 1.5, consume, at));
  }
  return checks;
}

/**
 * A process's two targets at one size: orders/s at least `min` times the
 * reference's, and peak RSS at most {@linkcode MB_LIMIT} MB.
 */
function processTargets(
  what: string,
  min: number,
  figures: { ours: ProcessFigures & { ordersPerSec: number }; reference: { ordersPerSec: number } },
  at: string,
): Check[] {
  const { ours, reference } = figures;
  const ratio = ours.ordersPerSec / reference.ordersPerSec;
  return [
    {
      target: `${what} ≥ ${min.toFixed(1)}× confluent-kafka + fastavro orders/s ${at}`,
      value: `${ratio.toFixed(2)}×`,
      met: ratio >= min,
    },
    {
      target: `${what} peak RSS ≤ ${MB_LIMIT} MB ${at}`,
      value: `${ours.peakRssMb.toFixed(0)} MB`,
      met: ours.peakRssMb <= MB_LIMIT,
    },
  ];
}

/**
 * The targets of flat cost per order: the largest run's cost per order at
 * most 1.5× the smallest's; and its peak RSS at most 1.1× that of the run
 * before it. Memory is compared between the two largest runs because a
 * short run ends before V8's heap has grown to its steady size; from there
 * on, ten times the orders must not take more memory. `runs` are ascending
 * by order count.
 */
export function flatCostTargets(
  what: string,
  runs: { orders: number; usPerOrder: number; peakRssMb?: number }[],
): Check[] {
  if (runs.length < 2) return [];
  const first = runs[0];
  const before = runs[runs.length - 2];
  const last = runs[runs.length - 1];
  const checks: Check[] = [{
    target: `${what} cost per order flat from ${n(first.orders)} → ${n(last.orders)} (≤ 1.5×)`,
    value: `${first.usPerOrder.toFixed(2)} → ${last.usPerOrder.toFixed(2)} µs`,
    met: last.usPerOrder <= 1.5 * first.usPerOrder,
  }];
  if (before.peakRssMb !== undefined && last.peakRssMb !== undefined) {
    checks.push({
      target: `${what} peak RSS flat from ${n(before.orders)} → ${n(last.orders)} (≤ 1.1×)`,
      value: runs.map((run) => `${run.peakRssMb?.toFixed(0)}`).join(" → ") + " MB",
      met: last.peakRssMb <= 1.1 * before.peakRssMb,
    });
  }
  return checks;
}
