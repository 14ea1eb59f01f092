import assert from "node:assert/strict";
import { join } from "node:path";
import { display, exists, readTextOrUndefined, settlesWithin } from "./_util.ts";

Deno.test("`display()` shortens paths below the working directory only", () => {
  assert.equal(display(join(Deno.cwd(), ".kafka-data", "x")), join(".kafka-data", "x"));
  assert.equal(display(Deno.cwd()), ".");
  assert.equal(display("/"), Deno.cwd() === "/" ? "." : "/");
});

Deno.test("`exists()` and `readTextOrUndefined()` treat a missing file as an answer", async () => {
  const dir = await Deno.makeTempDir({ prefix: "util_test_" });
  try {
    const path = join(dir, "f");
    assert.equal(await exists(path), false);
    assert.equal(await readTextOrUndefined(path), undefined);
    await Deno.writeTextFile(path, "x");
    assert.equal(await exists(path), true);
    assert.equal(await readTextOrUndefined(path), "x");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("`settlesWithin()` returns as soon as the promise settles, else after the bound", async () => {
  const begin = Date.now();
  assert.equal(await settlesWithin(Promise.resolve(), 10_000), true);
  assert.ok(Date.now() - begin < 1000, `took ${Date.now() - begin} ms`);
  assert.equal(await settlesWithin(new Promise(() => {}), 1), false);
});
