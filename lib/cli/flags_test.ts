import assert from "node:assert/strict";
import { join } from "node:path";
import {
  commonFlags,
  connectionSettings,
  isLoopback,
  metricsSettings,
  outputMode,
  readClientConfig,
  redactArgs,
  replicationFactorFlag,
  resolveBrokers,
} from "./flags.ts";

/** Runs `fn` with `KAFKA_BROKERS` set to `value` (or unset), restoring it afterwards. */
function withBrokersEnv(value: string | undefined, fn: () => void): void {
  const saved = Deno.env.get("KAFKA_BROKERS");
  try {
    if (value === undefined) Deno.env.delete("KAFKA_BROKERS");
    else Deno.env.set("KAFKA_BROKERS", value);
    fn();
  } finally {
    if (saved === undefined) Deno.env.delete("KAFKA_BROKERS");
    else Deno.env.set("KAFKA_BROKERS", saved);
  }
}

Deno.test("resolveBrokers() prefers the flag over KAFKA_BROKERS and trims each entry", () => {
  withBrokersEnv("env:1", () => {
    assert.deepEqual(resolveBrokers(" a:1 , b:2,, "), ["a:1", "b:2"]);
  });
});

Deno.test("resolveBrokers() falls back to KAFKA_BROKERS, then to 127.0.0.1:9092", () => {
  withBrokersEnv("k1:9092,k2:9093", () => {
    assert.deepEqual(resolveBrokers(undefined), ["k1:9092", "k2:9093"]);
  });
  withBrokersEnv(undefined, () => {
    assert.deepEqual(resolveBrokers(undefined), ["127.0.0.1:9092"]);
  });
});

Deno.test("resolveBrokers() raises UsageError when the list is empty", () => {
  withBrokersEnv(undefined, () => {
    assert.throws(() => resolveBrokers(" , "), {
      name: "UsageError",
      message: "--brokers must list host:port pairs",
    });
  });
});

Deno.test("commonFlags() picks the named entries of the shared table", () => {
  assert.deepEqual(commonFlags("brokers", "json"), {
    brokers: { type: "string" },
    json: { type: "boolean" },
  });
  assert.deepEqual(commonFlags(), {});
});

Deno.test("connectionSettings() reads the broker list and the timeout in seconds", () => {
  withBrokersEnv(undefined, () => {
    assert.deepEqual(connectionSettings({}), {
      brokers: ["127.0.0.1:9092"],
      connectTimeoutMs: 30_000,
    });
    assert.deepEqual(connectionSettings({ brokers: "a:1", "connect-timeout": "2.5" }), {
      brokers: ["a:1"],
      connectTimeoutMs: 2500,
    });
    assert.throws(() => connectionSettings({ "connect-timeout": "0" }), {
      name: "UsageError",
      message: "--connect-timeout must be >= 0.1: current value is 0",
    });
  });
});

/** Runs `fn` with a properties file holding `text`, and `KAFKA_CONFIG` unset. */
function withConfigFile(text: string, fn: (path: string) => void): void {
  const dir = Deno.makeTempDirSync({ prefix: "flags_test_" });
  const saved = Deno.env.get("KAFKA_CONFIG");
  try {
    Deno.env.delete("KAFKA_CONFIG");
    const path = join(dir, "client.properties");
    Deno.writeTextFileSync(path, text);
    fn(path);
  } finally {
    if (saved !== undefined) Deno.env.set("KAFKA_CONFIG", saved);
    Deno.removeSync(dir, { recursive: true });
  }
}

const SASL_FILE = "bootstrap.servers=file:9096\nsecurity.protocol=SASL_PLAINTEXT\n" +
  "sasl.mechanism=SCRAM-SHA-256\nsasl.username=app\nsasl.password=pw-file\n";

