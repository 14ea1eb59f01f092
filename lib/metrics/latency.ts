/**
 * Latency recording and percentiles for the producer's and bench's summaries.
 *
 * @module
 */

/** Collects latency samples in ms and reports percentiles. */
export class LatencyRecorder {
  #samples = new Float64Array(1024);
  #size = 0;

  /** Number of samples recorded. */
  get count(): number {
    return this.#size;
  }

  /** Records one sample, in ms. */
  record(ms: number): void {
    if (this.#size === this.#samples.length) {
      const grown = new Float64Array(this.#samples.length * 2);
      grown.set(this.#samples);
      this.#samples = grown;
    }
    this.#samples[this.#size++] = ms;
  }

  /**
   * The given percentiles (0–100) by the nearest-rank method; 0 when empty.
   *
   * @example
   * ```ts
   * import { LatencyRecorder } from "./latency.ts";
   * const r = new LatencyRecorder();
   * [1, 2, 3, 4].forEach((ms) => r.record(ms));
   * r.percentiles([50, 100]); // [2, 4]
   * ```
   */
  percentiles(ps: number[]): number[] {
    if (this.#size === 0) return ps.map(() => 0);
    const sorted = this.#samples.slice(0, this.#size).sort();
    return ps.map((p) => sorted[Math.max(0, Math.ceil((p / 100) * this.#size) - 1)]);
  }

  /** Mean of the samples; 0 when empty. */
  mean(): number {
    let sum = 0;
    for (let i = 0; i < this.#size; i++) sum += this.#samples[i];
    return this.#size === 0 ? 0 : sum / this.#size;
  }
}

/** Formats a duration in ms with one decimal. */
export function formatMs(ms: number): string {
  return `${ms.toFixed(1)} ms`;
}

/**
 * Formats a retry delay the way the reference prints it (`1.0s`), in
 * milliseconds below a second so short backoffs do not read as `0.0s`.
 */
export function formatDelay(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms)}ms`;
}
