import assert from "node:assert/strict";
import { registryArgs, registryFiles, statusLine, stopRegistry } from "./process.ts";

Deno.test("registryArgs() binds 127.0.0.1 on the port with BACKWARD as the global rule", () => {
  const args = registryArgs("/c/r-runner.jar", 18081);
  assert.ok(args.includes("-Dquarkus.http.host=127.0.0.1"));
  assert.ok(args.includes("-Dquarkus.http.port=18081"));
  assert.ok(args.includes("-Dapicurio.rules.global.compatibility=BACKWARD"));
  assert.deepEqual(args.slice(-2), ["-jar", "/c/r-runner.jar"]);
});

Deno.test("registryFiles() keeps the pid file and the log in the data directory", () => {
  assert.deepEqual(registryFiles("/d"), { pid: "/d/registry.pid", log: "/d/registry.log" });
});

Deno.test("statusLine() tells ours from another registry and a stuck one", () => {
  const url = "http://127.0.0.1:8081/apis/ccompat/v7";
  assert.equal(statusLine({ url, answers: true, pid: 7 }), `registry running at ${url} (pid 7)`);
  assert.equal(
    statusLine({ url, answers: true }),
    `registry running at ${url} (no pid file of ours)`,
  );
  assert.equal(
    statusLine({ url, answers: false, pid: 7 }),
    `registry not answering at ${url} (pid 7: starting, or stuck?)`,
  );
});

Deno.test("stopRegistry() removes a stale pid file without signalling anything", async () => {
  const dir = await Deno.makeTempDir();
  // Our own pid: alive, but not a registry JVM.
  await Deno.writeTextFile(registryFiles(dir).pid, `${Deno.pid}\n`);
  assert.equal(await stopRegistry(dir), undefined);
  await assert.rejects(Deno.stat(registryFiles(dir).pid), Deno.errors.NotFound);
  assert.equal(await stopRegistry(dir), undefined);
});
