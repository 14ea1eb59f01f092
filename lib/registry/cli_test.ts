import assert from "node:assert/strict";
import { UsageError } from "../errors.ts";
import { parseRegistryArgs } from "./cli.ts";
import { registryDataDir } from "./options.ts";

Deno.test("parseRegistryArgs() starts on 8081 in the foreground by default", () => {
  assert.deepEqual(parseRegistryArgs([]), {
    mode: "start",
    port: 8081,
    dataDir: registryDataDir(8081),
    timeoutMs: 60_000,
  });
});

Deno.test("parseRegistryArgs() reads each mode, the port and the timeout", () => {
  assert.equal(parseRegistryArgs(["--detach", "--port", "18081"]).dataDir, registryDataDir(18081));
  assert.equal(parseRegistryArgs(["--stop"]).mode, "stop");
  assert.equal(parseRegistryArgs(["--status"]).mode, "status");
  assert.equal(parseRegistryArgs(["--build"]).mode, "build");
  assert.equal(parseRegistryArgs(["--timeout", "5"]).timeoutMs, 5000);
  assert.equal(parseRegistryArgs(["--data-dir", "/d"]).dataDir, "/d");
  assert.equal(parseRegistryArgs(["--help", "--stop"]).mode, "help");
});

Deno.test("parseRegistryArgs() throws a UsageError for two modes or a bad port", () => {
  assert.throws(
    () => parseRegistryArgs(["--stop", "--detach"]),
    new UsageError("--detach and --stop cannot be combined"),
  );
  assert.throws(() => parseRegistryArgs(["--port", "0"]), UsageError);
  assert.throws(() => parseRegistryArgs(["--bogus"]), /unknown flag '--bogus'/);
});
