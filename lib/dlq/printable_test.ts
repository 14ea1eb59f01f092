import assert from "node:assert/strict";
import { MAX_SHOWN_CHARS, printable } from "./printable.ts";

Deno.test("printable() escapes control characters so a value never splits a line", () => {
  assert.equal(
    printable("a\nb\r\tc\u0000\u001b[31m\u007f\u0085\u2028"),
    "a\\nb\\r\\tc\\u0000\\u001b[31m\\u007f\\u0085\\u2028",
  );
  assert.equal(printable("Caméra 😀 \uFFFD"), "Caméra 😀 \uFFFD");
});

Deno.test("printable() cuts text past the limit and says how much was left out", () => {
  assert.equal(printable("x".repeat(5), 3), "xxx... (2 more characters)");
  assert.equal(printable("x".repeat(MAX_SHOWN_CHARS)), "x".repeat(MAX_SHOWN_CHARS));
  const huge = printable("\n".repeat(1_000_000));
  assert.equal(
    huge,
    "\\n".repeat(MAX_SHOWN_CHARS) + `... (${1_000_000 - MAX_SHOWN_CHARS} more characters)`,
  );
});
