import assert from "node:assert/strict";
import { needs } from "./tools.ts";

Deno.test("needs() ignores a test only when something is missing and CI is not set", () => {
  const saved = Deno.env.get("CI");
  try {
    Deno.env.delete("CI");
    const present = { name: "sh", available: true, install: "-" };
    const absent = { name: "nothing-42", available: false, install: "apt-get install -y nothing" };
    assert.deepEqual(needs(present), { ignore: false });
    assert.deepEqual(needs(present, absent), { ignore: true });
    Deno.env.set("CI", "true");
    assert.deepEqual(needs(absent), { ignore: false });
  } finally {
    if (saved === undefined) Deno.env.delete("CI");
    else Deno.env.set("CI", saved);
  }
});
