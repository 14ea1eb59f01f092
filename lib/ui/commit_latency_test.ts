import assert from "node:assert/strict";
import { CommitLatency, MAX_PENDING } from "./commit_latency.ts";

function tracker() {
  const seen: [number, number][] = [];
  return { c: new CommitLatency((ms, at) => seen.push([ms, at])), seen };
}

Deno.test("CommitLatency pairs each record with the first commit past it", () => {
  const { c, seen } = tracker();
  c.appended(0, 0n, 1000);
  c.appended(0, 1n, 1005);
  c.appended(0, 2n, 1010);
  c.committed(0, 2n, 1020);
  c.committed(0, 3n, 1050);
  assert.deepEqual(seen, [[20, 1020], [15, 1020], [40, 1050]]);
});

Deno.test("CommitLatency pairs a record read after its commit with that commit", () => {
  const { c, seen } = tracker();
  c.committed(1, 5n, 2000);
  c.committed(1, 9n, 2100);
  c.appended(1, 4n, 1990);
  c.appended(1, 7n, 2050);
  c.appended(1, 9n, 2090);
  c.committed(1, 10n, 2200);
  assert.deepEqual(seen, [[10, 2000], [50, 2100], [110, 2200]]);
});

Deno.test("CommitLatency keeps partitions apart and ignores a commit that does not move on", () => {
  const { c, seen } = tracker();
  c.appended(0, 0n, 100);
  c.appended(1, 0n, 100);
  c.committed(1, 1n, 130);
  c.committed(1, 1n, 500);
  c.committed(1, 0n, 600);
  assert.deepEqual(seen, [[30, 130]]);
});

Deno.test("CommitLatency never reports a negative latency (a clock ahead of the broker's)", () => {
  const { c, seen } = tracker();
  c.appended(0, 0n, 2000);
  c.committed(0, 1n, 1990);
  assert.deepEqual(seen, [[0, 1990]]);
});

Deno.test("CommitLatency drops the oldest waiting records beyond MAX_PENDING", () => {
  const { c, seen } = tracker();
  for (let i = 0; i <= MAX_PENDING; i++) c.appended(0, BigInt(i), 0);
  c.committed(0, BigInt(MAX_PENDING + 1), 10);
  assert.equal(seen.length, MAX_PENDING);
});
