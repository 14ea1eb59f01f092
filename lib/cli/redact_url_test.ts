import assert from "node:assert/strict";
import { redactUrl } from "./redact_url.ts";

Deno.test("redactUrl() replaces the password and keeps the user, host, path and query", () => {
  assert.equal(
    redactUrl("https://key:secret@sr.example:8443/apis/ccompat/v7?x=1#f"),
    "https://key:[redacted]@sr.example:8443/apis/ccompat/v7?x=1#f",
  );
  assert.equal(redactUrl("ftp://k%40y:p%3Aw@x"), "ftp://k%40y:[redacted]@x/");
  // The parser takes the last @ before the host: a raw @ in the password stays hidden.
  assert.equal(redactUrl("https://key:p@ss@sr.example/"), "https://key:[redacted]@sr.example/");
});

Deno.test("redactUrl() hides a lone user name, which is often a token", () => {
  assert.equal(redactUrl("https://ghp_token@sr.example"), "https://[redacted]@sr.example/");
  assert.equal(redactUrl("https://:secret@sr.example"), "https://:[redacted]@sr.example/");
});

Deno.test("redactUrl() returns a URL without user info unchanged, byte for byte", () => {
  assert.equal(redactUrl("http://127.0.0.1:8081"), "http://127.0.0.1:8081");
  assert.equal(redactUrl("HTTPS://SR.example/v1/"), "HTTPS://SR.example/v1/");
  assert.equal(redactUrl("not a url"), "not a url");
  assert.equal(redactUrl("https://sr.example/@scope/x"), "https://sr.example/@scope/x");
});

Deno.test("redactUrl() hides the whole value when its user info cannot be told apart", () => {
  assert.equal(redactUrl("https://key:secret@"), "[redacted]");
  assert.equal(redactUrl("https://key:secret@sr.example:port"), "[redacted]");
  assert.equal(redactUrl("key:secret@sr.example"), "[redacted]");
});
