import assert from "node:assert/strict";
import { FatalError } from "../errors.ts";
import { hasCommand, needs } from "../testing/tools.ts";
import { ensureVenv, requirementsText } from "./venv.ts";

Deno.test("requirementsText() sorts and trims the requirements, one a line", () => {
  assert.equal(requirementsText([" b==2", "a==1", ""]), "a==1\nb==2\n");
});

Deno.test("ensureVenv() reuses an environment whose requirements match without running python", async () => {
  const root = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${root}/tool/bin`, { recursive: true });
    await Deno.writeTextFile(`${root}/tool/requirements.lock.txt`, "a==1\nb==2\n");
    const python = await ensureVenv({
      name: "tool",
      requirements: ["b==2", "a==1"],
      root,
      python: "/nonexistent/python3",
    });
    assert.equal(python, `${root}/tool/bin/python`);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("ensureVenv() says in one line what to install when the interpreter is missing", async () => {
  const root = await Deno.makeTempDir();
  try {
    await assert.rejects(
      ensureVenv({ name: "tool", requirements: ["a==1"], root, python: "python3-not-here" }),
      (error: unknown) => {
        assert.ok(error instanceof FatalError);
        assert.equal(
          error.message,
          "python3-not-here is not installed: install Python 3 with venv and pip (apt-get install -y python3 python3-venv python3-pip)",
        );
        return true;
      },
    );
    // Nothing half-made is left behind.
    assert.deepEqual([...Deno.readDirSync(root)], []);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test({
  name: "ensureVenv() creates an environment once and reuses it while its requirements hold",
  ...needs({
    name: "python3",
    available: hasCommand("python3"),
    install: "apt-get install -y python3 python3-venv python3-pip",
  }),
  async fn() {
    const root = await Deno.makeTempDir();
    try {
      const logs: string[] = [];
      // No requirements: the test needs no registry.
      const python = await ensureVenv({
        name: "empty",
        requirements: [],
        root,
        log: (t) => logs.push(t),
      });
      assert.equal(python, `${root}/empty/bin/python`);
      const { code, stdout } = await new Deno.Command(python, {
        args: ["-c", "import sys; print(sys.prefix != sys.base_prefix)"],
        stdout: "piped",
      }).output();
      assert.equal(code, 0);
      assert.equal(new TextDecoder().decode(stdout).trim(), "True");
      assert.equal(
        await ensureVenv({ name: "empty", requirements: [], root, log: (t) => logs.push(t) }),
        python,
      );
      assert.deepEqual(logs, [`creating the Python environment ${root}/empty ()`]);
      assert.deepEqual([...Deno.readDirSync(root)].map((e) => e.name), ["empty"]);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});
