import assert from "node:assert/strict";
import { parseJaasConfig } from "./jaas.ts";

const PLAIN = "org.apache.kafka.common.security.plain.PlainLoginModule";
const SCRAM = "org.apache.kafka.common.security.scram.ScramLoginModule";

Deno.test("parseJaasConfig() reads Confluent Cloud's PLAIN line with single quotes", () => {
  const login = parseJaasConfig(
    `${PLAIN} required username='ABCDEFGH12345678' password='cflt/s3cr3t+with=signs';`,
  );
  assert.equal(login.family, "PLAIN");
  assert.equal(login.username, "ABCDEFGH12345678");
  assert.equal(login.password.reveal(), "cflt/s3cr3t+with=signs");
});

Deno.test("parseJaasConfig() reads a SCRAM line with double quotes, spaces and line breaks", () => {
  const login = parseJaasConfig(`  ${SCRAM}  required\n username="app"   password="pa ss";  `);
  assert.equal(login.family, "SCRAM");
  assert.equal(login.username, "app");
  assert.equal(login.password.reveal(), "pa ss");
});

Deno.test("parseJaasConfig() refuses Kerberos, OAUTHBEARER and MSK IAM, saying why", () => {
  assert.throws(
    () => parseJaasConfig("com.sun.security.auth.module.Krb5LoginModule required useKeyTab=true;"),
    {
      name: "UsageError",
      message:
        "sasl.jaas.config: Kerberos (GSSAPI) is not supported: kafkajs has no GSSAPI mechanism",
    },
  );
  assert.throws(() => parseJaasConfig("software.amazon.msk.auth.iam.IAMLoginModule required;"), {
    message:
      "sasl.jaas.config: AWS MSK IAM is not supported: kafkajs's 'aws' mechanism is not MSK IAM; use the cluster's SASL/SCRAM listener (SCRAM-SHA-512)",
  });
  assert.throws(
    () =>
      parseJaasConfig(
        "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;",
      ),
    { message: /^sasl\.jaas\.config: OAUTHBEARER is not supported/ },
  );
});

Deno.test("parseJaasConfig() never shows the value when it cannot read it", () => {
  const cases: [string, string][] = [
    [`${PLAIN} required username='u' password='hunter2'`, "sasl.jaas.config must end with ';'"],
    [`${PLAIN} required username='u' password='hunter2;`, "sasl.jaas.config has an unclosed quote"],
    [
      `${PLAIN} username='u' password='hunter2';`,
      "sasl.jaas.config: the login module must be followed by 'required'",
    ],
    [
      `${PLAIN} required username='u' hunter2;`,
      "sasl.jaas.config: expected option=value after the flag",
    ],
    [`${PLAIN} required username='u';`, "sasl.jaas.config has no password"],
    [`${SCRAM} required password='hunter2';`, "sasl.jaas.config has no username"],
    [
      "hunter2 required;",
      "sasl.jaas.config names an unsupported login module: use org.apache.kafka.common.security.plain.PlainLoginModule or org.apache.kafka.common.security.scram.ScramLoginModule",
    ],
  ];
  for (const [value, message] of cases) {
    assert.throws(() => parseJaasConfig(value), { name: "UsageError", message });
  }
});

Deno.test("parseJaasConfig() names an unknown login module by its class name", () => {
  assert.throws(() => parseJaasConfig("com.example.CustomLoginModule required;"), {
    message:
      /^sasl\.jaas\.config names an unsupported login module com\.example\.CustomLoginModule: /,
  });
});
