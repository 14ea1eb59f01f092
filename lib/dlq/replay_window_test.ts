import assert from "node:assert/strict";
import { ReplayWindow } from "./replay_window.ts";

const ENDS = new Map([
  [0, { low: 0n, high: 10n }],
  [1, { low: 4n, high: 8n }],
  [2, { low: 3n, high: 3n }],
]);

function positions(window: ReplayWindow): (bigint | undefined)[] {
  return window.partitions.map((p) => window.position(p));
}

Deno.test("ReplayWindow.starting() starts a new group at each partition's oldest record", () => {
  const window = ReplayWindow.starting(ENDS);
  assert.deepEqual(window.partitions, [0, 1, 2]);
  assert.deepEqual(positions(window), [0n, 4n, 3n]);
  assert.deepEqual(window.partitions.map((p) => window.bound(p)), [10n, 8n, 3n]);
});

Deno.test("ReplayWindow.starting() resumes at the committed offset, else at the oldest record", () => {
  const window = ReplayWindow.starting(ENDS, [
    { partition: 0, offset: "7" },
    { partition: 1, offset: "-1" },
  ]);
  assert.deepEqual(positions(window), [7n, 4n, 3n]);
});

Deno.test("ReplayWindow.starting() moves a commit below the log start up to it", () => {
  const window = ReplayWindow.starting(ENDS, [{ partition: 1, offset: "2" }]);
  assert.equal(window.position(1), 4n);
});

Deno.test("ReplayWindow.allDone() is true once every partition reaches its bound", () => {
  const window = ReplayWindow.starting(ENDS, [{ partition: 0, offset: "10" }]);
  assert.deepEqual(window.partitions.map((p) => window.isDone(p)), [true, false, true]);
  assert.equal(window.allDone(), false);
  window.moveTo(1, 8n);
  assert.equal(window.allDone(), true);
});

Deno.test("ReplayWindow.isDone() is false for a partition outside the run", () => {
  const window = ReplayWindow.starting(ENDS);
  window.moveTo(5, 100n);
  assert.equal(window.has(5), false);
  assert.equal(window.isDone(5), false);
  assert.equal(window.bound(5), undefined);
  assert.equal(window.position(5), 100n);
});

Deno.test("ReplayWindow.advance() moves forward only and says whether it moved", () => {
  const window = ReplayWindow.starting(ENDS);
  assert.equal(window.advance(0, 5n), true);
  assert.equal(window.advance(0, 5n), false);
  assert.equal(window.advance(0, 2n), false);
  assert.equal(window.position(0), 5n);
  assert.equal(window.advance(7, 1n), true);
  assert.equal(window.position(7), 1n);
});

Deno.test("ReplayWindow.moveTo() sets a position, backwards too", () => {
  const window = ReplayWindow.starting(ENDS, [{ partition: 0, offset: "9" }]);
  window.moveTo(0, 6n);
  assert.equal(window.position(0), 6n);
});

Deno.test("ReplayWindow.missingFrom() lists the run's partitions another member holds", () => {
  const window = ReplayWindow.starting(ENDS);
  assert.deepEqual(window.missingFrom([0, 1, 2]), []);
  assert.deepEqual(window.missingFrom([1, 3]), [0, 2]);
});

Deno.test("ReplayWindow.idle() lists assigned partitions that are done or outside the run", () => {
  const window = ReplayWindow.starting(ENDS);
  assert.deepEqual(window.idle([0, 1, 2, 3]), [2, 3]);
});

Deno.test("ReplayWindow keeps its own copies of the maps it is given", () => {
  const bounds = new Map([[0, 5n]]);
  const start = new Map([[0, 1n]]);
  const window = new ReplayWindow(bounds, start);
  window.moveTo(0, 5n);
  bounds.set(1, 9n);
  assert.equal(start.get(0), 1n);
  assert.deepEqual(window.partitions, [0]);
  assert.equal(window.allDone(), true);
});
