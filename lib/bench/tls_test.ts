import assert from "node:assert/strict";
import { join } from "node:path";
import { tlsTarget } from "./tls.ts";

Deno.test("tlsTarget() reads the SASL_SSL client file, and is undefined without one", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tls_test_" });
  try {
    const file = join(dir, "c.properties");
    await Deno.writeTextFile(
      file,
      "bootstrap.servers=127.0.0.1:19102\nsecurity.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n" +
        "sasl.username=app\nsasl.password=pw\n",
    );
    const target = tlsTarget(file);
    assert.deepEqual(target?.brokers, ["127.0.0.1:19102"]);
    assert.equal(target?.security?.identity, "user app (SCRAM-SHA-512)");
    assert.equal(tlsTarget(undefined), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tlsTarget() refuses a client file whose listener does not use TLS", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tls_test_" });
  try {
    const file = join(dir, "plain.properties");
    await Deno.writeTextFile(
      file,
      "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\nsasl.username=a\nsasl.password=pw\n",
    );
    assert.throws(() => tlsTarget(file), {
      name: "UsageError",
      message:
        `--tls-config must name a TLS listener (security.protocol ssl or sasl_ssl): ${file} has sasl_plaintext`,
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
