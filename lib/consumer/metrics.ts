/**
 * The consumer's Prometheus metrics. Counters are the run's own
 * {@linkcode ConsumerMetrics} fields, read when scraped; the two histograms
 * take one value per record through the {@linkcode ConsumerEvents} hooks;
 * lag and the aggregate are read from the broker's committed offsets at
 * scrape time (at most once per {@linkcode STANDING_TTL_MS}), the same
 * offsets and metadata `deno task stats` reads, so the two agree exactly.
 *
 * @module
 */
import type { Registry } from "prom-client";
import { FastHistogram } from "../metrics/histogram.ts";
import {
  counterByLabel,
  counterFrom,
  countersOf,
  type Figure,
  figureOf,
  gaugeFrom,
  type Labels,
  type Reading,
} from "../metrics/registry.ts";
import { type Aggregate, type AggregateSummary, summarize } from "../order/aggregate.ts";
import { groupStanding, type PartitionStanding, totalLag } from "./lag.ts";
import type { ConsumerConfig } from "./options.ts";
import type { ConsumerEvents, LiveConsumer } from "./output.ts";
import type { ConsumerMetrics } from "./report.ts";

/** How long one read of the committed offsets serves scrapes, in ms. */
export const STANDING_TTL_MS = 500;

/** The group's standing as one scrape reads it. */
interface Standing {
  partitions: PartitionStanding[];
  aggregate: Aggregate;
}

/** The counters, each read from a field of the run's metrics. */
const COUNTERS: Figure<ConsumerMetrics>[] = [
  {
    name: "records_received",
    help: "Records taken from the topic (duplicates below the commit excluded).",
    field: "consumed",
  },
  { name: "records_processed", help: "Orders added to the aggregate.", field: "processed" },
  {
    name: "retries",
    help: "Processing attempts retried after a transient failure.",
    field: "retries",
  },
  {
    name: "records_abandoned",
    help:
      "Records given up on because of the group (a failed heartbeat or commit during a backoff); the next owner redoes them.",
    field: "abandoned",
  },
  {
    name: "duplicates_skipped",
    help: "Records below the committed offset, already in the aggregate.",
    field: "skippedDuplicates",
  },
  {
    name: "rebalances",
    help: "Times this instance joined its group (1 without a rebalance).",
    field: "joins",
  },
  {
    name: "commits",
    help: "Offset commits acknowledged, each with the partition's aggregate.",
    field: "commits",
  },
  {
    name: "commit_failures",
    help: "Offset commits that failed; the batch is redone from the last commit.",
    field: "commitFailures",
  },
];

/** The aggregate gauges, each a figure of the aggregate's summary. */
const AGGREGATE: Figure<AggregateSummary>[] = [
  { name: "orders", help: "Orders in the committed aggregate.", field: "count" },
  {
    name: "revenue_dollars",
    help: "Sum of the prices in the committed aggregate, in dollars.",
    field: "revenue",
  },
  {
    name: "min_price_dollars",
    help: "Smallest price in the committed aggregate (0 while empty).",
    field: "min",
  },
  {
    name: "max_price_dollars",
    help: "Largest price in the committed aggregate (0 while empty).",
    field: "max",
  },
  {
    name: "average_price_dollars",
    help: "Average price in the committed aggregate (0 while empty).",
    field: "average",
  },
];

/**
 * Registers the consumer's metrics for `config`'s topic and group in
 * `registry` and returns the hooks to pass to `runConsumer` (merged with
 * the program's own).
 */
