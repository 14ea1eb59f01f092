import assert from "node:assert/strict";
import { mergeProperties, parseOverrides, parseProperties } from "./properties.ts";

Deno.test("parseProperties() reads key=value lines, trimming, and skips comments and blanks", () => {
  const props = parseProperties(
    [
      "# Confluent Cloud",
      "! also a comment",
      "",
      "  bootstrap.servers = pkc-1.aws.confluent.cloud:9092  ",
      "sasl.mechanism=PLAIN",
      "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username='K' password='a=b';",
    ].join("\n"),
    "cc.properties",
  );
  assert.deepEqual([...props.keys()], ["bootstrap.servers", "sasl.mechanism", "sasl.jaas.config"]);
  assert.deepEqual(props.get("bootstrap.servers"), {
    value: "pkc-1.aws.confluent.cloud:9092",
    origin: "cc.properties line 4",
  });
  assert.equal(
    props.get("sasl.jaas.config")?.value,
    "org.apache.kafka.common.security.plain.PlainLoginModule required username='K' password='a=b';",
  );
});

Deno.test("parseProperties() joins a line ending in a backslash with the next", () => {
  const props = parseProperties(
    'sasl.jaas.config=ScramLoginModule required \\\r\n    username="u" \\\n    password="p";\nclient.id=x\n',
    "f",
  );
  assert.deepEqual(props.get("sasl.jaas.config"), {
    value: 'ScramLoginModule required username="u" password="p";',
    origin: "f line 1",
  });
  assert.deepEqual(props.get("client.id"), { value: "x", origin: "f line 4" });
});

Deno.test("parseProperties() keeps the last value of a key set twice", () => {
  assert.equal(parseProperties("client.id=a\nclient.id=b\n", "f").get("client.id")?.value, "b");
});

Deno.test("parseProperties() names the line, never its text, when a line has no '='", () => {
  assert.throws(() => parseProperties("client.id=a\nmy-secret-password\n", "f.properties"), {
    name: "UsageError",
    message: "f.properties line 2: expected key=value",
  });
  assert.throws(() => parseProperties(" = value\n", "f"), {
    name: "UsageError",
    message: "f line 1: a property has no key before '='",
  });
});

Deno.test("parseOverrides() reads -X key=value in order, the last one winning", () => {
  const props = parseOverrides(["security.protocol=ssl", "client.id=a", "client.id= b "]);
  assert.deepEqual(props.get("security.protocol"), { value: "ssl", origin: "-X" });
  assert.equal(props.get("client.id")?.value, "b");
});

Deno.test("parseOverrides() names the position of an -X without key=, never its text", () => {
  assert.throws(() => parseOverrides(["client.id=a", "hunter2"]), {
    name: "UsageError",
    message: "-X takes key=value: the 2nd -X has no key=",
  });
  assert.throws(() => parseOverrides(["=x"]), {
    message: "-X takes key=value: the 1st -X has no key=",
  });
});

Deno.test("mergeProperties() lets later layers win key by key", () => {
  const file = parseProperties("client.id=file\nsasl.username=u\n", "f");
  const merged = mergeProperties(file, parseOverrides(["client.id=flag"]));
  assert.deepEqual(Object.fromEntries([...merged].map(([k, p]) => [k, p.value])), {
    "client.id": "flag",
    "sasl.username": "u",
  });
  assert.equal(merged.get("sasl.username")?.origin, "f line 2");
});
