import assert from "node:assert/strict";
import { pomXml, toolsPomXml } from "./pom.ts";
import { dependencies } from "./_test_util.ts";

Deno.test("`pomXml()` adds Log4j 2 to the broker for Kafka 4, and no kafka-tools", () => {
  assert.deepEqual(dependencies(pomXml("4.3.1")), [
    "org.apache.kafka:kafka_2.13:4.3.1",
    "org.apache.logging.log4j:log4j-slf4j-impl:2.25.5",
    "org.apache.logging.log4j:log4j-core:2.25.5",
    "org.apache.logging.log4j:log4j-api:2.25.5",
  ]);
});

Deno.test("`pomXml()` adds reload4j to the broker for Kafka 3, and no kafka-tools", () => {
  assert.deepEqual(dependencies(pomXml("3.9.1")), [
    "org.apache.kafka:kafka_2.13:3.9.1",
    "org.slf4j:slf4j-reload4j:1.7.36",
    "ch.qos.reload4j:reload4j:1.2.25",
  ]);
});

Deno.test("`toolsPomXml()` asks for kafka-tools up to the version within its major", () => {
  assert.deepEqual(dependencies(toolsPomXml("4.4.0")), [
    "org.apache.kafka:kafka-tools:[4.0.0,4.4.0]",
    "org.apache.logging.log4j:log4j-slf4j-impl:2.25.5",
    "org.apache.logging.log4j:log4j-core:2.25.5",
    "org.apache.logging.log4j:log4j-api:2.25.5",
  ]);
  assert.deepEqual(dependencies(toolsPomXml("3.9.1")), [
    "org.apache.kafka:kafka-tools:[3.0.0,3.9.1]",
    "org.slf4j:slf4j-reload4j:1.7.36",
    "ch.qos.reload4j:reload4j:1.2.25",
  ]);
  assert.match(toolsPomXml("4.4.0"), /<artifactId>kafka-tools-4\.4\.0<\/artifactId>/);
});

Deno.test("`pomXml()` pins the dependency plugin", () => {
  assert.match(
    pomXml("4.3.1"),
    /<artifactId>maven-dependency-plugin<\/artifactId>\s*<version>3\.8\.1<\/version>/,
  );
});