export function registerConsumerMetrics(
  registry: Registry,
  config: Pick<ConsumerConfig, "topic" | "group">,
): Required<Pick<ConsumerEvents, "started" | "timed" | "aggregated">> {
  const labels: Labels = { topic: config.topic, group: config.group };
  let live: LiveConsumer | undefined;
  const standing = new StandingCache(() => live);
  countersOf(registry, {
    prefix: "order_consumer_",
    labels,
    figures: COUNTERS,
    source: () => live?.metrics,
  });
  counterByLabel(registry, {
    name: "order_consumer_records_dead_lettered_total",
    help: "Records written to the DLQ, by error type.",
    labels,
    label: "error_type",
    read: () =>
      Object.entries(live?.metrics.deadLetteredByType ?? {}).filter(([type]) =>
        type !== "production"
      ),
  });
  counterFrom(registry, {
    name: "order_consumer_offset_read_failures_total",
    help: "Scrapes that could not read the committed offsets (lag and aggregate left out).",
    labels,
    read: () => standing.failures,
  });
  gaugeFrom(registry, {
    name: "order_consumer_assigned_partitions",
    help: "Partitions of the topic this instance holds.",
    labels,
    read: () => live?.group.assigned.length ?? 0,
  });
  registerStandingGauges(registry, labels, standing);
  const processing = new FastHistogram({
    name: "order_consumer_processing_duration_seconds",
    help:
      "Time spent on each record: decode, validate, process (retries and backoff included), aggregate.",
    labels,
    registry,
  });
  const latency = new FastHistogram({
    name: "order_consumer_end_to_end_latency_seconds",
    help: "From the record's timestamp (order creation) to its addition to the aggregate.",
    labels,
    registry,
  });
  return {
    started: (l) => (live = l),
    timed: (ms, records) => processing.record(ms / 1000, records),
    aggregated: (ms) => latency.record(ms / 1000),
  };
}

function registerStandingGauges(registry: Registry, labels: Labels, standing: StandingCache) {
  const perPartition = (figure: (p: PartitionStanding) => number | undefined) => async () => {
    const s = await standing.get();
    const out: [Labels, number][] = [];
    for (const p of s?.partitions ?? []) {
      const value = figure(p);
      if (value !== undefined) out.push([{ partition: String(p.partition) }, value]);
    }
    return out;
  };
  const global = (figure: (s: Standing) => number) => async (): Promise<Reading> => {
    const s = await standing.get();
    return s === undefined ? [] : figure(s);
  };
  for (const figure of AGGREGATE) {
    const { name, help } = figure;
    const of = (agg: Aggregate) => figureOf(summarize(agg), figure);
    gaugeFrom(registry, {
      name: `order_aggregate_${name}`,
      help: `${help} All partitions.`,
      labels,
      read: global((s) => of(s.aggregate)),
    });
    gaugeFrom(registry, {
      name: `order_aggregate_partition_${name}`,
      help: `${help} One partition.`,
      labels,
      labelNames: ["partition"],
      read: perPartition((p) => (p.agg === undefined ? undefined : of(p.agg))),
    });
  }
  // The names kafka-lag-exporter gives these, so its dashboards and alerts apply.
  gaugeFrom(registry, {
    name: "kafka_consumergroup_group_lag",
    help: "Records the group has still to read: log end offset minus committed offset.",
    labels,
    labelNames: ["partition"],
    read: perPartition((p) => Number(p.lag)),
  });
  gaugeFrom(registry, {
    name: "kafka_consumergroup_group_sum_lag",
    help: "The group's lag summed over the topic's partitions.",
    labels,
    read: global((s) => Number(totalLag(s.partitions))),
  });
  gaugeFrom(registry, {
    name: "kafka_consumergroup_group_offset",
    help: "The group's committed offset.",
    labels,
    labelNames: ["partition"],
    read: perPartition((p) => (p.committed === undefined ? undefined : Number(p.committed))),
  });
  gaugeFrom(registry, {
    name: "kafka_partition_latest_offset",
    help: "The partition's log end offset (high watermark).",
    labels: { topic: labels.topic },
    labelNames: ["partition"],
    read: perPartition((p) => Number(p.logEnd)),
  });
}

/**
 * The group's standing, read from the broker at most once per
 * {@linkcode STANDING_TTL_MS}: one scrape reads a dozen gauges from it.
 * A failed read leaves those gauges out of the scrape and is counted.
 */
class StandingCache {
  failures = 0;
  readonly #live: () => LiveConsumer | undefined;
  #reading?: Promise<Standing | undefined>;
  #at = 0;

  constructor(live: () => LiveConsumer | undefined) {
    this.#live = live;
  }

  get(): Promise<Standing | undefined> {
    const live = this.#live();
    if (live === undefined) return Promise.resolve(undefined);
    if (this.#reading === undefined || performance.now() - this.#at > STANDING_TTL_MS) {
      this.#at = performance.now();
      this.#reading = live.readOffsets().then(
        ({ committed, logs }) => groupStanding(committed, logs),
        () => {
          this.failures += 1;
          return undefined;
        },
      );
    }
    return this.#reading;
  }
}
