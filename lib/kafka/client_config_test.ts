import assert from "node:assert/strict";
import { clientConfig } from "./client_config.ts";
import { mergeProperties, parseOverrides, parseProperties } from "./properties.ts";

/** The config of a file's text and `-X` overrides. */
function config(text: string, overrides: string[] = []) {
  return clientConfig(
    mergeProperties(parseProperties(text, "c.properties"), parseOverrides(overrides)),
  );
}

/** Asserts `fn` throws a UsageError with `message` that does not contain `secret`. */
function rejects(fn: () => unknown, message: string | RegExp, secret = "hunter2") {
  assert.throws(fn, (error: Error) => {
    assert.equal(error.name, "UsageError");
    if (typeof message === "string") assert.equal(error.message, message);
    else assert.match(error.message, message);
    assert.ok(!error.message.includes(secret), error.message);
    return true;
  });
}

Deno.test("clientConfig() is plaintext with nothing else when no property is set", () => {
  assert.deepEqual(config(""), {
    bootstrapServers: undefined,
    clientId: undefined,
    protocol: "plaintext",
    sasl: undefined,
    tls: undefined,
  });
});

Deno.test("clientConfig() reads SASL_SSL with SCRAM-SHA-512 in any case, the mechanisms alias too", () => {
  const c = config(
    "bootstrap.servers=b1:9096, b2:9096\nsecurity.protocol=SASL_SSL\nsasl.mechanisms=scram-sha-512\n" +
      "sasl.username=app\nsasl.password=hunter2\nssl.ca.location=/etc/ca.pem\n",
  );
  assert.deepEqual(c.bootstrapServers, ["b1:9096", "b2:9096"]);
  assert.equal(c.protocol, "sasl_ssl");
  assert.equal(c.sasl?.mechanism, "SCRAM-SHA-512");
  assert.equal(c.sasl?.username, "app");
  assert.equal(c.sasl?.password.reveal(), "hunter2");
  assert.deepEqual({ ...c.tls, keyPassword: undefined }, {
    caLocation: "/etc/ca.pem",
    certificateLocation: undefined,
    keyLocation: undefined,
    keyPassword: undefined,
    verifyHostname: true,
  });
  assert.ok(!JSON.stringify(c).includes("hunter2"));
});

Deno.test("clientConfig() takes PLAIN credentials from Confluent Cloud's sasl.jaas.config", () => {
  const c = config(
    "security.protocol=SASL_SSL\n" +
      "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username='KEY' password='hunter2';\n",
  );
  assert.equal(c.sasl?.mechanism, "PLAIN");
  assert.equal(c.sasl?.username, "KEY");
  assert.equal(c.sasl?.password.reveal(), "hunter2");
});

Deno.test("clientConfig() reads mutual TLS with an encrypted key and no name check", () => {
  const c = config(
    "security.protocol=ssl\nssl.ca.location=ca.pem\nssl.certificate.location=c.pem\n" +
      "ssl.key.location=c.key\nssl.key.password=hunter2\nssl.endpoint.identification.algorithm=NONE\n",
  );
  assert.equal(c.protocol, "ssl");
  assert.equal(c.sasl, undefined);
  assert.equal(c.tls?.certificateLocation, "c.pem");
  assert.equal(c.tls?.keyLocation, "c.key");
  assert.equal(c.tls?.keyPassword?.reveal(), "hunter2");
  assert.equal(c.tls?.verifyHostname, false);
  assert.equal(
    config("security.protocol=ssl\nssl.endpoint.identification.algorithm=\n").tls
      ?.verifyHostname,
    false,
  );
});

Deno.test("clientConfig() lets -X override the file", () => {
  const c = config(
    "security.protocol=sasl_plaintext\nsasl.mechanism=PLAIN\nsasl.username=a\nsasl.password=x\n",
    [
      "sasl.username=b",
      "client.id=mine",
    ],
  );
  assert.equal(c.sasl?.username, "b");
  assert.equal(c.clientId, "mine");
});

Deno.test("clientConfig() names an unknown key and where it was set", () => {
  rejects(
    () => config("bootstrap.servers=b:9092\nacks=all\n"),
    "unknown client property acks (c.properties line 2): the supported ones are bootstrap.servers, client.id, security.protocol, sasl.mechanism, sasl.username, sasl.password, sasl.jaas.config, ssl.ca.location, ssl.certificate.location, ssl.key.location, ssl.key.password, ssl.endpoint.identification.algorithm, schema.registry.url, basic.auth.user.info",
  );
  rejects(
    () => config("", ["sasl.pasword=hunter2"]),
    /^unknown client property sasl\.pasword \(-X\)/,
  );
});

Deno.test("clientConfig() hands the schema registry's keys over, and only when set", () => {
  assert.equal(config("bootstrap.servers=b:9092\n").registry, undefined);
  const { registry } = config("schema.registry.url=https://sr.example\n", [
    "basic.auth.user.info=KEY:SE:CRET",
  ]);
  assert.equal(
    JSON.stringify(registry),
    '{"url":"https://sr.example","auth":{"user":"KEY","password":"[redacted]"}}',
  );
  assert.equal(registry?.auth?.password.reveal(), "SE:CRET");
  assert.deepEqual(config("schema.registry.url=http://127.0.0.1:8081\n").registry, {
    url: "http://127.0.0.1:8081",
  });
});

Deno.test("clientConfig() refuses basic.auth.user.info without a colon, not showing it", () => {
  rejects(
    () => config("", ["basic.auth.user.info=hunter2"]),
    "basic.auth.user.info must be user:password (the password is not shown)",
  );
});

