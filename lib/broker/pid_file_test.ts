import assert from "node:assert/strict";
import { join } from "node:path";
import { isProcessOf, readPid, stopByPidFile, writePid } from "./pid_file.ts";

/** A process whose command line holds a mark no other process has. */
function markedSleep(): { child: Deno.ChildProcess; mark: string } {
  const mark = `30.${crypto.getRandomValues(new Uint32Array(1))[0]}`;
  const child = new Deno.Command("sleep", { args: [mark], stdout: "null", stderr: "null" })
    .spawn();
  return { child, mark: `sleep ${mark}` };
}

async function withTempDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "pid_file_test_" });
  try {
    await run(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("`readPid()` reads what `writePid()` writes and ignores missing or garbled files", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "broker.pid");
    assert.equal(await readPid(path), undefined);
    await writePid(path, 4242);
    assert.equal(await Deno.readTextFile(path), "4242\n");
    assert.equal(await readPid(path), 4242);
    for (const garbled of ["", "abc\n", "-3\n", "1.5\n"]) {
      await Deno.writeTextFile(path, garbled);
      assert.equal(await readPid(path), undefined, JSON.stringify(garbled));
    }
  });
});

Deno.test("`isProcessOf()` is true only for a live process whose command line holds the mark", async () => {
  const { child, mark } = markedSleep();
  try {
    assert.equal(await isProcessOf(child.pid, mark), true);
    assert.equal(await isProcessOf(Deno.pid, mark), false);
  } finally {
    child.kill("SIGKILL");
    await child.status;
  }
  assert.equal(await isProcessOf(child.pid, mark), false);
});

Deno.test("`stopByPidFile()` stops our process with SIGTERM and removes its pid file", async () => {
  await withTempDir(async (dir) => {
    const { child, mark } = markedSleep();
    const pidFile = join(dir, "x.pid");
    await writePid(pidFile, child.pid);
    const stopped = await stopByPidFile(pidFile, { mark, timeoutMs: 5_000 });
    assert.equal(stopped?.pid, child.pid);
    assert.equal(stopped?.killed, false);
    assert.equal((await child.status).signal, "SIGTERM");
    await assert.rejects(Deno.stat(pidFile), Deno.errors.NotFound);
  });
});

Deno.test("`stopByPidFile()` with `kill` sends SIGKILL at once", async () => {
  await withTempDir(async (dir) => {
    const { child, mark } = markedSleep();
    const pidFile = join(dir, "x.pid");
    await writePid(pidFile, child.pid);
    const stopped = await stopByPidFile(pidFile, { mark, timeoutMs: 5_000, kill: true });
    assert.equal(stopped?.killed, true);
    assert.equal((await child.status).signal, "SIGKILL");
  });
});

Deno.test("`stopByPidFile()` removes a stale pid file without signalling its process", async () => {
  await withTempDir(async (dir) => {
    const pidFile = join(dir, "x.pid");
    // Our own pid: alive, but without the mark, so it must survive.
    await writePid(pidFile, Deno.pid);
    assert.equal(await stopByPidFile(pidFile, { mark: "kafka.Kafka", timeoutMs: 1 }), undefined);
    await assert.rejects(Deno.stat(pidFile), Deno.errors.NotFound);
    assert.equal(await stopByPidFile(pidFile, { mark: "kafka.Kafka", timeoutMs: 1 }), undefined);
  });
});
