import assert from "node:assert/strict";
import { commandOutput, hasCommand, notInstalled } from "./command.ts";

Deno.test("hasCommand() finds an executable on PATH and not a made-up one", () => {
  assert.equal(hasCommand("sh"), true);
  assert.equal(hasCommand("no-such-command-here-42"), false);
});

Deno.test("commandOutput() returns the exit code and output of a command", async () => {
  const out = await commandOutput("sh", ["-c", "echo out; echo err >&2; exit 3"], { missing: "-" });
  assert.equal(out.code, 3);
  assert.equal(new TextDecoder().decode(out.stdout), "out\n");
  assert.equal(new TextDecoder().decode(out.stderr), "err\n");
});

Deno.test("commandOutput() says what to install when the command is missing", async () => {
  await assert.rejects(
    commandOutput("no-such-command-here-42", [], { missing: "install it: apt-get install -y x" }),
    { name: "FatalError", message: "install it: apt-get install -y x" },
  );
});

Deno.test("notInstalled() turns a missing command into one FatalError line and rethrows the rest", () => {
  let missing: unknown;
  try {
    new Deno.Command("no-such-command-here-42").spawn();
  } catch (error) {
    missing = error;
  }
  assert.throws(() => notInstalled(missing, "install it: apt-get install -y x"), {
    name: "FatalError",
    message: "install it: apt-get install -y x",
  });
  const other = new TypeError("bad argument");
  assert.throws(() => notInstalled(other, "-"), (error) => error === other);
});
