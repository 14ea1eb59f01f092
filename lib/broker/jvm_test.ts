import assert from "node:assert/strict";
import { join } from "node:path";
import { type Jvm, killJvm, killQuietly, spawnJvm, stopJvm } from "./jvm.ts";
import { readPid } from "./pid_file.ts";
import { waitFor } from "../testing/harness.ts";

/** Spawns `sh -c script` as a stand-in JVM in a temporary directory, and cleans up after `run`. */
async function withJvm(
  script: string,
  run: (jvm: Jvm, files: { outFile: string; pidFile: string }) => Promise<void>,
): Promise<void> {
  const cwd = await Deno.makeTempDir({ prefix: "jvm_test_" });
  const files = { outFile: join(cwd, "out.log"), pidFile: join(cwd, "x.pid") };
  const jvm = await spawnJvm({ java: "sh", args: ["-c", script], cwd, ...files, detach: false });
  try {
    await run(jvm, files);
  } finally {
    killQuietly(jvm.child, "SIGKILL");
    await jvm.exited;
    await Deno.remove(cwd, { recursive: true });
  }
}

Deno.test("`spawnJvm()` sends the output to the file and writes the pid file", async () => {
  await withJvm("echo started; echo oops >&2", async (jvm, { outFile, pidFile }) => {
    assert.equal(await readPid(pidFile), jvm.child.pid);
    assert.equal((await jvm.exited).code, 0);
    assert.equal(jvm.status?.code, 0);
    assert.equal(await Deno.readTextFile(outFile), "started\noops\n");
  });
});

Deno.test("`stopJvm()` stops a running JVM with SIGTERM and removes its pid file", async () => {
  await withJvm("exec sleep 30", async (jvm, { pidFile }) => {
    await stopJvm(jvm, pidFile, 5_000);
    assert.equal(jvm.status?.signal, "SIGTERM");
    await assert.rejects(Deno.stat(pidFile), Deno.errors.NotFound);
  });
});

Deno.test("`stopJvm()` sends SIGKILL when SIGTERM is ignored past the timeout", async () => {
  const script = "trap '' TERM; echo ready; while :; do sleep 0.05; done";
  await withJvm(script, async (jvm, { outFile, pidFile }) => {
    await waitFor(async () => (await Deno.readTextFile(outFile)) === "ready\n", {
      timeoutMs: 5_000,
      message: "the trap for SIGTERM",
    });
    await stopJvm(jvm, pidFile, 200);
    assert.equal(jvm.status?.signal, "SIGKILL");
    await assert.rejects(Deno.stat(pidFile), Deno.errors.NotFound);
  });
});

Deno.test("`killJvm()` SIGKILLs the JVM and removes its pid file once it is gone", async () => {
  await withJvm("exec sleep 30", async (jvm, { pidFile }) => {
    await killJvm(jvm, pidFile);
    assert.equal(jvm.status?.signal, "SIGKILL");
    await assert.rejects(Deno.stat(pidFile), Deno.errors.NotFound);
  });
});

Deno.test("`killQuietly()` does not throw when the child has exited", async () => {
  const child = new Deno.Command("true", { stdout: "null", stderr: "null" }).spawn();
  await child.status;
  killQuietly(child, "SIGTERM");
});
