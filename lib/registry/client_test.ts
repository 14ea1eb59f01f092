import assert from "node:assert/strict";
import { Secret } from "../kafka/secret.ts";
import {
  basicAuthHeader,
  HttpSchemaRegistry,
  RegistryError,
  RegistryUnavailableError,
} from "./client.ts";

const URL_BASE = "http://127.0.0.1:18081/apis/ccompat/v7";

/** A fetch that records each request and answers `status` with `body`. */
function fakeFetch(status: number, body: unknown) {
  const requests: { url: string; init: RequestInit }[] = [];
  const fn = ((url: string, init: RequestInit) => {
    requests.push({ url, init });
    return Promise.resolve(new Response(JSON.stringify(body), { status }));
  }) as unknown as typeof fetch;
  return { fn, requests };
}

Deno.test("register() posts the schema to the subject's versions and returns the id", async () => {
  const { fn, requests } = fakeFetch(200, { id: 3 });
  const registry = new HttpSchemaRegistry(
    { url: URL_BASE, auth: { user: "a", password: new Secret("b") } },
    fn,
  );
  assert.equal(await registry.register("orders-value", '{"type":"string"}'), 3);
  assert.equal(requests[0].url, `${URL_BASE}/subjects/orders-value/versions`);
  assert.equal(requests[0].init.method, "POST");
  assert.deepEqual(JSON.parse(requests[0].init.body as string), {
    schema: '{"type":"string"}',
    schemaType: "AVRO",
  });
  const headers = requests[0].init.headers as Record<string, string>;
  assert.equal(headers.Authorization, "Basic YTpi");
  assert.equal(headers["Content-Type"], "application/vnd.schemaregistry.v1+json");
});

Deno.test("register() throws a permanent RegistryError in the registry's words on 409", async () => {
  const { fn } = fakeFetch(409, {
    error_code: 409,
    message: "Incompatible artifact: orders-value",
  });
  const registry = new HttpSchemaRegistry({ url: URL_BASE }, fn);
  await assert.rejects(
    registry.register("orders-value", "{}"),
    (e: unknown) =>
      e instanceof RegistryError && !e.retriable && e.status === 409 &&
      e.registryMessage === "Incompatible artifact: orders-value",
  );
});

Deno.test("schemaById() returns the schema text, and a 404 is a retriable RegistryError", async () => {
  const ok = fakeFetch(200, { schema: '"string"' });
  assert.equal(await new HttpSchemaRegistry({ url: URL_BASE }, ok.fn).schemaById(12), '"string"');
  assert.equal(ok.requests[0].url, `${URL_BASE}/schemas/ids/12`);
  const missing = fakeFetch(404, { error_code: 40403, message: "Schema 12 not found" });
  await assert.rejects(
    new HttpSchemaRegistry({ url: URL_BASE }, missing.fn).schemaById(12),
    (e: unknown) => e instanceof RegistryError && e.retriable && e.code === 40403,
  );
});

Deno.test("schemaById() refuses a schema that is not Avro, for good", async () => {
  const { fn } = fakeFetch(200, { schema: "syntax = 'proto3';", schemaType: "PROTOBUF" });
  await assert.rejects(
    new HttpSchemaRegistry({ url: URL_BASE }, fn).schemaById(4),
    (e: unknown) =>
      e instanceof RegistryError && !e.retriable && /PROTOBUF, not AVRO/.test(e.message),
  );
});

Deno.test("calls throw a retriable RegistryUnavailableError on 5xx and when nothing answers", async () => {
  const down = fakeFetch(503, {});
  await assert.rejects(
    new HttpSchemaRegistry({ url: URL_BASE }, down.fn).schemaById(1),
    (e: unknown) =>
      e instanceof RegistryUnavailableError && e.retriable && /HTTP 503/.test(e.message),
  );
  const refused = (() => Promise.reject(new TypeError("connection refused"))) as typeof fetch;
  await assert.rejects(
    new HttpSchemaRegistry({ url: URL_BASE }, refused).register("s", "{}"),
    (e: unknown) =>
      e instanceof RegistryUnavailableError &&
      /does not answer: connection refused/.test(e.message),
  );
});

Deno.test("HttpSchemaRegistry's errors show its URL without the user info", async () => {
  const url = "https://key:secret@sr.example/apis/ccompat/v7";
  const shown = "https://key:[redacted]@sr.example/apis/ccompat/v7";
  const refused = (() => Promise.reject(new TypeError("connection refused"))) as typeof fetch;
  await assert.rejects(
    new HttpSchemaRegistry({ url }, refused).schemaById(1),
    new RegistryUnavailableError(
      `the schema registry at ${shown} does not answer: connection refused`,
    ),
  );
  await assert.rejects(
    new HttpSchemaRegistry({ url }, fakeFetch(503, {}).fn).schemaById(1),
    new RegistryUnavailableError(`the schema registry at ${shown} answered HTTP 503`),
  );
  const notJson = (() => Promise.resolve(new Response("<html>"))) as unknown as typeof fetch;
  await assert.rejects(
    new HttpSchemaRegistry({ url }, notJson).schemaById(1),
    new RegistryUnavailableError(`the registry at ${shown}/schemas/ids/1 answered with no JSON`),
  );
});

Deno.test("basicAuthHeader() encodes user:password in base64, UTF-8 included", () => {
  assert.equal(basicAuthHeader({ user: "a", password: new Secret("b") }), "Basic YTpi");
  assert.equal(basicAuthHeader({ user: "é", password: new Secret("x") }), "Basic w6k6eA==");
});
