import assert from "node:assert/strict";
import { join } from "node:path";
import { parseProperties } from "../kafka/properties.ts";
import { hasCommand, needs } from "../testing/tools.ts";
import { clientFilePaths, prepareSecurity, writePrivate } from "./secure_files.ts";

const OPENSSL = {
  name: "openssl",
  available: hasCommand("openssl"),
  install: "apt-get install openssl",
};

/** The value of `key` in the client file at `path`. */
async function property(path: string, key: string): Promise<string | undefined> {
  return parseProperties(await Deno.readTextFile(path), path).get(key)?.value;
}

Deno.test("clientFilePaths() names the four client files in the data directory", () => {
  assert.deepEqual(clientFilePaths("/d"), {
    scram: "/d/client-scram.properties",
    mtls: "/d/client-mtls.properties",
    plain: "/d/client-plain.properties",
    denied: "/d/client-denied.properties",
  });
});

Deno.test("writePrivate() leaves a file the owner alone may read, also one that existed", async () => {
  const dir = await Deno.makeTempDir({ prefix: "secure_files_test_" });
  try {
    const path = join(dir, "f");
    await Deno.writeTextFile(path, "old", { mode: 0o644 });
    await writePrivate(path, "new");
    assert.equal(await Deno.readTextFile(path), "new");
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "prepareSecurity() makes secrets and certificates once and keeps them across starts",
  ...needs(OPENSSL),
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "secure_files_test_" });
    try {
      const first = await prepareSecurity(dir, 19100, false);
      assert.deepEqual(first.ports, { saslSsl: 19102, ssl: 19103, saslPlaintext: 19104 });
      for (const path of Object.values(first.clientFiles)) {
        assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600, path);
      }
      const password = await property(first.clientFiles.scram, "sasl.password");
      const key = await Deno.readTextFile(join(dir, "tls", "client.key"));
      assert.equal(
        await property(first.clientFiles.scram, "ssl.ca.location"),
        join(dir, "tls", "ca.pem"),
      );
      // A restart of formatted storage reads the same secrets back and keeps the certificates.
      const second = await prepareSecurity(dir, 19100, true);
      assert.equal(await property(second.clientFiles.scram, "sasl.password"), password);
      assert.equal(await Deno.readTextFile(join(dir, "tls", "client.key")), key);
      assert.deepEqual(second.properties, first.properties);
      const scram = await first.scramArguments();
      assert.equal(scram.length, 8);
      assert.ok(!scram.join(" ").includes(password!));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "prepareSecurity() refuses formatted storage whose client files, and so passwords, are gone",
  ...needs(OPENSSL),
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "secure_files_test_" });
    try {
      await prepareSecurity(dir, 19100, false);
      await Deno.remove(join(dir, "client-denied.properties"));
      await assert.rejects(prepareSecurity(dir, 19100, true), {
        name: "FatalError",
        message:
          `${dir} holds a secured broker whose client files are gone, and with them its passwords: delete the directory to start afresh`,
      });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
