import assert from "node:assert/strict";
import { AvroDecodeError } from "./order/codec.ts";
import { PipelineError } from "./errors.ts";
import { ProcessingError } from "./order/process.ts";
import {
  backoffDelay,
  classifyError,
  CLIENT_RETRY,
  COMMIT_RETRY,
  kafkajsRetry,
  RECORD_RETRY,
  REGISTRY_RETRY,
  RetriesExhaustedError,
  retryWithBackoff,
  SEND_RETRY,
  STATE_LOAD_RETRY,
} from "./retry.ts";
import { ValidationError } from "./order/validate.ts";

/** A sleep that records its delays and returns at once. */
function fakeSleep(): { delays: number[]; sleep: (ms: number) => Promise<void> } {
  const delays: number[] = [];
  return { delays, sleep: (ms) => (delays.push(ms), Promise.resolve()) };
}

Deno.test("backoffDelay() doubles the delay from 1000 ms", () => {
  assert.deepEqual([1, 2, 3, 4].map((r) => backoffDelay(r)), [1000, 2000, 4000, 8000]);
});

Deno.test("backoffDelay() caps the delay at maxMs", () => {
  assert.deepEqual([5, 6, 7, 20].map((r) => backoffDelay(r)), [16000, 30000, 30000, 30000]);
  assert.deepEqual(
    [1, 2, 3].map((r) => backoffDelay(r, { initialMs: 100, multiplier: 3, maxMs: 500 })),
    [100, 300, 500],
  );
});

Deno.test("backoffDelay() takes up to `jitter` of the delay off, using the injected random", () => {
  assert.equal(backoffDelay(2, { jitter: 0.5 }, () => 0), 2000);
  assert.equal(backoffDelay(2, { jitter: 0.5 }, () => 0.5), 1500);
  assert.equal(backoffDelay(2, { jitter: 0.25 }, () => 0.8), 1600);
  assert.equal(backoffDelay(2, {}, () => 0.9), 2000);
});

Deno.test("classifyError() marks undecodable bytes and validation failures permanent", () => {
  assert.deepEqual(classifyError(new AvroDecodeError(new Uint8Array([1]), "truncated buffer")), {
    type: "deserialization",
    retriable: false,
  });
  assert.deepEqual(classifyError(new ValidationError("price", "price must be above 0: got 0")), {
    type: "validation",
    retriable: false,
  });
});

Deno.test("classifyError() never retries programming errors", () => {
  for (const error of [new TypeError("x"), new RangeError("x"), new SyntaxError("x")]) {
    assert.deepEqual(classifyError(error), { type: "processing", retriable: false });
  }
  assert.deepEqual(classifyError(new ReferenceError("x")), {
    type: "processing",
    retriable: false,
  });
});

Deno.test("classifyError() retries ProcessingError, plain errors and non-errors", () => {
  for (const error of [new ProcessingError("db down"), new Error("boom"), "text", null]) {
    assert.deepEqual(classifyError(error), { type: "processing", retriable: true });
  }
});

Deno.test("classifyError() reads the type and the retry decision off our own errors", () => {
  assert.deepEqual(classifyError(new PipelineError("x")), { type: "processing", retriable: false });
  assert.deepEqual(classifyError(new PipelineError("x", { errorType: "production" })), {
    type: "production",
    retriable: false,
  });
  assert.deepEqual(classifyError(new RetriesExhaustedError(new Error("x"), 4)), {
    type: "processing",
    retriable: false,
  });
});

Deno.test("classifyError() honours `retriable: false` on the error", () => {
  const error = Object.assign(new Error("gone"), { retriable: false });
  assert.deepEqual(classifyError(error), { type: "processing", retriable: false });
  assert.deepEqual(classifyError({ retriable: false }), { type: "processing", retriable: false });
});

Deno.test("retryWithBackoff() returns the value and attempts when attempt 3 succeeds", async () => {
  const { delays, sleep } = fakeSleep();
  const seen: number[] = [];
  const result = await retryWithBackoff((attempt) => {
    seen.push(attempt);
    if (attempt < 3) throw new ProcessingError(`fail ${attempt}`);
    return "ok";
  }, { sleep });
  assert.deepEqual(result, { value: "ok", attempts: 3 });
  assert.deepEqual(seen, [1, 2, 3]);
  assert.deepEqual(delays, [1000, 2000]);
});

Deno.test("retryWithBackoff() succeeds on the first attempt without sleeping", async () => {
  const { delays, sleep } = fakeSleep();
  assert.deepEqual(await retryWithBackoff(() => Promise.resolve(7), { sleep }), {
    value: 7,
    attempts: 1,
  });
  assert.deepEqual(delays, []);
});

Deno.test("retryWithBackoff() throws RetriesExhaustedError after 4 attempts, keeping the cause", async () => {
  const { delays, sleep } = fakeSleep();
  let calls = 0;
  const last = new ProcessingError("db down 4");
  await assert.rejects(
    retryWithBackoff(() => {
      calls += 1;
      throw calls === 4 ? last : new ProcessingError(`db down ${calls}`);
    }, { sleep }),
    (error: unknown) => {
      assert.ok(error instanceof RetriesExhaustedError);
      assert.equal(error.name, "RetriesExhaustedError");
      assert.equal(error.attempts, 4);
      assert.equal(error.cause, last);
      assert.equal(error.message, "max retries exceeded: db down 4");
      return true;
    },
  );
  assert.equal(calls, 4);
  assert.deepEqual(delays, [1000, 2000, 4000]);
});

