/**
 * Metrics read at scrape time: the programs count in plain fields (a
 * `+= 1` on the hot path) and these prom-client counters and gauges read
 * those fields only when Prometheus asks, so an unscraped program pays
 * nothing for them.
 *
 * @module
 */
import { Counter, Gauge, Registry } from "prom-client";

/** Label values of one series. */
export type Labels = Record<string, string>;

/**
 * The value of a metric at scrape time: one number for a metric without
 * variable labels, or one `[labels, value]` pair per series.
 */
export type Reading = number | Iterable<readonly [Labels, number]>;

/** What every scraped metric is declared with. */
export interface ScrapedMetric {
  name: string;
  help: string;
  /** Labels every series carries, e.g. the topic and group. @default {{}} */
  labels?: Labels;
  /** Names of the labels `read` adds per series. @default {[]} */
  labelNames?: readonly string[];
  /** Reads the value when the registry is scraped. */
  read(): Reading | Promise<Reading>;
}

/** A registry for one program, in the Prometheus text format (0.0.4). */
export function newRegistry(): Registry {
  return new Registry();
}

function series(reading: Reading, fixed: Labels): [Labels, number][] {
  if (typeof reading === "number") return [[fixed, reading]];
  return [...reading].map(([labels, value]) => [{ ...fixed, ...labels }, value]);
}

function labelNamesOf(metric: ScrapedMetric): string[] {
  return [...Object.keys(metric.labels ?? {}), ...(metric.labelNames ?? [])];
}

/**
 * Registers a counter whose values `metric.read()` returns at scrape time,
 * e.g. a field the program increments.
 *
 * @example
 * ```ts
 * import { counterFrom, newRegistry } from "./registry.ts";
 * const registry = newRegistry();
 * const counts = { sent: 0 };
 * counterFrom(registry, { name: "sent_total", help: "Orders sent.", read: () => counts.sent });
 * counts.sent += 3;
 * await registry.metrics(); // "...\nsent_total 3\n"
 * ```
 */
export function counterFrom(registry: Registry, metric: ScrapedMetric): void {
  const fixed = metric.labels ?? {};
  new Counter({
    name: metric.name,
    help: metric.help,
    labelNames: labelNamesOf(metric),
    registers: [registry],
    async collect() {
      const reading = await metric.read();
      this.reset();
      for (const [labels, value] of series(reading, fixed)) this.inc(labels, value);
    },
  });
}

/**
 * Registers a gauge whose values `metric.read()` returns at scrape time;
 * series `read` leaves out are not shown (rather than shown stale).
 */
export function gaugeFrom(registry: Registry, metric: ScrapedMetric): void {
  const fixed = metric.labels ?? {};
  new Gauge({
    name: metric.name,
    help: metric.help,
    labelNames: labelNamesOf(metric),
    registers: [registry],
    async collect() {
      const reading = await metric.read();
      this.reset();
      for (const [labels, value] of series(reading, fixed)) this.set(labels, value);
    },
  });
}
