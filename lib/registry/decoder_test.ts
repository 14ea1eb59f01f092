import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import avro from "avsc";
import { AvroDecodeError, encodeOrder, ORDER_SCHEMA } from "../order/codec.ts";
import { frame } from "../order/wire.ts";
import { REGISTRY_RETRY } from "../retry.ts";
import { RegistryError, RegistryUnavailableError, type SchemaRegistry } from "./client.ts";
import { RegistryOrderDecoder } from "./decoder.ts";

const ORDER = { orderId: "ORD-00001", product: "Mouse", price: 29.99 };
const EVOLVED = {
  ...ORDER_SCHEMA,
  fields: [...ORDER_SCHEMA.fields, { name: "currency", type: "string", default: "USD" }],
};
const NO_WAIT = { sleep: () => Promise.resolve() };

/** A registry holding `schemas` by id; an id not there answers 404. */
function registryOf(schemas: Record<number, unknown>) {
  const calls: number[] = [];
  const registry: SchemaRegistry = {
    register: () => Promise.reject(new Error("not used")),
    schemaById: (id) => {
      calls.push(id);
      return id in schemas ? Promise.resolve(JSON.stringify(schemas[id])) : Promise.reject(
        new RegistryError(404, 40403, `No content with ID '${id}' was found.`, "x"),
      );
    },
  };
  return { registry, calls };
}

Deno.test("RegistryOrderDecoder decodes records framed with our schema, fetching it once", async () => {
  const { registry, calls } = registryOf({ 1: ORDER_SCHEMA });
  const decoder = new RegistryOrderDecoder(registry);
  const values = [frame(1, encodeOrder(ORDER)), frame(1, encodeOrder({ ...ORDER, price: 5 }))];
  await decoder.prepare(values, NO_WAIT);
  await decoder.prepare(values, NO_WAIT);
  assert.deepEqual(calls, [1]);
  assert.deepEqual(decoder.decode(values[0], {}), { ...ORDER, price: Math.fround(29.99) });
  assert.deepEqual(decoder.decode(values[1], {}), { ...ORDER, price: 5 });
});

Deno.test("RegistryOrderDecoder reads a newer writer schema with an added currency as our order", async () => {
  const { registry } = registryOf({ 2: EVOLVED });
  const decoder = new RegistryOrderDecoder(registry);
  const body = avro.Type.forSchema(EVOLVED as avro.Schema).toBuffer({ ...ORDER, currency: "EUR" });
  const value = frame(2, body);
  await decoder.prepare([value], NO_WAIT);
  assert.deepEqual(decoder.decode(value, {}), { ...ORDER, price: Math.fround(29.99) });
  assert.throws(
    () => decoder.decode(Buffer.concat([value, Buffer.from([1])]), {}),
    /schema id 2: trailing data/,
  );
});

Deno.test("RegistryOrderDecoder fails for good, with the reason, on an unknown id after the retries", async () => {
  const { registry, calls } = registryOf({});
  const decoder = new RegistryOrderDecoder(registry);
  const value = frame(99, encodeOrder(ORDER));
  await decoder.prepare([value], NO_WAIT);
  assert.equal(calls.length, REGISTRY_RETRY.maxRetries + 1);
  assert.throws(
    () => decoder.decode(value, { topic: "t", partition: 0, offset: "3" }),
    (e: unknown) =>
      e instanceof AvroDecodeError && e.errorType === "deserialization" && e.bytes === value &&
      e.reason ===
        "unknown schema id 99: the registry answered No content with ID '99' was found. (HTTP 404)",
  );
  await decoder.prepare([value], NO_WAIT);
  assert.equal(calls.length, REGISTRY_RETRY.maxRetries + 1, "remembered, not fetched again");
});

Deno.test("RegistryOrderDecoder.prepare() throws the retriable error and remembers nothing when the registry is down", async () => {
  let up = false;
  const registry: SchemaRegistry = {
    register: () => Promise.reject(new Error("not used")),
    schemaById: () =>
      up
        ? Promise.resolve(JSON.stringify(ORDER_SCHEMA))
        : Promise.reject(new RegistryUnavailableError("connection refused")),
  };
  const decoder = new RegistryOrderDecoder(registry);
  const value = frame(1, encodeOrder(ORDER));
  const delays: number[] = [];
  await assert.rejects(
    decoder.prepare([value], { sleep: (ms) => Promise.resolve(void delays.push(ms)) }),
    RegistryUnavailableError,
  );
  assert.deepEqual(delays, [200, 400, 800, 1600, 3200]);
  assert.deepEqual(decoder.missing([value]), [1]);
  up = true;
  await decoder.prepare([value], NO_WAIT);
  assert.equal(decoder.decode(value, {}).orderId, "ORD-00001");
});

Deno.test("RegistryOrderDecoder rejects plain records and writer schemas it cannot resolve", async () => {
  const incompatible = {
    ...ORDER_SCHEMA,
    fields: [{ name: "orderId", type: "int" }, ...ORDER_SCHEMA.fields.slice(1)],
  };
  const { registry } = registryOf({ 3: incompatible });
  const decoder = new RegistryOrderDecoder(registry);
  const plain = encodeOrder(ORDER);
  assert.throws(
    () => decoder.decode(plain, {}),
    /not in the Confluent wire format \(first byte 18/,
  );
  const value = frame(3, new Uint8Array([2, 0, 0, 0, 0, 0]));
  await decoder.prepare([plain, value], NO_WAIT);
  assert.throws(
    () => decoder.decode(value, {}),
    /writer schema 3 cannot be read as order\.OrderRecord/,
  );
  assert.throws(() => decoder.decode(frame(4, plain), {}), /schema id 4 was not fetched/);
});
