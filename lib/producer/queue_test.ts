import assert from "node:assert/strict";
import { SendQueue } from "./queue.ts";

/** A send that records its batches and how many ran at once; each waits for `release()`. */
function gatedSend() {
  const batches: number[][] = [];
  let running = 0;
  let maxRunning = 0;
  const gates: (() => void)[] = [];
  const send = async (batch: number[]) => {
    running += 1;
    maxRunning = Math.max(maxRunning, running);
    batches.push(batch);
    await new Promise<void>((resolve) => gates.push(resolve));
    running -= 1;
  };
  const releaseAll = () => {
    for (const gate of gates.splice(0)) gate();
  };
  return { batches, send, releaseAll, maxRunning: () => maxRunning, waiting: () => gates.length };
}

Deno.test("SendQueue sends full batches in order, one at a time", async () => {
  const s = gatedSend();
  const queue = new SendQueue(s.send, { batchSize: 2, lingerMs: 60_000 });
  for (let i = 1; i <= 5; i++) queue.add(i);
  let drained = false;
  const draining = queue.drain().then(() => (drained = true));
  while (!drained) {
    await Promise.resolve();
    s.releaseAll();
  }
  await draining;
  assert.deepEqual(s.batches, [[1, 2], [3, 4], [5]]);
  assert.equal(s.maxRunning(), 1);
});

Deno.test("SendQueue.room() holds the caller while maxQueued batches are sent or waiting", async () => {
  const s = gatedSend();
  const queue = new SendQueue(s.send, { batchSize: 1, lingerMs: 60_000, maxQueued: 2 });
  queue.add(1);
  queue.add(2);
  let roomy = false;
  const room = queue.room().then(() => (roomy = true));
  await Promise.resolve();
  await Promise.resolve();
  assert.equal(roomy, false);
  assert.equal(s.waiting(), 1);
  s.releaseAll();
  await room;
  assert.equal(roomy, true);
  s.releaseAll();
  const drained = queue.drain();
  while (s.batches.length < 2) await Promise.resolve();
  s.releaseAll();
  await drained;
  assert.deepEqual(s.batches, [[1], [2]]);
});

Deno.test("SendQueue sends a part batch once lingerMs has passed", async () => {
  const sent: number[][] = [];
  let lingered!: () => void;
  const done = new Promise<void>((resolve) => (lingered = resolve));
  const queue = new SendQueue<number>((batch) => {
    sent.push(batch);
    lingered();
    return Promise.resolve();
  }, { batchSize: 100, lingerMs: 0 });
  queue.add(1);
  queue.add(2);
  assert.deepEqual(sent, []);
  await done;
  assert.deepEqual(sent, [[1, 2]]);
  await queue.drain();
  assert.deepEqual(sent, [[1, 2]]);
});
