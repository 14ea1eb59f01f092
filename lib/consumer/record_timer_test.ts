import assert from "node:assert/strict";
import { RecordTimer } from "./record_timer.ts";

function timer(run = 3) {
  let t = 0;
  let reads = 0;
  const seen: [number, number][] = [];
  const clock = () => {
    reads += 1;
    return t;
  };
  return {
    timer: new RecordTimer((ms, n) => seen.push([ms, n]), clock, run),
    at: (ms: number) => (t = ms),
    seen,
    reads: () => reads,
  };
}

Deno.test("RecordTimer reads the clock once per full run and reports the run's average", () => {
  const h = timer(3);
  h.timer.start();
  for (const t of [1, 2, 9, 10, 11, 15]) {
    h.at(t);
    h.timer.done();
  }
  assert.deepEqual(h.seen, [[3, 3], [2, 3]]);
  assert.equal(h.reads(), 3);
});

Deno.test("RecordTimer.flush() reports a partial run and does nothing for an empty one", () => {
  const h = timer(32);
  h.timer.start();
  h.at(4);
  h.timer.done();
  h.timer.done();
  h.timer.flush();
  h.timer.flush();
  assert.deepEqual(h.seen, [[2, 2]]);
  assert.equal(h.reads(), 2);
});

Deno.test("RecordTimer times a record flushed around on its own", () => {
  const h = timer(32);
  h.timer.start();
  h.at(1);
  h.timer.done();
  h.timer.flush();
  h.at(501);
  h.timer.done();
  h.timer.flush();
  assert.deepEqual(h.seen, [[1, 1], [500, 1]]);
});

Deno.test("RecordTimer.start() leaves out the time before it", () => {
  const h = timer(2);
  h.at(100);
  h.timer.start();
  h.at(104);
  h.timer.done();
  h.timer.done();
  assert.deepEqual(h.seen, [[2, 2]]);
});
