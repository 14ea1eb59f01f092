import assert from "node:assert/strict";
import { counterFrom, gaugeFrom, newRegistry } from "./registry.ts";

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
