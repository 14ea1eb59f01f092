import assert from "node:assert/strict";
import {
  appAcls,
  clientFileTexts,
  newCredentials,
  saltedPassword,
  scramArguments,
  secureListeners,
  securePorts,
  secureServerProperties,
} from "./secure.ts";

const CREDS = { appPassword: "pw-a", deniedPassword: "pw-d", keyPassword: "pw-k" };
const TLS = {
  ca: "/d/tls/ca.pem",
  clientCert: "/d/tls/client.pem",
  clientKey: "/d/tls/client.key",
};

Deno.test("securePorts() puts the secured listeners on port + 2 to + 4", () => {
  assert.deepEqual(securePorts(19100), { saslSsl: 19102, ssl: 19103, saslPlaintext: 19104 });
});

Deno.test("secureListeners() adds SASL_SSL, SSL and SASL_PLAINTEXT, none of them the controller", () => {
  assert.deepEqual(secureListeners(securePorts(19100)), [
    { name: "SASL_SSL", port: 19102, protocol: "SASL_SSL", controller: false },
    { name: "SSL", port: 19103, protocol: "SSL", controller: false },
    { name: "SASL_PLAINTEXT", port: 19104, protocol: "SASL_PLAINTEXT", controller: false },
  ]);
});

Deno.test("secureServerProperties() sets PEM TLS, client auth on SSL, SCRAM and PLAIN, and the authorizer", () => {
  assert.deepEqual(
    secureServerProperties({ ca: "/d/tls/ca.pem", keystore: "/d/tls/broker.pem" }, CREDS),
    [
      "ssl.keystore.type=PEM",
      "ssl.keystore.location=/d/tls/broker.pem",
      "ssl.truststore.type=PEM",
      "ssl.truststore.location=/d/tls/ca.pem",
      "listener.name.ssl.ssl.client.auth=required",
      "listener.name.ssl.ssl.principal.mapping.rules=RULE:^CN=([^,]+),.*$/$1/,DEFAULT",
      "listener.name.sasl_ssl.sasl.enabled.mechanisms=SCRAM-SHA-256,SCRAM-SHA-512",
      "listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;",
      "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;",
      "listener.name.sasl_plaintext.sasl.enabled.mechanisms=PLAIN",
      'listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_app="pw-a" user_denied="pw-d";',
      "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
      "super.users=User:ANONYMOUS",
    ],
  );
});

Deno.test("saltedPassword() is PBKDF2 as SCRAM's Hi() defines it", async () => {
  const salt = Uint8Array.from(atob("W22ZaJ0SNY7soEsUEjb6gQ=="), (c) => c.charCodeAt(0));
  assert.equal(
    btoa(String.fromCharCode(...await saltedPassword("pencil", salt, "SHA-256", 256))),
    "xKSVEDI6tPlSysH6mUQZOeeOp01r6B3fcJbodRPcYV0=",
  );
});

Deno.test("scramArguments() creates both users for both mechanisms, with salted passwords only", async () => {
  const args = await scramArguments(CREDS, () => new Uint8Array(16));
  const zeros = "AAAAAAAAAAAAAAAAAAAAAA==";
  assert.deepEqual(args, [
    "--add-scram",
    `SCRAM-SHA-256=[name=app,salt="${zeros}",saltedpassword="IMF0m96/Gkp1z+JKkZnY7lJ6SKO4Z2AfRwexITGuQBQ=",iterations=4096]`,
    "--add-scram",
    args[3],
    "--add-scram",
    args[5],
    "--add-scram",
    args[7],
  ]);
  assert.match(
    args[3],
    /^SCRAM-SHA-512=\[name=app,salt="AAAAAAAAAAAAAAAAAAAAAA==",saltedpassword="[^"]{88}",iterations=4096\]$/,
  );
  assert.match(args[5], /^SCRAM-SHA-256=\[name=denied,/);
  assert.match(args[7], /^SCRAM-SHA-512=\[name=denied,/);
  assert.ok(!args.join(" ").includes("pw-"));
});

Deno.test("appAcls() allows the application user everything on orders* topics and order* groups", () => {
  assert.deepEqual(appAcls(), [
    { principal: "User:app", resource: "topic", prefix: "orders", operation: "All" },
    { principal: "User:app", resource: "group", prefix: "order", operation: "All" },
  ]);
});

Deno.test("clientFileTexts() writes complete client files in librdkafka's names", () => {
  const texts = clientFileTexts(securePorts(19100), TLS, CREDS);
  assert.equal(
    texts.scram,
    [
      "# User app over SASL_SSL with SCRAM-SHA-512; written by deno task broker --secure. Keep it private.",
      "bootstrap.servers=127.0.0.1:19102",
      "security.protocol=SASL_SSL",
      "sasl.mechanism=SCRAM-SHA-512",
      "sasl.username=app",
      "sasl.password=pw-a",
      "ssl.ca.location=/d/tls/ca.pem",
      "",
    ].join("\n"),
  );
  assert.equal(
    texts.mtls,
    [
      "# User app by client certificate over SSL (mutual TLS); written by deno task broker --secure. Keep it private.",
      "bootstrap.servers=127.0.0.1:19103",
      "security.protocol=SSL",
      "ssl.ca.location=/d/tls/ca.pem",
      "ssl.certificate.location=/d/tls/client.pem",
      "ssl.key.location=/d/tls/client.key",
      "ssl.key.password=pw-k",
      "",
    ].join("\n"),
  );
  assert.deepEqual(texts.plain.split("\n").slice(1, -1), [
    "bootstrap.servers=127.0.0.1:19104",
    "security.protocol=SASL_PLAINTEXT",
    "sasl.mechanism=PLAIN",
    "sasl.username=app",
    "sasl.password=pw-a",
  ]);
  assert.deepEqual(texts.denied.split("\n").slice(1, -1), [
    "bootstrap.servers=127.0.0.1:19102",
    "security.protocol=SASL_SSL",
    "sasl.mechanism=SCRAM-SHA-512",
    "sasl.username=denied",
    "sasl.password=pw-d",
    "ssl.ca.location=/d/tls/ca.pem",
  ]);
});

Deno.test("newCredentials() makes three different 32-character base64url secrets", () => {
  const creds = newCredentials();
  const values = [creds.appPassword, creds.deniedPassword, creds.keyPassword];
  for (const value of values) assert.match(value, /^[A-Za-z0-9_-]{32}$/);
  assert.equal(new Set(values).size, 3);
});
