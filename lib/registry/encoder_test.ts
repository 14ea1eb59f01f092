import assert from "node:assert/strict";
import { FatalError } from "../errors.ts";
import { decodeOrder, ORDER_SCHEMA } from "../order/codec.ts";
import { framedSchemaId } from "../order/wire.ts";
import { RegistryError, RegistryUnavailableError, type SchemaRegistry } from "./client.ts";
import { refusalLine, registerOrderEncoder, valueSubject } from "./encoder.ts";

const ORDER = { orderId: "ORD-00001", product: "Mouse", price: 29.99 };

Deno.test("valueSubject() follows TopicNameStrategy", () => {
  assert.equal(valueSubject("orders"), "orders-value");
});

Deno.test("registerOrderEncoder() registers our schema once and frames every order with its id", async () => {
  const registered: [string, string][] = [];
  let failures = 2;
  const registry: SchemaRegistry = {
    register: (subject, schema) => {
      if (failures-- > 0) return Promise.reject(new RegistryUnavailableError("503"));
      registered.push([subject, schema]);
      return Promise.resolve(42);
    },
    schemaById: () => Promise.reject(new Error("not used")),
  };
  const encoder = await registerOrderEncoder(registry, "orders", {
    sleep: () => Promise.resolve(),
  });
  assert.deepEqual(registered, [["orders-value", JSON.stringify(ORDER_SCHEMA)]]);
  const value = encoder.encode(ORDER);
  assert.equal(framedSchemaId(value), 42);
  assert.deepEqual(decodeOrder(value.subarray(5)), { ...ORDER, price: Math.fround(29.99) });
});

Deno.test("registerOrderEncoder() throws one FatalError line in the registry's words when refused", async () => {
  const registry: SchemaRegistry = {
    register: () => Promise.reject(new RegistryError(409, 409, "Incompatible artifact", "refused")),
    schemaById: () => Promise.reject(new Error("not used")),
  };
  await assert.rejects(
    registerOrderEncoder(registry, "orders"),
    new FatalError(
      "Cannot start producer as the schema registry refused the schema for subject orders-value: " +
        "Incompatible artifact (HTTP 409)",
    ),
  );
});

Deno.test("refusalLine() names the last error when the registry never answered", () => {
  assert.equal(
    refusalLine(
      "orders-value",
      new RegistryUnavailableError("the schema registry does not answer"),
    ),
    "Cannot start producer as the schema registry could not register subject orders-value: " +
      "the schema registry does not answer",
  );
});
