import assert from "node:assert/strict";
import { join } from "node:path";
import { dataDirFiles } from "./data_dir.ts";
import { logExcerpt, logSize, logTail } from "./logs.ts";
import { display } from "./_util.ts";

Deno.test("`logExcerpt()` puts the last error and its causes before the tail", () => {
  const log = [
    "[2026-11-22 22:10:17,394] ERROR Unable to start acceptor for CONTROLLER (DataPlaneAcceptor)",
    "Caused by: java.net.BindException: Address already in use",
    "[2026-11-22 22:10:17,461] ERROR Encountered fatal fault: caught exception (FaultHandler)",
    "java.lang.RuntimeException: boom",
    "\tat kafka.Kafka.main(Kafka.scala:1)",
    "Caused by: org.apache.kafka.common.KafkaException: Socket server failed to bind to " +
    "127.0.0.1:19093: Address already in use.",
    "\t... 18 more",
    "Caused by: java.net.BindException: Address already in use",
    "[2026-11-22 22:10:17,465] INFO shutting down (KafkaRaftServer)",
    "[2026-11-22 22:10:17,467] INFO shut down completed (KafkaRaftServer)",
  ].join("\n");
  assert.equal(
    logExcerpt(log, 2),
    [
      "[2026-11-22 22:10:17,461] ERROR Encountered fatal fault: caught exception (FaultHandler)",
      "Caused by: org.apache.kafka.common.KafkaException: Socket server failed to bind to " +
      "127.0.0.1:19093: Address already in use.",
      "Caused by: java.net.BindException: Address already in use",
      "...",
      "[2026-11-22 22:10:17,465] INFO shutting down (KafkaRaftServer)",
      "[2026-11-22 22:10:17,467] INFO shut down completed (KafkaRaftServer)",
    ].join("\n"),
  );
});

Deno.test("`logExcerpt()` shows only the tail when it holds the last error", () => {
  const log = "[t] INFO a (x)\n[t] ERROR b (y)\nCaused by: c\n[t] INFO d (x)";
  assert.equal(logExcerpt(log, 3), "[t] ERROR b (y)\nCaused by: c\n[t] INFO d (x)");
  assert.equal(logExcerpt("one\ntwo\nthree", 2), "two\nthree");
});

Deno.test("`logTail()` shows this run's part of server.log, or all of a rolled-over log", async () => {
  const dir = await Deno.makeTempDir({ prefix: "logs_test_" });
  try {
    const files = dataDirFiles(dir);
    await Deno.mkdir(files.logs);
    assert.equal(await logSize(files.serverLog), 0);
    await Deno.writeTextFile(files.serverLog, "[t] ERROR old run (x)\n");
    const since = await logSize(files.serverLog);
    assert.equal(since, 22);
    await Deno.writeTextFile(files.serverLog, "[t] INFO new run (x)\n", { append: true });
    assert.equal(
      await logTail(files, since),
      `; from ${display(files.serverLog)}:\n[t] INFO new run (x)`,
    );
    await Deno.writeTextFile(files.serverLog, "[t] INFO x\n");
    assert.equal(await logTail(files, since), `; from ${display(files.serverLog)}:\n[t] INFO x`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("`logTail()` falls back to the JVM's output when the broker logged nothing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "logs_test_" });
  try {
    const files = dataDirFiles(dir);
    assert.equal(await logTail(files), `; nothing in ${display(join(dir, "logs"))}`);
    await Deno.mkdir(files.logs);
    await Deno.writeTextFile(
      files.jvmOut,
      "Error: Could not find or load main class kafka.Kafka\n",
    );
    assert.equal(
      await logTail(files),
      `; from ${display(files.jvmOut)}:\nError: Could not find or load main class kafka.Kafka`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
