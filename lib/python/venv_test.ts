import assert from "node:assert/strict";
import { join } from "node:path";
import { hasCommand, needs } from "../testing/tools.ts";
import { pythonVenv } from "./venv.ts";

Deno.test({
  name:
    "pythonVenv() makes the environment once and reuses it while the requirements stay the same",
  ...needs({
    name: "python3",
    available: hasCommand("python3"),
    install: "apt-get install -y python3 python3-venv",
  }),
  async fn() {
    const root = await Deno.makeTempDir();
    const lines: string[] = [];
    const python = await pythonVenv("empty", [], { root, log: (l) => lines.push(l) });
    assert.equal(python, join(root, "empty", "bin", "python"));
    assert.equal((await Deno.stat(python)).isFile, true);
    assert.equal(await pythonVenv("empty", [], { root, log: (l) => lines.push(l) }), python);
    assert.equal(lines.length, 1);
    await Deno.remove(root, { recursive: true });
  },
});

Deno.test("pythonVenv() says what to install when Python is missing", async () => {
  const root = await Deno.makeTempDir();
  await assert.rejects(
    pythonVenv("x", [], { root, python: "no-such-python3" }),
    /no-such-python3 not found: install Python 3\.9\+ with venv/,
  );
  await Deno.remove(root, { recursive: true });
});
