/**
 * The dashboard's charts: per-second figures over the last five minutes.
 * Throughput in (records appended to the topic) and out (offsets the group
 * committed past), from the offsets polled every second; end-to-end
 * latency as p50, p99 and max of each second's commits, from a log-scale
 * histogram (20 buckets a decade: percentiles within 12%, max exact). Pure:
 * times are given.
 *
 * @module
 */

/** Seconds the charts show. */
export const WINDOW_SECONDS = 300;

/** Buckets per decade of the latency histograms. */
const PER_DECADE = 20;
/** The smallest bucket's bound, in ms. */
const FLOOR_MS = 0.1;
/** Buckets: 0.1 ms to 10^6 s. */
const BUCKETS = 10 * PER_DECADE;

/** The latencies of one second, bucketed. */
export class LatencySketch {
  readonly counts = new Uint32Array(BUCKETS + 1);
  count = 0;
  max = 0;

  /** Adds one latency in ms. */
  add(ms: number): void {
    const i = ms <= FLOOR_MS
      ? 0
      : Math.min(BUCKETS, Math.ceil(Math.log10(ms / FLOOR_MS) * PER_DECADE));
    this.counts[i] += 1;
    this.count += 1;
    if (ms > this.max) this.max = ms;
  }

  /**
   * The `p`th percentile (0-100): the upper bound of the bucket that holds
   * it, never above the max; `undefined` when empty.
   *
   * @example
   * ```ts
   * import { LatencySketch } from "./series.ts";
   * const s = new LatencySketch();
   * [10, 10, 10, 50].forEach((ms) => s.add(ms));
   * s.quantile(50); // 10
   * s.quantile(99); // 50
   * ```
   */
  quantile(p: number): number | undefined {
    if (this.count === 0) return undefined;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let i = 0; i <= BUCKETS; i++) {
      seen += this.counts[i];
      if (seen >= rank) return Math.min(this.max, FLOOR_MS * 10 ** (i / PER_DECADE));
    }
    return this.max;
  }
}

/** One second of the charts. */
interface Second {
  /** Unix time in seconds. */
  t: number;
  in?: number;
  out?: number;
  latency?: LatencySketch;
}

/** The charts' data, as the page plots it (uPlot's columns). */
export interface ChartData {
  /** Unix seconds. */
  t: number[];
  /** Records appended per second; `null` where unknown. */
  in: (number | null)[];
  /** Records the group committed past per second. */
  out: (number | null)[];
  /** Latency of the commits of each second, ms. */
  p50: (number | null)[];
  p99: (number | null)[];
  max: (number | null)[];
}

/** Per-second figures over the last {@linkcode WINDOW_SECONDS}. */
export class Series {
  readonly #seconds = new Map<number, Second>();
  #last?: { at: number; appended: number; committed: number };
  /** Records appended per second between the last two polls; 0 before two. */
  inPerSecond = 0;

  #second(t: number): Second {
    let s = this.#seconds.get(t);
    if (s === undefined) {
      s = { t };
      this.#seconds.set(t, s);
    }
    return s;
  }

  /**
   * A poll at `at` (ms) found `appended` records in the topic and `committed`
   * offsets passed by the group, summed over partitions: the rates since the
   * previous poll go to this second. A drop (a topic recreated, a group
   * reset) starts over rather than charting a negative rate.
   */
  polled(at: number, appended: number, committed: number): void {
    const last = this.#last;
    this.#last = { at, appended, committed };
    if (last === undefined || at <= last.at) return;
    if (appended < last.appended || committed < last.committed) return;
    const seconds = (at - last.at) / 1000;
    const s = this.#second(Math.floor(at / 1000));
    s.in = this.inPerSecond = (appended - last.appended) / seconds;
    s.out = (committed - last.committed) / seconds;
  }

  /** A record's end-to-end latency, by the time of the commit that covered it. */
  latency(ms: number, committedAt: number): void {
    const s = this.#second(Math.floor(committedAt / 1000));
    (s.latency ??= new LatencySketch()).add(ms);
  }

  /** The last {@linkcode WINDOW_SECONDS} up to `now` (ms), one entry per second; drops older ones. */
  chart(now: number): ChartData {
    const end = Math.floor(now / 1000);
    const start = end - WINDOW_SECONDS + 1;
    for (const t of this.#seconds.keys()) if (t < start) this.#seconds.delete(t);
    const data: ChartData = { t: [], in: [], out: [], p50: [], p99: [], max: [] };
    for (let t = start; t <= end; t++) {
      const s = this.#seconds.get(t);
      data.t.push(t);
      data.in.push(s?.in ?? null);
      data.out.push(s?.out ?? null);
      data.p50.push(s?.latency?.quantile(50) ?? null);
      data.p99.push(s?.latency?.quantile(99) ?? null);
      data.max.push(s?.latency?.max ?? null);
    }
    return data;
  }
}
