import assert from "node:assert/strict";
import { leaderOf } from "./brokers.ts";

Deno.test("leaderOf() finds a partition's leader and nothing while it has none", () => {
  const layout = {
    topic: "t",
    partitions: [
      { partition: 0, leader: 3, replicas: [3, 1, 2], isr: [3, 1, 2] },
      { partition: 1, leader: -1, replicas: [1, 2, 3], isr: [] },
    ],
  };
  assert.equal(leaderOf(layout, 0), 3);
  assert.equal(leaderOf(layout, 1), undefined);
  assert.equal(leaderOf(layout, 2), undefined);
});
