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
 * The configuration of a metric whose series `metric.read()` gives at
 * scrape time; `write` puts one series' value into the counter or gauge.
 */
function scraped<M extends Counter | Gauge>(
  registry: Registry,
  metric: ScrapedMetric,
  write: (target: M, labels: Labels, value: number) => void,
) {
  const fixed = metric.labels ?? {};
  return {
    name: metric.name,
    help: metric.help,
    labelNames: labelNamesOf(metric),
    registers: [registry],
    async collect(this: M) {
      const reading = await metric.read();
      this.reset();
      for (const [labels, value] of series(reading, fixed)) write(this, labels, value);
    },
  };
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
  new Counter(scraped<Counter>(registry, metric, (c, labels, value) => c.inc(labels, value)));
}

/**
 * Registers a gauge whose values `metric.read()` returns at scrape time;
 * series `read` leaves out are not shown (rather than shown stale).
 */
export function gaugeFrom(registry: Registry, metric: ScrapedMetric): void {
  new Gauge(scraped<Gauge>(registry, metric, (g, labels, value) => g.set(labels, value)));
}

/** Options of {@linkcode counterByLabel}. */
export interface LabelledCounts {
  name: string;
  help: string;
  /** Labels every series carries, e.g. the topic and group. @default {{}} */
  labels?: Labels;
  /** The name of the label whose values `read` gives. */
  label: string;
  /** The `[label value, count]` pairs, read when the registry is scraped. */
  read(): Iterable<readonly [string, number]>;
}

/**
 * Registers a counter with one series per `[value, count]` pair that
 * `metric.read()` returns at scrape time, `metric.label` naming the value:
 * counts kept by a key, such as an error type, in a record or a `Map`.
 *
 * @example
 * ```ts
 * import { counterByLabel, newRegistry } from "./registry.ts";
 * const registry = newRegistry();
 * const byType = new Map([["validation", 2]]);
 * counterByLabel(registry, {
 *   name: "dead_total",
 *   help: "Dead letters.",
 *   label: "error_type",
 *   read: () => byType,
 * });
 * await registry.metrics(); // "...\ndead_total{error_type=\"validation\"} 2\n"
 * ```
 */
export function counterByLabel(registry: Registry, metric: LabelledCounts): void {
  const { label, read, ...rest } = metric;
  counterFrom(registry, {
    ...rest,
    labelNames: [label],
    read: () => Array.from(read(), ([value, count]) => [{ [label]: value }, count] as const),
  });
}

/** The keys of `T` whose values are numbers. */
export type NumberField<T> = { [K in keyof T]-?: T[K] extends number ? K : never }[keyof T];

/** A figure a program counts or shows: its name (a suffix), its help, and the field that holds it. */
export interface Figure<T> {
  name: string;
  help: string;
  /** The field of the program's counts (or summary) read for it. */
  field: NumberField<T>;
}

/**
 * The value of `figure` in `source`.
 *
 * @example
 * ```ts
 * import { figureOf } from "./registry.ts";
 * figureOf({ sent: 3 }, { name: "orders_sent", help: "Orders sent.", field: "sent" }); // 3
 * ```
 */
export function figureOf<T>(source: T, figure: Figure<T>): number {
  // NumberField<T> admits only number fields; TypeScript cannot see that through T.
  return source[figure.field] as number;
}

/** Options of {@linkcode countersOf}. */
export interface FigureCounters<T> {
  /** Goes before each figure's name; `_total` goes after it. */
  prefix: string;
  /** Labels every series carries, e.g. the topic and group. */
  labels: Labels;
  /** One counter each. */
  figures: readonly Figure<T>[];
  /** The counts at scrape time; `undefined`, read as 0 each, before the run has them. */
  source(): T | undefined;
}

/**
 * Registers a counter `<prefix><name>_total` per figure, each read from
 * `source()` at scrape time: the table of a program's plain counting fields.
 *
 * @example
 * ```ts
 * import { countersOf, newRegistry } from "./registry.ts";
 * const registry = newRegistry();
 * const counts = { sent: 2 };
 * countersOf(registry, {
 *   prefix: "order_",
 *   labels: {},
 *   figures: [{ name: "sent", help: "Orders sent.", field: "sent" }],
 *   source: () => counts,
 * });
 * await registry.metrics(); // "...\norder_sent_total 2\n"
 * ```
 */
export function countersOf<T>(registry: Registry, options: FigureCounters<T>): void {
  const { prefix, labels, figures, source } = options;
  for (const figure of figures) {
    counterFrom(registry, {
      name: `${prefix}${figure.name}_total`,
      help: figure.help,
      labels,
      read: () => {
        const counts = source();
        return counts === undefined ? 0 : figureOf(counts, figure);
      },
    });
  }
}
