import assert from "node:assert/strict";
import { UsageError } from "../errors.ts";
import { basicAuthHeader, parseUserInfo, registryConnection } from "./config.ts";

Deno.test("registryConnection() is undefined when no URL is given: plain Avro", () => {
  assert.equal(registryConnection({}), undefined);
  assert.equal(registryConnection({ "schema.registry.url": " " }), undefined);
});

Deno.test("registryConnection() reads schema.registry.url and basic.auth.user.info", () => {
  assert.deepEqual(
    registryConnection({
      "schema.registry.url": "https://psrc-abc.eu-west-1.aws.confluent.cloud/",
      "basic.auth.user.info": "KEY:se:cret",
    }),
    {
      url: "https://psrc-abc.eu-west-1.aws.confluent.cloud",
      auth: { user: "KEY", password: "se:cret" },
    },
  );
});

Deno.test("registryConnection() lets --schema-registry win and takes the first of a list", () => {
  assert.deepEqual(
    registryConnection(
      { "schema.registry.url": "http://a:8081" },
      "http://127.0.0.1:18081/apis/ccompat/v7,http://b:8081",
    ),
    { url: "http://127.0.0.1:18081/apis/ccompat/v7" },
  );
});

Deno.test("registryConnection() takes credentials from the URL when user info is not set", () => {
  assert.deepEqual(registryConnection({}, "https://k%40y:p%3Aw@sr.example/v1/"), {
    url: "https://sr.example/v1",
    auth: { user: "k@y", password: "p:w" },
  });
});

Deno.test("registryConnection() throws a UsageError naming the key and value when the URL is not http(s)", () => {
  assert.throws(
    () => registryConnection({ "schema.registry.url": "ftp://x" }),
    new UsageError("schema.registry.url must be an http(s) URL: current value is ftp://x"),
  );
  assert.throws(
    () => registryConnection({}, "not a url"),
    new UsageError("--schema-registry must be an http(s) URL: current value is not a url"),
  );
});

Deno.test("registryConnection() never shows the user info of a URL it refuses", () => {
  assert.throws(
    () => registryConnection({ "schema.registry.url": "ftp://key:secret@x" }),
    new UsageError(
      "schema.registry.url must be an http(s) URL: current value is ftp://key:[redacted]@x/",
    ),
  );
  assert.throws(
    () => registryConnection({}, "https://key:secret@"),
    new UsageError("--schema-registry must be an http(s) URL: current value is [redacted]"),
  );
  assert.throws(
    () => registryConnection({}, "key:secret@sr.example"),
    new UsageError("--schema-registry must be an http(s) URL: current value is [redacted]"),
  );
});

Deno.test("registryConnection() refuses user info without a URL, and never shows the password", () => {
  assert.throws(
    () => registryConnection({ "basic.auth.user.info": "a:b" }),
    /no schema registry URL/,
  );
  assert.throws(
    () => parseUserInfo("secretonly"),
    (e: unknown) => e instanceof UsageError && !e.message.includes("secretonly"),
  );
});

Deno.test("basicAuthHeader() encodes user:password in base64, UTF-8 included", () => {
  assert.equal(basicAuthHeader({ user: "a", password: "b" }), "Basic YTpi");
  assert.equal(basicAuthHeader({ user: "é", password: "x" }), "Basic w6k6eA==");
});
