import assert from "node:assert/strict";
import { CONFLUENT_REQUIREMENTS, registryRequirements } from "./registry.ts";

Deno.test("registryRequirements() needs no JDK or Maven when SCHEMA_REGISTRY_URL names a registry", () => {
  const before = Deno.env.get("SCHEMA_REGISTRY_URL");
  Deno.env.set("SCHEMA_REGISTRY_URL", "http://127.0.0.1:1/apis/ccompat/v7");
  try {
    const [registry, python] = registryRequirements();
    assert.equal(registry.available, true);
    assert.match(python.name, /^python3/);
  } finally {
    if (before === undefined) Deno.env.delete("SCHEMA_REGISTRY_URL");
    else Deno.env.set("SCHEMA_REGISTRY_URL", before);
  }
});

Deno.test("CONFLUENT_REQUIREMENTS pins confluent-kafka with its Avro and registry extras", () => {
  assert.deepEqual(CONFLUENT_REQUIREMENTS, ["confluent-kafka[avro,schemaregistry]==2.16.1"]);
});
