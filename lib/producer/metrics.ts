/**
 * The producer's Prometheus metrics: what became of the orders (read from
 * the sender's counts when scraped) and the acknowledgement latency, one
 * value per delivered order through the {@linkcode ProducerEvents} hooks.
 *
 * @module
 */
import type { Registry } from "prom-client";
import { FastHistogram } from "../metrics/histogram.ts";
import { countersOf, type Figure } from "../metrics/registry.ts";
import type { ProducerConfig } from "./options.ts";
import type { ProducerEvents, SendCounts } from "./send.ts";

/** The counters, each a field of the sender's counts. */
const COUNTERS: Figure<SendCounts>[] = [
  { name: "orders_sent", help: "Orders acknowledged by the topic.", field: "produced" },
  {
    name: "send_failures",
    help: "Failed send attempts, counted per order (orders later delivered included).",
    field: "failedAttempts",
  },
  {
    name: "orders_dead_lettered",
    help: "Orders written to the DLQ after the send attempts ran out.",
    field: "sentToDlq",
  },
  {
    name: "orders_unsent",
    help: "Orders neither the topic nor the DLQ took; logged in full.",
    field: "unsent",
  },
];

/**
 * Registers the producer's metrics for `config`'s topic in `registry` and
 * returns the hooks to pass to `produceOrders` (merged with the program's).
 */
export function registerProducerMetrics(
  registry: Registry,
  config: Pick<ProducerConfig, "topic">,
): Required<Pick<ProducerEvents, "started" | "delivered">> {
  const labels = { topic: config.topic };
  let counts: Readonly<SendCounts> | undefined;
  countersOf(registry, {
    prefix: "order_producer_",
    labels,
    figures: COUNTERS,
    source: () => counts,
  });
  const ack = new FastHistogram({
    name: "order_producer_ack_latency_seconds",
    help: "From an order's creation to the acknowledgement of its write by all replicas.",
    labels,
    registry,
  });
  return {
    started: (c) => (counts = c),
    delivered: (d) => ack.record(d.latencyMs / 1000),
  };
}
