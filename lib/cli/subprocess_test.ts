import assert from "node:assert/strict";
import { spawnScript, waitForOutput } from "./subprocess.ts";

Deno.test("waitForOutput() returns the first group of the line a script prints", async () => {
  const script = spawnScript("demo.ts", ["--help"]);
  assert.equal(await waitForOutput(script, /--ui-port (N)/), "N");
  await script.done;
});

Deno.test("waitForOutput() gives up when the script exits without printing it", async () => {
  const script = spawnScript("demo.ts", ["--help"]);
  assert.equal(await waitForOutput(script, /never printed/), undefined);
  await script.done;
});
