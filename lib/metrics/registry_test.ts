import assert from "node:assert/strict";
import {
  counterByLabel,
  counterFrom,
  countersOf,
  figureOf,
  gaugeFrom,
  newRegistry,
} from "./registry.ts";

Deno.test("counterFrom() reads the counted field when scraped, not before", async () => {
  const registry = newRegistry();
  const counts = { sent: 0 };
  counterFrom(registry, {
    name: "sent_total",
    help: "Orders sent.",
    labels: { topic: "orders" },
    read: () => counts.sent,
  });
  counts.sent = 3;
  assert.equal(
    await registry.metrics(),
    '# HELP sent_total Orders sent.\n# TYPE sent_total counter\nsent_total{topic="orders"} 3\n',
  );
  counts.sent = 5;
  assert.match(await registry.metrics(), /^sent_total\{topic="orders"\} 5$/m);
});

Deno.test("counterFrom() shows a zero count", async () => {
  const registry = newRegistry();
  counterFrom(registry, { name: "none_total", help: "Nothing.", read: () => 0 });
  assert.match(await registry.metrics(), /^none_total 0$/m);
});

Deno.test("gaugeFrom() shows one series per pair read and leaves out the ones not read", async () => {
  const registry = newRegistry();
  let pairs: [Record<string, string>, number][] = [[{ partition: "0" }, 4], [
    { partition: "1" },
    0,
  ]];
  gaugeFrom(registry, {
    name: "lag",
    help: "Lag.",
    labels: { group: "g" },
    labelNames: ["partition"],
    read: () => Promise.resolve(pairs),
  });
  assert.equal(
    await registry.metrics(),
    '# HELP lag Lag.\n# TYPE lag gauge\nlag{group="g",partition="0"} 4\nlag{group="g",partition="1"} 0\n',
  );
  pairs = [[{ partition: "1" }, 2]];
  assert.equal(
    await registry.metrics(),
    '# HELP lag Lag.\n# TYPE lag gauge\nlag{group="g",partition="1"} 2\n',
  );
});

Deno.test("countersOf() registers one counter per figure, 0 until the source has counts", async () => {
  const registry = newRegistry();
  const run: { counts?: { sent: number; failed: number } } = {};
  countersOf(registry, {
    prefix: "order_producer_",
    labels: { topic: "orders" },
    figures: [
      { name: "orders_sent", help: "Orders sent.", field: "sent" },
      { name: "send_failures", help: "Failed sends.", field: "failed" },
    ],
    source: () => run.counts,
  });
  assert.equal(
    await registry.metrics(),
    "# HELP order_producer_orders_sent_total Orders sent.\n" +
      "# TYPE order_producer_orders_sent_total counter\n" +
      'order_producer_orders_sent_total{topic="orders"} 0\n\n' +
      "# HELP order_producer_send_failures_total Failed sends.\n" +
      "# TYPE order_producer_send_failures_total counter\n" +
      'order_producer_send_failures_total{topic="orders"} 0\n',
  );
  run.counts = { sent: 7, failed: 2 };
  const text = await registry.metrics();
  assert.match(text, /^order_producer_orders_sent_total\{topic="orders"\} 7$/m);
  assert.match(text, /^order_producer_send_failures_total\{topic="orders"\} 2$/m);
});

Deno.test("counterByLabel() shows one series per pair read, the label naming each value", async () => {
  const registry = newRegistry();
  const byType = new Map([["validation", 2], ["processing", 1]]);
  counterByLabel(registry, {
    name: "dead_total",
    help: "Dead letters.",
    labels: { topic: "orders-dlq" },
    label: "error_type",
    read: () => byType,
  });
  assert.equal(
    await registry.metrics(),
    "# HELP dead_total Dead letters.\n# TYPE dead_total counter\n" +
      'dead_total{topic="orders-dlq",error_type="validation"} 2\n' +
      'dead_total{topic="orders-dlq",error_type="processing"} 1\n',
  );
});

Deno.test("figureOf() reads the figure's field", () => {
  const figure = { name: "send_failures", help: "Failed sends.", field: "failed" } as const;
  assert.equal(figureOf({ sent: 7, failed: 2 }, figure), 2);
});
