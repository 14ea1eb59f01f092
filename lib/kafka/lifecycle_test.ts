import assert from "node:assert/strict";
import type { Consumer } from "kafkajs";
import { every, followFilteredBatches, InFlight, stopOnCrash, stopSwitch } from "./lifecycle.ts";

/** Just enough of a kafkajs consumer to emit its instrumentation events. */
function fakeConsumer() {
  const listeners = new Map<string, ((e: unknown) => void)[]>();
  const consumer = {
    events: { END_BATCH_PROCESS: "end-batch", CRASH: "crash" },
    on(event: string, listener: (e: unknown) => void) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      return () => {};
    },
  };
  const emit = (event: string, payload: unknown) => {
    for (const l of listeners.get(event) ?? []) l({ payload });
  };
  return { consumer: consumer as unknown as Consumer, emit };
}

Deno.test("stopSwitch() keeps the first fatal reason and resolves done once stopped", async () => {
  const run = stopSwitch();
  assert.equal(run.isStopped(), false);
  run.stop();
  run.stop("second");
  run.stop("third");
  await run.done;
  assert.equal(run.isStopped(), true);
  assert.equal(run.fatal(), "second");
});

Deno.test("stopSwitch() stops on an abort, and at once for an aborted signal", () => {
  const controller = new AbortController();
  const run = stopSwitch(controller.signal);
  controller.abort();
  assert.equal(run.isStopped(), true);
  assert.equal(run.fatal(), undefined);
  assert.equal(stopSwitch(AbortSignal.abort()).isStopped(), true);
});

Deno.test("InFlight.drain() waits for tracked work, including work added while draining", async () => {
  const inFlight = new InFlight();
  const order: string[] = [];
  let release!: () => void;
  const first = inFlight.track(new Promise<void>((r) => (release = r)).then(() => {
    order.push("first");
    void inFlight.track(Promise.resolve().then(() => order.push("second")));
  }));
  assert.equal(inFlight.size, 1);
  const drained = inFlight.drain().then(() => order.push("drained"));
  release();
  await first;
  await drained;
  assert.deepEqual(order, ["first", "second", "drained"]);
  assert.equal(inFlight.size, 0);
});

Deno.test("InFlight.drain() does not reject when tracked work fails", async () => {
  const inFlight = new InFlight();
  const failing = inFlight.track(Promise.reject(new Error("batch failed")));
  await assert.rejects(failing, { message: "batch failed" });
  await inFlight.drain();
  assert.equal(inFlight.size, 0);
});

Deno.test("followFilteredBatches() reports only empty batches of its topic, past their last offset", () => {
  const { consumer, emit } = fakeConsumer();
  const moved: [number, bigint][] = [];
  followFilteredBatches(consumer, "orders", (p, next) => moved.push([p, next]));
  emit("end-batch", { topic: "orders", partition: 1, batchSize: 0, lastOffset: "41" });
  emit("end-batch", { topic: "orders", partition: 2, batchSize: 3, lastOffset: "9" });
  emit("end-batch", { topic: "other", partition: 0, batchSize: 0, lastOffset: "5" });
  assert.deepEqual(moved, [[1, 42n]]);
});

Deno.test("stopOnCrash() stops on a crash for good and only warns when kafkajs restarts", () => {
  const { consumer, emit } = fakeConsumer();
  const run = stopSwitch();
  const warnings: string[] = [];
  stopOnCrash(consumer, run, (t) => warnings.push(t));
  emit("crash", { error: new Error("coordinator moved"), restart: true });
  assert.equal(run.isStopped(), false);
  assert.deepEqual(warnings, ["consumer error, restarting: coordinator moved"]);
  emit("crash", { error: new Error("fatal"), restart: false });
  assert.equal(run.fatal(), "consumer crashed: fatal");
});

Deno.test("stopOnCrash() stops with an AccessDeniedError naming the group on a denial, even when kafkajs would restart", () => {
  const { consumer, emit } = fakeConsumer();
  const run = stopSwitch();
  stopOnCrash(consumer, run, () => {}, {
    group: { operation: "Read", resource: "group", name: "g1" },
  });
  const error = Object.assign(new Error("Failed to find group coordinator"), {
    name: "KafkaJSGroupCoordinatorNotFound",
  });
  emit("crash", { error, restart: true });
  assert.equal(run.isStopped(), true);
  assert.equal(run.fatal(), "not authorized: this client may not Read group g1");
  assert.equal(run.fatalError()?.name, "AccessDeniedError");
});

Deno.test("stopSwitch() keeps the error it was stopped with, and only a fatal one", () => {
  const run = stopSwitch();
  run.stop();
  run.stop(new RangeError("bad"));
  run.stop(new Error("later"));
  assert.equal(run.fatal(), "bad");
  assert.equal(run.fatalError()?.name, "RangeError");
  const plain = stopSwitch();
  plain.stop("reason");
  assert.equal(plain.fatalError(), undefined);
});

Deno.test("every() never runs two checks at once and stops when told", async () => {
  let running = 0;
  let most = 0;
  let calls = 0;
  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));
  const stop = every(1, async () => {
    running += 1;
    most = Math.max(most, running);
    calls += 1;
    await new Promise((r) => setTimeout(r, 5));
    running -= 1;
    if (calls === 3) finish();
  });
  await finished;
  stop();
  const after = calls;
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(most, 1);
  assert.equal(calls, after);
});