Deno.test("clientConfig() refuses GSSAPI, OAUTHBEARER and AWS_MSK_IAM, saying why", () => {
  rejects(
    () => config("security.protocol=sasl_ssl\nsasl.mechanism=GSSAPI\n"),
    "sasl.mechanism (c.properties line 2): Kerberos (GSSAPI) is not supported: kafkajs has no GSSAPI mechanism",
  );
  rejects(
    () => config("security.protocol=sasl_ssl\nsasl.mechanism=AWS_MSK_IAM\n"),
    "sasl.mechanism (c.properties line 2): AWS_MSK_IAM is not supported: kafkajs's 'aws' mechanism is not MSK IAM; use the cluster's SASL/SCRAM listener (SCRAM-SHA-512)",
  );
  rejects(
    () => config("security.protocol=sasl_ssl\nsasl.mechanism=OAUTHBEARER\n"),
    /^sasl\.mechanism \(c\.properties line 2\): OAUTHBEARER is not supported/,
  );
  rejects(
    () => config("sasl.kerberos.service.name=kafka\n"),
    "sasl.kerberos.service.name (c.properties line 1): Kerberos (GSSAPI) is not supported: kafkajs has no GSSAPI mechanism",
  );
});

Deno.test("clientConfig() refuses Java keystores and switching verification off, saying why", () => {
  rejects(
    () => config("ssl.truststore.location=/x.jks\nssl.truststore.password=hunter2\n"),
    /^ssl\.truststore\.location \(c\.properties line 1\): Java keystores are not read: give PEM files/,
  );
  rejects(
    () => config("security.protocol=ssl\nenable.ssl.certificate.verification=false\n"),
    /^enable\.ssl\.certificate\.verification \(c\.properties line 2\): certificate verification is never switched off/,
  );
});

Deno.test("clientConfig() refuses bad values without showing them", () => {
  rejects(
    () => config("security.protocol=hunter2\n"),
    "security.protocol (c.properties line 1) must be plaintext, ssl, sasl_plaintext or sasl_ssl",
  );
  rejects(
    () => config("security.protocol=sasl_ssl\nsasl.mechanism=hunter2\n"),
    "sasl.mechanism (c.properties line 2) must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512",
  );
  rejects(
    () => config("bootstrap.servers=hunter2\n"),
    "bootstrap.servers (c.properties line 1) must list host:port pairs",
  );
  rejects(
    () => config("security.protocol=ssl\nssl.endpoint.identification.algorithm=hunter2\n"),
    "ssl.endpoint.identification.algorithm (c.properties line 2) must be https or none",
  );
});

Deno.test("clientConfig() refuses SASL or TLS settings the protocol would ignore", () => {
  rejects(
    () => config("sasl.username=app\nsasl.password=hunter2\n"),
    "sasl.username is set but security.protocol is plaintext: use sasl_ssl or sasl_plaintext",
  );
  rejects(
    () =>
      config(
        "security.protocol=sasl_plaintext\nsasl.mechanism=PLAIN\nsasl.username=a\nsasl.password=hunter2\nssl.ca.location=ca.pem\n",
      ),
    "ssl.ca.location is set but security.protocol is sasl_plaintext, which does not use TLS: use ssl or sasl_ssl",
  );
});

Deno.test("clientConfig() names what a SASL or mutual TLS setup is missing", () => {
  rejects(
    () => config("security.protocol=sasl_ssl\nsasl.username=a\nsasl.password=hunter2\n"),
    "security.protocol sasl_ssl needs sasl.mechanism (PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)",
  );
  rejects(
    () => config("security.protocol=sasl_ssl\nsasl.mechanism=PLAIN\nsasl.password=hunter2\n"),
    "sasl.mechanism PLAIN needs sasl.username (or sasl.jaas.config)",
  );
  rejects(
    () => config("security.protocol=sasl_ssl\nsasl.mechanism=PLAIN\nsasl.username=a\n"),
    "sasl.mechanism PLAIN needs sasl.password (or sasl.jaas.config)",
  );
  rejects(
    () => config("security.protocol=ssl\nssl.certificate.location=c.pem\n"),
    "mutual TLS needs both ssl.certificate.location and ssl.key.location",
  );
  rejects(
    () => config("security.protocol=ssl\nssl.key.password=hunter2\n"),
    "ssl.key.password is set but ssl.key.location is not",
  );
});

Deno.test("clientConfig() refuses credentials given twice or a login module for another mechanism", () => {
  const scram =
    "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username='a' password='hunter2';\n";
  rejects(
    () => config(`security.protocol=sasl_ssl\nsasl.mechanism=PLAIN\nsasl.username=a\n${scram}`),
    "give sasl.username and sasl.password, or sasl.jaas.config, not both",
  );
  rejects(
    () => config(`security.protocol=sasl_ssl\n${scram}`),
    "sasl.jaas.config uses the ScramLoginModule: set sasl.mechanism to SCRAM-SHA-256 or SCRAM-SHA-512",
  );
  rejects(
    () => config(`security.protocol=sasl_ssl\nsasl.mechanism=PLAIN\n${scram}`),
    "sasl.jaas.config's login module is for SCRAM, but sasl.mechanism is PLAIN",
  );
  rejects(
    () => config("sasl.mechanism=PLAIN\nsasl.mechanisms=PLAIN\n"),
    "sasl.mechanism and sasl.mechanisms are the same setting: give one of them",
  );
});