Deno.test("retryWithBackoff() honours maxRetries and backoff options", async () => {
  const { delays, sleep } = fakeSleep();
  await assert.rejects(
    retryWithBackoff(() => Promise.reject("nope"), {
      sleep,
      maxRetries: 1,
      initialMs: 10,
    }),
    {
      name: "RetriesExhaustedError",
      attempts: 2,
      cause: "nope",
      message: "max retries exceeded: nope",
    },
  );
  assert.deepEqual(delays, [10]);
});

Deno.test("retryWithBackoff() throws a permanent error at once, unchanged, with no sleep", async () => {
  const { delays, sleep } = fakeSleep();
  const permanent = new ValidationError("price", "price must be above 0: got 0");
  let calls = 0;
  await assert.rejects(
    retryWithBackoff(() => {
      calls += 1;
      throw permanent;
    }, { sleep }),
    (error: unknown) => error === permanent,
  );
  assert.equal(calls, 1);
  assert.deepEqual(delays, []);
});

Deno.test("retryWithBackoff() never retries a TypeError", async () => {
  const { delays, sleep } = fakeSleep();
  let calls = 0;
  await assert.rejects(
    retryWithBackoff(() => {
      calls += 1;
      return (null as unknown as { x: () => void }).x();
    }, { sleep }),
    TypeError,
  );
  assert.equal(calls, 1);
  assert.deepEqual(delays, []);
});

Deno.test("retryWithBackoff() calls onRetry with the error, attempt, total and delay before each sleep", async () => {
  const events: string[] = [];
  const errors = [new ProcessingError("a"), new ProcessingError("b")];
  await retryWithBackoff((attempt) => {
    if (attempt <= 2) throw errors[attempt - 1];
    return "done";
  }, {
    sleep: (ms) => (events.push(`sleep ${ms}`), Promise.resolve()),
    onRetry: (error, attempt, total, delay) => {
      assert.equal(error, errors[attempt - 1]);
      events.push(`retry ${attempt}/${total} after ${delay}`);
    },
    jitter: 0.5,
    random: () => 0.5,
  });
  assert.deepEqual(events, [
    "retry 1/4 after 750",
    "sleep 750",
    "retry 2/4 after 1500",
    "sleep 1500",
  ]);
});

Deno.test("retryWithBackoff() abandons the record when sleep throws", async () => {
  const rebalance = new Error("rebalance in progress");
  let calls = 0;
  await assert.rejects(
    retryWithBackoff(() => {
      calls += 1;
      throw new ProcessingError("db down");
    }, { sleep: () => Promise.reject(rebalance) }),
    (error: unknown) => error === rebalance,
  );
  assert.equal(calls, 1);
});

Deno.test("retryWithBackoff() lets isRetriable decide which errors are retried", async () => {
  const delays: number[] = [];
  let calls = 0;
  await assert.rejects(
    retryWithBackoff(() => {
      calls += 1;
      throw new Error(calls === 1 ? "transient" : "permanent");
    }, {
      sleep: (ms) => {
        delays.push(ms);
        return Promise.resolve();
      },
      isRetriable: (error) => (error as Error).message === "transient",
    }),
    /^Error: permanent$/,
  );
  assert.equal(calls, 2);
  assert.deepEqual(delays, [1000]);
});

Deno.test("the policies keep their schedules: records 1-2-4 s, state 0.5-1-2 s, sends 0.2-0.4 s", () => {
  const delays = (p: typeof RECORD_RETRY) =>
    Array.from({ length: p.maxRetries }, (_, i) => backoffDelay(i + 1, p));
  assert.deepEqual(delays(RECORD_RETRY), [1000, 2000, 4000]);
  assert.deepEqual(delays(STATE_LOAD_RETRY), [500, 1000, 2000, 4000, 8000]);
  assert.deepEqual(delays(COMMIT_RETRY), [200, 400, 800, 1600]);
  assert.deepEqual(delays(SEND_RETRY), [200, 400]);
  assert.deepEqual(delays(CLIENT_RETRY), [100, 200, 400, 800, 1600]);
});

Deno.test("REGISTRY_RETRY waits 0.2 to 3.2 s, about 6 s in all, before a registry call fails", () => {
  const delays = Array.from(
    { length: REGISTRY_RETRY.maxRetries },
    (_, i) => backoffDelay(i + 1, REGISTRY_RETRY),
  );
  assert.deepEqual(delays, [200, 400, 800, 1600, 3200]);
});

Deno.test("kafkajsRetry() speaks kafkajs's retry option words", () => {
  assert.deepEqual(kafkajsRetry(CLIENT_RETRY), {
    retries: 5,
    initialRetryTime: 100,
    maxRetryTime: 5000,
    multiplier: 2,
  });
});
