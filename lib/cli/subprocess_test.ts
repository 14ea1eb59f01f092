import assert from "node:assert/strict";
import {
  SCRIPT_PERMISSIONS,
  SCRIPT_V8_FLAGS,
  scriptCommand,
  spawnScript,
  waitForOutput,
} from "./subprocess.ts";

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

Deno.test("the program tasks of deno.json run with SCRIPT_V8_FLAGS and SCRIPT_PERMISSIONS", async () => {
  const { tasks } = JSON.parse(
    await Deno.readTextFile(new URL("../../deno.json", import.meta.url)),
  );
  for (
    const [task, script] of [
      ["produce", "producer.ts"],
      ["consume", "consumer.ts"],
      ["dlq", "dlq_consumer.ts"],
      ["stats", "stats.ts"],
    ]
  ) {
    assert.equal(
      tasks[task],
      ["deno run", SCRIPT_V8_FLAGS, ...SCRIPT_PERMISSIONS, script].join(" "),
      task,
    );
  }
});

Deno.test("scriptCommand() runs a program with the V8 heap sizing of its task", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // Survivors make V8 grow the new space: to 13 MB unflagged, 1.3 MB capped.
    const script = `${dir}/new_space.ts`;
    await Deno.writeTextFile(
      script,
      `import v8 from "node:v8";
const keep = [];
for (let i = 0; i < 2e6; i++) { keep.push({ i }); if (keep.length > 200000) keep.length = 0; }
console.log(v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size);`,
    );
    const { code, stdout } = await scriptCommand(script, []).output();
    assert.equal(code, 0);
    const size = Number(new TextDecoder().decode(stdout));
    assert.ok(size > 0 && size <= 2 * 1024 * 1024, `new space of ${size} bytes`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
