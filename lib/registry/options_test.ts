import assert from "node:assert/strict";
import {
  APICURIO_VERSION,
  QUARKUS_PLATFORM_VERSION,
  registryDataDir,
  registryUrl,
} from "./options.ts";

Deno.test("registryUrl() is the Confluent-compatible API on 127.0.0.1", () => {
  assert.equal(registryUrl(8081), "http://127.0.0.1:8081/apis/ccompat/v7");
});

Deno.test("registryDataDir() keys the data directory by port", () => {
  assert.equal(registryDataDir(18081, "/r"), "/r/18081");
});

Deno.test("the registry build stays on Apicurio 3.0.9 and Quarkus 3.15.3, the pair Maven Central serves here", () => {
  assert.deepEqual([APICURIO_VERSION, QUARKUS_PLATFORM_VERSION], ["3.0.9", "3.15.3"]);
});
