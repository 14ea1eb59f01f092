import assert from "node:assert/strict";
import { inspect } from "node:util";
import { REDACTED, Secret } from "./secret.ts";

Deno.test("Secret renders as [redacted] in strings, JSON, Deno.inspect and node inspect", () => {
  const holder = { user: "app", password: new Secret("s3cr3t-value") };
  for (
    const text of [
      `${holder.password}`,
      String(holder.password),
      JSON.stringify(holder),
      Deno.inspect(holder, { depth: 10, showHidden: true }),
      inspect(holder, { depth: 10, showHidden: true }),
    ]
  ) {
    assert.ok(text.includes(REDACTED), text);
    assert.ok(!text.includes("s3cr3t-value"), text);
  }
});

Deno.test("Secret.reveal() returns the value", () => {
  assert.equal(new Secret("s3cr3t-value").reveal(), "s3cr3t-value");
});
