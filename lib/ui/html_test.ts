import assert from "node:assert/strict";
import { clock, count, escapeHtml, money, scriptJson } from "./html.ts";

Deno.test("escapeHtml() escapes the five characters that matter in content and attributes", () => {
  assert.equal(
    escapeHtml(`<img src=x onerror="a('b')">&`),
    "&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;",
  );
});

Deno.test("scriptJson() cannot close the script element it is in", () => {
  assert.equal(scriptJson({ a: "</script><b>" }), '{"a":"\\u003c/script>\\u003cb>"}');
  assert.deepEqual(JSON.parse(scriptJson({ a: "</script>" })), { a: "</script>" });
});

Deno.test("money() shows dollars with a sign in front and a dash for nothing", () => {
  assert.deepEqual([money(1234.5), money(-956.6), money(0), money(null)], [
    "$1,234.50",
    "-$956.60",
    "$0.00",
    "–",
  ]);
});

Deno.test("count() and clock() format for people", () => {
  assert.equal(count(1234567.4), "1,234,567");
  assert.equal(clock("2026-05-01T08:09:10.123Z"), "08:09:10");
  assert.equal(clock(0), "00:00:00");
});
