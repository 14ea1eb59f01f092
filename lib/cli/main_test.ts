import assert from "node:assert/strict";
import { FatalError, UsageError } from "../errors.ts";
import { aborted, failureReport, shutdownSignal, withShutdownSignal } from "./main.ts";

Deno.test("shutdownSignal() aborts on SIGTERM until disposed", async () => {
  const shutdown = shutdownSignal();
  try {
    assert.equal(shutdown.signal.aborted, false);
    Deno.kill(Deno.pid, "SIGTERM");
    // Signal listeners do not keep the event loop alive: poll with a deadline.
    const deadline = Date.now() + 5000;
    while (!shutdown.signal.aborted && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(shutdown.signal.aborted, true);
  } finally {
    shutdown.dispose();
  }
});

Deno.test("withShutdownSignal() hands `run` a signal that SIGTERM aborts, and its result", async () => {
  const result = await withShutdownSignal(async (signal) => {
    assert.equal(signal.aborted, false);
    Deno.kill(Deno.pid, "SIGTERM");
    // Signal listeners do not keep the event loop alive: a timer does, until the abort.
    const timer = setTimeout(() => {}, 5000);
    await aborted(signal);
    clearTimeout(timer);
    return signal.aborted;
  });
  assert.equal(result, true);
});

Deno.test("withShutdownSignal() stops listening when `run` throws", async () => {
  const error = new Error("boom");
  let given: AbortSignal | undefined;
  await assert.rejects(
    withShutdownSignal((signal) => {
      given = signal;
      return Promise.reject(error);
    }),
    (e) => e === error,
  );
  // Our own listener keeps the SIGTERM from ending the test process.
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  Deno.addSignalListener("SIGTERM", onSignal);
  try {
    const timer = setTimeout(() => {}, 5000);
    Deno.kill(Deno.pid, "SIGTERM");
    await aborted(controller.signal);
    clearTimeout(timer);
    assert.equal(given?.aborted, false);
  } finally {
    Deno.removeSignalListener("SIGTERM", onSignal);
  }
});

Deno.test("aborted() settles for a signal that has already aborted", async () => {
  const controller = new AbortController();
  controller.abort();
  await aborted(controller.signal);
});

Deno.test("failureReport() never echoes a secret of the command line in the error", () => {
  const args = [
    "--count=https://key:s3cr3t@sr.example",
    "-X",
    "sasl.password=hunter2",
    "https://token@sr.example",
  ];
  assert.deepEqual(
    failureReport(
      new UsageError(
        "--count must be a number >= 0: current value is 'https://key:s3cr3t@sr.example'",
      ),
      "Usage: x",
      args,
    ),
    {
      text:
        "error: --count must be a number >= 0: current value is 'https://key:[redacted]@sr.example/'" +
        "\n\nUsage: x",
      code: 2,
    },
  );
  assert.deepEqual(
    failureReport(
      new FatalError(
        "Unexpected argument 'sasl.password=hunter2', then 'https://token@sr.example'",
      ),
      "Usage: x",
      args,
    ),
    {
      text:
        "error: Unexpected argument 'sasl.password=[redacted]', then 'https://[redacted]@sr.example/'",
      code: 1,
    },
  );
});

Deno.test("failureReport() leaves a message without secrets as it is", () => {
  assert.deepEqual(failureReport(new FatalError("no broker"), "Usage: x", ["--topic=t"]), {
    text: "error: no broker",
    code: 1,
  });
  const kafka = Object.assign(new Error("not leader"), { name: "KafkaJSProtocolError" });
  assert.deepEqual(failureReport(kafka, "Usage: x", []), {
    text: "error: KafkaJSProtocolError: not leader",
    code: 1,
  });
});
