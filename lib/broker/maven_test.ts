import assert from "node:assert/strict";
import { join } from "node:path";
import { isResolved, mavenArgs, mavenError } from "./maven.ts";

Deno.test("`mavenError()` keeps the reason of the first [ERROR] line", () => {
  const output = [
    "\x1b[0m\x1b[0m[ERROR] Failed to execute goal on project kafka-4.4.0: Could not resolve " +
    "dependencies for project local.broker:kafka-4.4.0:pom:1: Could not find artifact " +
    "org.apache.kafka:kafka-tools:jar:4.4.0 in central (https://repo.maven.apache.org/maven2) " +
    "-> [Help 1]",
    "[ERROR] ",
    "[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.",
    "[ERROR] [Help 1] http://cwiki.apache.org/confluence/display/MAVEN/DependencyResolutionException",
  ].join("\n");
  assert.equal(
    mavenError(output),
    "Could not find artifact org.apache.kafka:kafka-tools:jar:4.4.0 in central " +
      "(https://repo.maven.apache.org/maven2)",
  );
});

Deno.test("`mavenError()` drops the dependency chain in front of a transfer failure", () => {
  const output = "[ERROR] Failed to execute goal on project kafka-4.2.0: Could not resolve " +
    "dependencies for project local.broker:kafka-4.2.0:pom:1: Failed to collect dependencies at " +
    "org.apache.kafka:kafka_2.13:jar:4.2.0: Failed to read artifact descriptor for " +
    "org.apache.kafka:kafka_2.13:jar:4.2.0: Could not transfer artifact " +
    "org.apache.kafka:kafka_2.13:pom:4.2.0 from/to central: Connection refused -> [Help 1]\n";
  assert.equal(
    mavenError(output),
    "Could not transfer artifact org.apache.kafka:kafka_2.13:pom:4.2.0 from/to central: " +
      "Connection refused",
  );
});

Deno.test("`mavenError()` falls back to the last line without an [ERROR] line", () => {
  assert.equal(
    mavenError("Error: JAVA_HOME is not defined correctly.\n"),
    "Error: JAVA_HOME is not defined correctly.",
  );
  assert.equal(mavenError(""), "mvn failed without output");
});

Deno.test("`mavenArgs()` copies runtime dependencies quietly, re-checking missing ones", () => {
  assert.deepEqual(mavenArgs("/c/libs.x.pom.xml", "/c/libs.x"), [
    "-q",
    "-B",
    "-U",
    "-Dstyle.color=never",
    "-f",
    "/c/libs.x.pom.xml",
    "dependency:copy-dependencies",
    "-DincludeScope=runtime",
    "-DoutputDirectory=/c/libs.x",
  ]);
});

Deno.test("`isResolved()` is true only for the very POM that was resolved", async () => {
  const dir = await Deno.makeTempDir({ prefix: "maven_test_" });
  try {
    assert.equal(await isResolved(dir, "<project/>"), false);
    await Deno.writeTextFile(join(dir, "resolved.pom.xml"), "<project/>");
    assert.equal(await isResolved(dir, "<project/>"), true);
    assert.equal(await isResolved(dir, "<project><!-- changed --></project>"), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
