/**
 * The metrics every program exposes about itself: resident memory, start
 * time, event-loop lag, and `order_pipeline_up`. prom-client's default
 * process metrics are Node's (`process.cpuUsage`, `perf_hooks` event-loop
 * histograms, handle counts) and some do not exist under Deno, so these are
 * registered instead of `collectDefaultMetrics()`.
 *
 * @module
 */
import type { Registry } from "prom-client";
import { gaugeFrom } from "./registry.ts";

/** How often the event-loop lag is sampled, in ms. */
export const LAG_SAMPLE_MS = 100;

/** How many samples the lag gauge looks back over: one second's worth. */
export const LAG_WINDOW = 10;

/**
 * The event loop's lag over the last few samples: how much later than asked
 * a timer fired. The gauge shows the largest, so a stall between two scrapes
 * is not missed. Pure: the sampler feeds it.
 *
 * @example
 * ```ts
 * import { LagWindow } from "./process.ts";
 * const w = new LagWindow(3);
 * [0.2, 0.001, 0.003, 0.004].forEach((s) => w.add(s));
 * w.max(); // 0.004: the 0.2 sample left the window
 * ```
 */
export class LagWindow {
  readonly #samples: number[] = [];
  readonly #size: number;

  constructor(size: number = LAG_WINDOW) {
    this.#size = size;
  }

  /** Adds one sample, in seconds; a negative one (a clock step) counts as 0. */
  add(seconds: number): void {
    this.#samples.push(Math.max(0, seconds));
    if (this.#samples.length > this.#size) this.#samples.shift();
  }

  /** The largest sample in the window; 0 before the first. */
  max(): number {
    return this.#samples.reduce((a, b) => Math.max(a, b), 0);
  }
}

/**
 * Samples the lag every {@linkcode LAG_SAMPLE_MS} into `window`, on a timer
 * that does not keep the program alive. Returns a function that stops it.
 */
export function sampleEventLoopLag(window: LagWindow): () => void {
  let expected = performance.now() + LAG_SAMPLE_MS;
  const timer = setInterval(() => {
    const now = performance.now();
    window.add((now - expected) / 1000);
    expected = now + LAG_SAMPLE_MS;
  }, LAG_SAMPLE_MS);
  Deno.unrefTimer(timer);
  return () => clearInterval(timer);
}

/**
 * Registers the process metrics of `program` (`consumer`, `producer`,
 * `dlq-replayer`, ...) and starts the lag sampler. Returns a function that
 * stops the sampler.
 */
export function registerProcessMetrics(registry: Registry, program: string): () => void {
  const lag = new LagWindow();
  const startSeconds = (performance.timeOrigin) / 1000;
  gaugeFrom(registry, {
    name: "process_resident_memory_bytes",
    help: "Resident memory size in bytes.",
    read: () => Deno.memoryUsage().rss,
  });
  gaugeFrom(registry, {
    name: "process_heap_used_bytes",
    help: "V8 heap in use, in bytes.",
    read: () => Deno.memoryUsage().heapUsed,
  });
  gaugeFrom(registry, {
    name: "process_start_time_seconds",
    help: "Start time of the process since the Unix epoch, in seconds.",
    read: () => startSeconds,
  });
  gaugeFrom(registry, {
    name: "process_event_loop_lag_seconds",
    help: "Largest event-loop lag over the last second: how late a 100 ms timer fired.",
    read: () => lag.max(),
  });
  // Prometheus writes `up` itself for every target it scrapes; a series of
  // that name from the target would collide with it, hence the prefix.
  gaugeFrom(registry, {
    name: "order_pipeline_up",
    help: "1 while the program runs; the program label says which.",
    labels: { program },
    read: () => 1,
  });
  return sampleEventLoopLag(lag);
}