Deno.test("connectionSettings() takes the brokers from --brokers, then bootstrap.servers, then KAFKA_BROKERS", () => {
  withBrokersEnv("env:9092", () => {
    withConfigFile(SASL_FILE, (config) => {
      assert.deepEqual(connectionSettings({ config }).brokers, ["file:9096"]);
      assert.deepEqual(
        connectionSettings({ config, property: ["bootstrap.servers=x1:1,x2:2"] }).brokers,
        ["x1:1", "x2:2"],
      );
      assert.deepEqual(connectionSettings({ config, brokers: "flag:1" }).brokers, ["flag:1"]);
      assert.deepEqual(connectionSettings({}).brokers, ["env:9092"]);
      assert.throws(
        () => connectionSettings({ brokers: "flag:1", property: ["bootstrap.servers=x:1"] }),
        { name: "UsageError", message: "give --brokers or -X bootstrap.servers, not both" },
      );
    });
  });
});

Deno.test("connectionSettings() carries the SASL settings and client.id, -X over the file", () => {
  withConfigFile(SASL_FILE, (config) => {
    const settings = connectionSettings({
      config,
      property: ["sasl.password=pw-flag", "client.id=me"],
      "connect-timeout": "3",
    });
    assert.equal(settings.security?.identity, "user app (SCRAM-SHA-256)");
    assert.equal(settings.security?.sasl?.password.reveal(), "pw-flag");
    assert.equal(settings.clientId, "me");
    assert.equal(settings.connectTimeoutMs, 3000);
    assert.ok(!JSON.stringify(settings).includes("pw-"));
  });
});

Deno.test("readClientConfig() reads the file KAFKA_CONFIG names when --config is not given", () => {
  withConfigFile(SASL_FILE, (config) => {
    Deno.env.set("KAFKA_CONFIG", config);
    try {
      assert.equal(readClientConfig({}).protocol, "sasl_plaintext");
      // The file's SASL settings would be ignored over plaintext: refused, not dropped.
      assert.throws(() => readClientConfig({ property: ["security.protocol=plaintext"] }), {
        name: "UsageError",
        message:
          "sasl.mechanism is set but security.protocol is plaintext: use sasl_ssl or sasl_plaintext",
      });
    } finally {
      Deno.env.delete("KAFKA_CONFIG");
    }
  });
});

Deno.test("readClientConfig() names a file it cannot read, and an empty --config", () => {
  withConfigFile("", (config) => {
    assert.throws(() => readClientConfig({ config: `${config}.missing` }), {
      name: "UsageError",
      message: `--config: cannot read ${config}.missing: no such file`,
    });
    assert.throws(() => readClientConfig({ config: " " }), {
      name: "UsageError",
      message: "--config must not be empty",
    });
    assert.equal(readClientConfig({ config }).protocol, "plaintext");
  });
});

Deno.test("redactArgs() hides the value of every secret -X property, however it is spelt", () => {
  assert.deepEqual(
    redactArgs([
      "--orders=4",
      "-X",
      "sasl.password=pw1",
      "-Xssl.key.password=pw2",
      "--property=sasl.jaas.config=Plain required password='pw3';",
      "--property",
      "sasl.username=app",
      "-X",
      " sasl.password = pw4",
      "-Xbasic.auth.user.info=KEY:SECRET",
      "-Xschema.registry.basic.auth.user.info=KEY:SECRET",
      "-XSSL.Truststore.Password=pw5",
      "--property=sasl.oauthbearer.client.secret=s",
      "-Xssl.key.pem=-----BEGIN PRIVATE KEY-----",
      "-Xsasl.password.note=kept",
    ]),
    [
      "--orders=4",
      "-X",
      "sasl.password=[redacted]",
      "-Xssl.key.password=[redacted]",
      "--property=sasl.jaas.config=[redacted]",
      "--property",
      "sasl.username=app",
      "-X",
      " sasl.password =[redacted]",
      "-Xbasic.auth.user.info=[redacted]",
      "-Xschema.registry.basic.auth.user.info=[redacted]",
      "-XSSL.Truststore.Password=[redacted]",
      "--property=sasl.oauthbearer.client.secret=[redacted]",
      "-Xssl.key.pem=[redacted]",
      "-Xsasl.password.note=kept",
    ],
  );
});

