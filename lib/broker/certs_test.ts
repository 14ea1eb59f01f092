import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { hasCommand, needs } from "../testing/tools.ts";
import { certificatePlan, clientSubject, makeCertificates } from "./certs.ts";

const OPENSSL = {
  name: "openssl",
  available: hasCommand("openssl"),
  install: "apt-get install openssl",
};

Deno.test("certificatePlan() signs the CA itself, then the broker and client with it", () => {
  let n = 0;
  const plan = certificatePlan("/d", "app", () => String(++n).padStart(2, "0"));
  assert.deepEqual(plan.map((step) => step.args.join(" ")), [
    "genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out /d/ca.key",
    "req -new -key /d/ca.key -subj /CN=order-pipeline local CA -out /d/ca.csr",
    "x509 -req -in /d/ca.csr -signkey /d/ca.key -set_serial 0x01 -days 825 -sha256 -extfile /d/ca.ext -out /d/ca.pem",
    "genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out /d/broker.key",
    "req -new -key /d/broker.key -subj /CN=localhost -out /d/broker.csr",
    "x509 -req -in /d/broker.csr -CA /d/ca.pem -CAkey /d/ca.key -set_serial 0x02 -days 825 -sha256 -extfile /d/broker.ext -out /d/broker.crt",
    "genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out /d/client-plain.key",
    "req -new -key /d/client-plain.key -subj /O=order-pipeline/OU=clients/CN=app -out /d/client.csr",
    "x509 -req -in /d/client.csr -CA /d/ca.pem -CAkey /d/ca.key -set_serial 0x03 -days 825 -sha256 -extfile /d/client.ext -out /d/client.pem",
    "pkcs8 -topk8 -v2 aes-256-cbc -in /d/client-plain.key -out /d/client.key -passout stdin",
  ]);
  // The passphrase goes on stdin, never into an argument.
  assert.deepEqual(plan.map((step) => step.stdin), [...Array(9).fill(undefined), "passphrase"]);
});

Deno.test("clientSubject() puts the CN last, so Kafka's RFC 2253 DN starts with it", () => {
  assert.equal(clientSubject("app"), "/O=order-pipeline/OU=clients/CN=app");
});

Deno.test({
  name:
    "makeCertificates() leaves a CA, a keystore, a client certificate and an encrypted key, keys 0600",
  ...needs(OPENSSL),
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "certs_test_" });
    try {
      const files = await makeCertificates(dir, "app", "correct horse");
      const names = [];
      for await (const entry of Deno.readDir(dir)) names.push(entry.name);
      assert.deepEqual(names.sort(), [
        "broker.pem",
        "ca.key",
        "ca.pem",
        "client.key",
        "client.pem",
      ]);
      for (const key of [files.caKey, files.brokerKeystore, files.clientKey]) {
        assert.equal((await Deno.stat(key)).mode! & 0o777, 0o600, key);
      }
      const ca = new X509Certificate(await Deno.readTextFile(files.ca));
      const broker = new X509Certificate(await Deno.readTextFile(files.brokerKeystore));
      const client = new X509Certificate(await Deno.readTextFile(files.clientCert));
      assert.equal(ca.ca, true);
      assert.equal(broker.subjectAltName, "DNS:localhost, IP Address:127.0.0.1");
      assert.ok(broker.verify(ca.publicKey));
      assert.ok(client.verify(ca.publicKey));
      assert.equal(client.subject, "O=order-pipeline\nOU=clients\nCN=app");
      const key = await Deno.readTextFile(files.clientKey);
      assert.match(key, /^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
      assert.ok(!key.includes("correct horse"));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
