/**
 * A snapshot with every section filled, for the page's tests.
 *
 * @module
 */
import type { Snapshot } from "./snapshot.ts";

/** A snapshot of a busy pipeline; `overrides` replace whole fields. */
export function snapshotFixture(overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    at: Date.UTC(2026, 4, 1, 8, 9, 10),
    topic: "orders",
    dlqTopic: "orders-dlq",
    group: "order-processors",
    broker: { reachable: true, brokers: 1 },
    consumerGroup: {
      status: "stable",
      state: "Stable",
      members: [{ clientId: "order-consumer", host: "127.0.0.1", partitions: [0, 1, 2] }],
    },
    partitions: [
      {
        partition: 0,
        committed: 1200,
        logEnd: 1250,
        lag: 50,
        agg: { count: 1190, average: 300.5, min: 15.01, max: 1499.37, revenue: 357595 },
      },
      { partition: 1, committed: null, logEnd: 10, lag: 10, agg: null },
    ],
    aggregate: { count: 1190, average: 300.5, min: 15.01, max: 1499.37, revenue: 357595 },
    lag: { total: 60, trend: "falling" },
    dlq: {
      total: 2,
      byType: { validation: 1, deserialization: 1 },
      newest: [{
        partition: 0,
        offset: 7,
        id: "ORD-<script>",
        product: "Mouse",
        price: -5,
        errorType: "validation",
        error: `price must be above 0: got -5 <img src=x onerror="alert(1)">`,
        origin: "orders[2]@41",
        attempts: 1,
        failedAt: "2026-05-01T08:00:00.000Z",
        replayCount: 1,
      }],
    },
    charts: {
      t: [1, 2],
      in: [null, 5],
      out: [null, 4],
      p50: [null, 3],
      p99: [null, 9],
      max: [null, 12],
    },
    ...overrides,
  };
}
