import assert from "node:assert/strict";
import { runScript } from "./lib/testing/harness.ts";
import { hasCommand, needs } from "./lib/testing/tools.ts";

const PERMISSIONS = ["--allow-env", "--allow-read", "--allow-write", "--allow-run"];

Deno.test({
  name: "fuzz.ts reports the inputs tried, accepted, rejected and 0 disagreements, and exits 0",
  ...needs({
    name: "python3",
    available: hasCommand("python3"),
    install: "apt-get install -y python3 python3-venv python3-pip",
  }),
  async fn() {
    const { code, stdout, stderr } = await runScript(
      "fuzz.ts",
      ["--count", "5000", "--seed", "20260"],
      {},
      PERMISSIONS,
    );
    assert.equal(code, 0, stderr);
    const lines = stdout.split("\n");
    assert.deepEqual(lines.slice(0, 4), [
      "fuzz seed 20260: our decoder vs fastavro schemaless_reader (strict)",
      "inputs tried:   5000",
      "accepted:       1799",
      "rejected:       3201 (of which fastavro alone would accept 602: 520 with trailing bytes, 82 with a varint over 10 bytes)",
    ]);
    assert.equal(lines[5], "disagreements:  0");
    assert.match(lines[6], /^time: +\d+\.\d s$/);
  },
});

Deno.test("fuzz.ts names a bad --count and exits 2", async () => {
  const { code, stderr } = await runScript("fuzz.ts", ["--count", "0"], {}, PERMISSIONS);
  assert.equal(code, 2);
  assert.match(stderr, /^error: --count must be >= 1: current value is 0/);
});
