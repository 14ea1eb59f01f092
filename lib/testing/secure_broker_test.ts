import assert from "node:assert/strict";
import { join } from "node:path";
import { clientSecrets, SECURE_TEST_PORT } from "./secure_broker.ts";

Deno.test("clientSecrets() collects every password and passphrase of the client files, once each", async () => {
  const dir = await Deno.makeTempDir({ prefix: "secure_broker_test_" });
  try {
    const scram = join(dir, "client-scram.properties");
    const mtls = join(dir, "client-mtls.properties");
    const plain = join(dir, "client-plain.properties");
    await Deno.writeTextFile(
      scram,
      "sasl.username=app\nsasl.password=pw-app\nssl.ca.location=/ca\n",
    );
    await Deno.writeTextFile(mtls, "ssl.key.location=/k\nssl.key.password=pw-key\n");
    await Deno.writeTextFile(plain, "sasl.username=app\nsasl.password=pw-app\n");
    assert.deepEqual(await clientSecrets({ scram, mtls, plain }), ["pw-app", "pw-key"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("SECURE_TEST_PORT leaves its five ports inside 19100-19199", () => {
  assert.ok(SECURE_TEST_PORT >= 19100 && SECURE_TEST_PORT + 4 <= 19199);
});
