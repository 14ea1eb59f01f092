/**
 * Timing the consumer's records without slowing it down. A record handled
 * synchronously takes 2-3 µs, and one read of the fine clock costs ~0.1 µs
 * under Deno: reading it per record would cost the consumer 4% of its
 * throughput. So records handled back to back, with no wait between them,
 * are timed in runs: one clock read per run of up to
 * {@linkcode TIMING_RUN} records, each counted at the run's average. A
 * record that waits (its retries back off) is timed on its own, and a run
 * ends before any wait (a commit), so a wait is never spread over records.
 * The total time and the record count stay exact. Pure: the clock is given.
 *
 * @module
 */

/** The most records one clock read covers. */
export const TIMING_RUN = 32;

/** Where timings go: `records` records took `ms` each, on average. */
export type TimingSink = (ms: number, records: number) => void;

/**
 * Times records in runs; see the module doc.
 *
 * @example
 * ```ts
 * import { RecordTimer } from "./record_timer.ts";
 * let t = 0;
 * const seen: [number, number][] = [];
 * const timer = new RecordTimer((ms, n) => seen.push([ms, n]), () => t, 2);
 * timer.start();
 * t = 3; timer.done();
 * t = 4; timer.done(); // seen: [[2, 2]]
 * ```
 */
export class RecordTimer {
  readonly #sink: TimingSink;
  readonly #clock: () => number;
  readonly #run: number;
  #started = 0;
  #records = 0;

  constructor(sink: TimingSink, clock: () => number, run: number = TIMING_RUN) {
    this.#sink = sink;
    this.#clock = clock;
    this.#run = run;
  }

  /** Starts a run now: after a wait, before the next record. */
  start(): void {
    this.#started = this.#clock();
    this.#records = 0;
  }

  /** One record is done; reads the clock only when the run is full. */
  done(): void {
    if (++this.#records >= this.#run) this.flush();
  }

  /** Reports the run so far and starts the next: before a wait, or after a record that waited. */
  flush(): void {
    if (this.#records === 0) return;
    const now = this.#clock();
    this.#sink((now - this.#started) / this.#records, this.#records);
    this.#started = now;
    this.#records = 0;
  }
}
