import assert from "node:assert/strict";
import { newGroup } from "./context.ts";

Deno.test("newGroup() names a group after the run and the step and remembers it", () => {
  const ctx = { runId: "bench-abc", groups: [] as string[] };
  const first = newGroup(ctx, "consume");
  const second = newGroup(ctx, "consume");
  assert.match(first, /^bench-abc-consume-[0-9a-z]{1,4}$/);
  assert.deepEqual(ctx.groups, [first, second]);
});
