import assert from "node:assert/strict";
import { inspect } from "node:util";
import { UsageError } from "../errors.ts";
import { parseUserInfo, registryConnection } from "./config.ts";

Deno.test("registryConnection() is undefined when no URL is given: plain Avro", () => {
  assert.equal(registryConnection({}), undefined);
  assert.equal(registryConnection({ url: " " }), undefined);
});

Deno.test("registryConnection() reads schema.registry.url and basic.auth.user.info", () => {
  const connection = registryConnection({
    url: "https://psrc-abc.eu-west-1.aws.confluent.cloud/",
    auth: parseUserInfo("KEY:se:cret"),
  });
  assert.equal(
    JSON.stringify(connection),
    '{"url":"https://psrc-abc.eu-west-1.aws.confluent.cloud","auth":{"user":"KEY","password":"[redacted]"}}',
  );
  assert.equal(connection?.auth?.password.reveal(), "se:cret");
});

Deno.test("registryConnection() lets --schema-registry win and takes the first of a list", () => {
  assert.deepEqual(
    registryConnection(
      { url: "http://a:8081" },
      "http://127.0.0.1:18081/apis/ccompat/v7,http://b:8081",
    ),
    { url: "http://127.0.0.1:18081/apis/ccompat/v7" },
  );
});

Deno.test("registryConnection() takes credentials from the URL when user info is not set", () => {
  const connection = registryConnection({}, "https://k%40y:p%3Aw@sr.example/v1/");
  assert.equal(
    JSON.stringify(connection),
    '{"url":"https://sr.example/v1","auth":{"user":"k@y","password":"[redacted]"}}',
  );
  assert.equal(connection?.auth?.password.reveal(), "p:w");
});

Deno.test("registryConnection() prefers basic.auth.user.info to the URL's user info", () => {
  const connection = registryConnection(
    { auth: parseUserInfo("KEY:from-property") },
    "https://u:from-url@sr.example",
  );
  assert.equal(connection?.url, "https://sr.example");
  assert.equal(connection?.auth?.user, "KEY");
  assert.equal(connection?.auth?.password.reveal(), "from-property");
});

Deno.test("registryConnection() shows its password as [redacted] however it is printed", () => {
  for (
    const connection of [
      registryConnection({ url: "https://sr.example", auth: parseUserInfo("KEY:s3cr3t") }),
      registryConnection({}, "https://KEY:s3cr3t@sr.example"),
    ]
  ) {
    for (
      const text of [
        JSON.stringify(connection),
        `${connection?.auth?.password}`,
        Deno.inspect(connection, { depth: 10, showHidden: true }),
        inspect(connection, { depth: 10, showHidden: true }),
      ]
    ) {
      assert.ok(text.includes("[redacted]"), text);
      assert.ok(!text.includes("s3cr3t"), text);
    }
  }
});

Deno.test("registryConnection() throws a UsageError naming the key and value when the URL is not http(s)", () => {
  assert.throws(
    () => registryConnection({ url: "ftp://x" }),
    new UsageError("schema.registry.url must be an http(s) URL: current value is ftp://x"),
  );
  assert.throws(
    () => registryConnection({}, "not a url"),
    new UsageError("--schema-registry must be an http(s) URL: current value is not a url"),
  );
});

Deno.test("registryConnection() never shows the user info of a URL it refuses", () => {
  assert.throws(
    () => registryConnection({ url: "ftp://key:secret@x" }),
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
    () => registryConnection({ auth: parseUserInfo("a:b") }),
    /no schema registry URL/,
  );
  assert.throws(
    () => parseUserInfo("secretonly"),
    (e: unknown) => e instanceof UsageError && !e.message.includes("secretonly"),
  );
});
