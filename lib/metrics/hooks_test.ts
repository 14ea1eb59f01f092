import assert from "node:assert/strict";
import { mergeHooks } from "./hooks.ts";

interface Hooks {
  line?(text: string): void;
  done?(n: number): void;
}

Deno.test("mergeHooks() calls every hook of a name in the order given", () => {
  const calls: string[] = [];
  const hooks = mergeHooks<Hooks>(
    { line: (t) => calls.push(`a ${t}`) },
    { line: (t) => calls.push(`b ${t}`), done: (n) => calls.push(`done ${n}`) },
  );
  hooks.line?.("x");
  hooks.done?.(2);
  assert.deepEqual(calls, ["a x", "b x", "done 2"]);
});

Deno.test("mergeHooks() passes a lone hook through as it is", () => {
  const line = (_t: string) => {};
  assert.equal(mergeHooks<Hooks>({ line }, {}).line, line);
});
