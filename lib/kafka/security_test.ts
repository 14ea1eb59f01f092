import assert from "node:assert/strict";
import { join } from "node:path";
import { makeCertificates } from "../broker/certs.ts";
import { hasCommand, needs } from "../testing/tools.ts";
import type { ClientConfig } from "./client_config.ts";
import { Secret } from "./secret.ts";
import { describeSecurity, kafkajsSecurity, loadSecurity } from "./security.ts";

const OPENSSL = {
  name: "openssl",
  available: hasCommand("openssl"),
  install: "apt-get install openssl",
};
const PASSPHRASE = "key-pass-7f3a";

/** Certificates made once for the tests that read real PEM files. */
let certs:
  | Promise<{ dir: string; files: Awaited<ReturnType<typeof makeCertificates>> }>
  | undefined;
function certificates() {
  certs ??= (async () => {
    const dir = await Deno.makeTempDir({ prefix: "security_test_" });
    globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
    return { dir, files: await makeCertificates(dir, "app", PASSPHRASE) };
  })();
  return certs;
}

function mtls(
  files: Awaited<ReturnType<typeof makeCertificates>>,
  keyPassword?: string,
): ClientConfig {
  return {
    protocol: "ssl",
    tls: {
      caLocation: files.ca,
      certificateLocation: files.clientCert,
      keyLocation: files.clientKey,
      keyPassword: keyPassword === undefined ? undefined : new Secret(keyPassword),
      verifyHostname: true,
    },
  };
}

Deno.test("loadSecurity() names a SASL client by user and mechanism and reads no file", () => {
  const security = loadSecurity(
    {
      protocol: "sasl_plaintext",
      sasl: { mechanism: "SCRAM-SHA-256", username: "app", password: new Secret("pw-1") },
    },
    () => {
      throw new Error("no file should be read");
    },
  );
  assert.equal(security.identity, "user app (SCRAM-SHA-256)");
  assert.equal(security.tls, undefined);
  assert.equal(describeSecurity(security), "SASL_PLAINTEXT as user app (SCRAM-SHA-256)");
});

Deno.test("loadSecurity() trusts the default CAs when ssl.ca.location is unset", () => {
  const security = loadSecurity({ protocol: "ssl", tls: { verifyHostname: true } });
  assert.deepEqual(security.tls, {
    ca: undefined,
    caSource: "the default CAs",
    cert: undefined,
    key: undefined,
    verifyHostname: true,
  });
  assert.equal(describeSecurity(security), "SSL");
});

Deno.test("loadSecurity() names the key and the path of a file it cannot read or use", () => {
  const files = new Map([["/ca.pem", "not a certificate"], ["/key.pem", "nor a key"]]);
  const read = (path: string) => {
    const text = files.get(path);
    if (text === undefined) throw new Deno.errors.NotFound(path);
    return text;
  };
  const tls = { verifyHostname: true };
  assert.throws(
    () => loadSecurity({ protocol: "ssl", tls: { ...tls, caLocation: "/none.pem" } }, read),
    {
      name: "UsageError",
      message: "ssl.ca.location: cannot read /none.pem: no such file",
    },
  );
  assert.throws(
    () => loadSecurity({ protocol: "ssl", tls: { ...tls, caLocation: "/ca.pem" } }, read),
    {
      name: "UsageError",
      message: "ssl.ca.location: /ca.pem holds no PEM certificate",
    },
  );
});

Deno.test({
  name: "loadSecurity() decrypts an encrypted PKCS#8 client key with ssl.key.password",
  ...needs(OPENSSL),
  async fn() {
    const { files } = await certificates();
    const security = loadSecurity(mtls(files, PASSPHRASE));
    assert.equal(security.identity, "client certificate CN=app");
    assert.equal(security.tls?.ca?.length, 1);
    assert.match(security.tls!.key!.reveal(), /^-----BEGIN PRIVATE KEY-----\n/);
    const printed = JSON.stringify(security) + Deno.inspect(security, { depth: 10 });
    assert.ok(!printed.includes("PRIVATE KEY"), printed);
    assert.ok(!printed.includes(PASSPHRASE), printed);
  },
});

Deno.test({
  name:
    "loadSecurity() says when the key's passphrase is missing or wrong, or the key is another's",
  ...needs(OPENSSL),
  async fn() {
    const { files } = await certificates();
    assert.throws(() => loadSecurity(mtls(files)), {
      name: "UsageError",
      message: `ssl.key.location: ${files.clientKey} is encrypted: set ssl.key.password`,
    });
    assert.throws(() => loadSecurity(mtls(files, "wrong")), {
      name: "UsageError",
      message: `ssl.key.password does not decrypt ssl.key.location (${files.clientKey})`,
    });
    const other = { ...mtls(files), tls: { ...mtls(files).tls!, keyLocation: files.caKey } };
    assert.throws(() => loadSecurity(other), {
      name: "UsageError",
      message:
        `ssl.key.location (${files.caKey}) is not the key of ssl.certificate.location (${files.clientCert})`,
    });
  },
});

Deno.test({
  name:
    "kafkajsSecurity() hands node:tls the CA, certificate and key, and skips only the name check for none",
  ...needs(OPENSSL),
  async fn() {
    const { files } = await certificates();
    const security = loadSecurity(mtls(files, PASSPHRASE));
    const { ssl, sasl } = kafkajsSecurity(security);
    assert.equal(sasl, undefined);
    assert.equal(ssl?.rejectUnauthorized, true);
    assert.deepEqual(ssl?.ca, [await Deno.readTextFile(files.ca)]);
    assert.equal(ssl?.cert, await Deno.readTextFile(files.clientCert));
    assert.equal(ssl?.key, security.tls!.key!.reveal());
    assert.equal(ssl?.checkServerIdentity, undefined);
    const lax = kafkajsSecurity({ ...security, tls: { ...security.tls!, verifyHostname: false } });
    assert.equal(lax.ssl?.rejectUnauthorized, true);
    assert.equal(lax.ssl?.checkServerIdentity?.("elsewhere", {} as never), undefined);
  },
});

Deno.test("kafkajsSecurity() spells the SASL mechanism kafkajs's way", () => {
  const password = new Secret("pw-2");
  for (
    const [mechanism, spelled] of [
      ["PLAIN", "plain"],
      ["SCRAM-SHA-256", "scram-sha-256"],
      ["SCRAM-SHA-512", "scram-sha-512"],
    ] as const
  ) {
    assert.deepEqual(
      kafkajsSecurity({ protocol: "sasl_ssl", sasl: { mechanism, username: "u", password } }).sasl,
      { mechanism: spelled, username: "u", password: "pw-2" },
    );
  }
  assert.deepEqual(kafkajsSecurity(undefined), {});
});

Deno.test({
  name: "loadSecurity() reads every certificate of a CA bundle",
  ...needs(OPENSSL),
  async fn() {
    const { dir } = await certificates();
    const one = await Deno.readTextFile(join(dir, "ca.pem"));
    const security = loadSecurity(
      { protocol: "ssl", tls: { caLocation: "/bundle.pem", verifyHostname: true } },
      () => `# two CAs\n${one}${one}`,
    );
    assert.deepEqual(security.tls?.ca, [one, one]);
  },
});