Deno.test("redactArgs() hides the user info of a URL in any argument, and keeps the rest", () => {
  assert.deepEqual(
    redactArgs([
      "--schema-registry=https://key:secret@sr.example",
      "-X",
      "schema.registry.url=https://k:s@h:8081/v7",
      "-Xschema.registry.url=https://k:s@a,https://k:s2@b",
      "--property=schema.registry.url=https://k:se,cret@h",
      "--schema-registry",
      "https://token@sr.example/v1",
      "https://k:se cret@h",
      "--brokers=b:9092",
      "http://127.0.0.1:8081/apis/ccompat/v7",
    ]),
    [
      "--schema-registry=https://key:[redacted]@sr.example/",
      "-X",
      "schema.registry.url=https://k:[redacted]@h:8081/v7",
      "-Xschema.registry.url=https://k:[redacted]@a/,https://k:[redacted]@b/",
      "--property=schema.registry.url=https://k:[redacted]@h/",
      "--schema-registry",
      "https://[redacted]@sr.example/v1",
      "https://k:[redacted]@h/",
      "--brokers=b:9092",
      "http://127.0.0.1:8081/apis/ccompat/v7",
    ],
  );
});

Deno.test("outputMode() is text by default and refuses --quiet with --json", () => {
  assert.equal(outputMode({}), "text");
  assert.equal(outputMode({ quiet: true }), "quiet");
  assert.equal(outputMode({ json: true }), "json");
  assert.throws(() => outputMode({ quiet: true, json: true }), {
    name: "UsageError",
    message: "--quiet and --json cannot be combined",
  });
});

Deno.test("metricsSettings() is undefined without --metrics-port and binds 127.0.0.1 by default", () => {
  assert.equal(metricsSettings({}), undefined);
  assert.deepEqual(metricsSettings({ "metrics-port": "9464" }), { port: 9464, host: "127.0.0.1" });
  assert.deepEqual(metricsSettings({ "metrics-port": "0", "metrics-host": "0.0.0.0" }), {
    port: 0,
    host: "0.0.0.0",
  });
});

Deno.test("metricsSettings() raises UsageError for a bad port or a host without a port", () => {
  assert.throws(() => metricsSettings({ "metrics-port": "70000" }), {
    name: "UsageError",
    message: "--metrics-port must be in [0, 65535]: current value is 70000",
  });
  assert.throws(() => metricsSettings({ "metrics-host": "0.0.0.0" }), {
    name: "UsageError",
    message: "--metrics-host applies only with --metrics-port",
  });
  assert.throws(() => metricsSettings({ "metrics-port": "1", "metrics-host": " " }), {
    name: "UsageError",
    message: "--metrics-host must not be empty",
  });
});

Deno.test("isLoopback() accepts localhost, 127.0.0.0/8 and ::1 only", () => {
  assert.deepEqual(
    ["localhost", "127.0.0.1", "127.1.2.3", "::1", "0.0.0.0", "10.0.0.1", "::"].map(isLoopback),
    [true, true, true, true, false, false, false],
  );
});

Deno.test("replicationFactorFlag() leaves the default to the cluster and names a bad value", () => {
  assert.equal(replicationFactorFlag(undefined), undefined);
  assert.equal(replicationFactorFlag("3"), 3);
  assert.throws(() => replicationFactorFlag("0"), {
    name: "UsageError",
    message: "--replication-factor must be in [1, 32767]: current value is 0",
  });
  assert.throws(() => replicationFactorFlag("2.5"), {
    name: "UsageError",
    message: "--replication-factor must be a whole number: current value is 2.5",
  });
});
