import assert from "node:assert/strict";
import { commandText, findOnPath, sha256Hex } from "./_util.ts";

Deno.test("`sha256Hex()` is the SHA-256 of the text in hex", () => {
  assert.equal(
    sha256Hex("abc"),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
});

Deno.test("`commandText()` returns what a command printed and whether it succeeded", async () => {
  assert.deepEqual(await commandText("sh", ["-c", "echo out; echo err >&2; exit 3"], "-"), {
    success: false,
    stdout: "out\n",
    stderr: "err\n",
  });
});

Deno.test("`commandText()` says what to install when the command is missing", async () => {
  await assert.rejects(commandText("no-such-command-42", [], "install it"), {
    name: "FatalError",
    message: "no-such-command-42 not found: install it",
  });
});

Deno.test("`findOnPath()` finds a command on PATH and says what to install when it is not", async () => {
  assert.match(await findOnPath("sh", "-"), /\/sh$/);
  await assert.rejects(findOnPath("no-such-command-42", "install it"), {
    name: "FatalError",
    message: "no-such-command-42 not found: install it",
  });
});
