import assert from "node:assert/strict";
import { FatalError, UsageError } from "../errors.ts";
import { failureReport, shutdownSignal } from "./main.ts";

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
