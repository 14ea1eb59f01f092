import assert from "node:assert/strict";
import { findJava, javaMajorVersion } from "./java.ts";

Deno.test("`javaMajorVersion()` reads modern and 1.x version strings", () => {
  assert.equal(
    javaMajorVersion(
      'openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment (build 17.0.15+6)',
    ),
    17,
  );
  assert.equal(javaMajorVersion('openjdk version "21" 2023-09-19'), 21);
  assert.equal(javaMajorVersion('java version "1.8.0_402"'), 8);
  assert.equal(javaMajorVersion("bash: java: command not found"), undefined);
});

Deno.test("`findJava()` says what to install when JAVA_HOME has no bin/java", async () => {
  const home = await Deno.makeTempDir({ prefix: "java_test_" });
  const before = Deno.env.get("JAVA_HOME");
  Deno.env.set("JAVA_HOME", home);
  try {
    await assert.rejects(findJava(), {
      name: "FatalError",
      message:
        `Java 17+ not found: JAVA_HOME is ${home} but it has no bin/java; install a JDK 17 ` +
        "(e.g. apt-get install openjdk-17-jre-headless) or set JAVA_HOME",
    });
  } finally {
    if (before === undefined) Deno.env.delete("JAVA_HOME");
    else Deno.env.set("JAVA_HOME", before);
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("`findJava()` rejects a java older than 17", async () => {
  const home = await Deno.makeTempDir({ prefix: "java_test_" });
  const before = Deno.env.get("JAVA_HOME");
  await Deno.mkdir(`${home}/bin`);
  await Deno.writeTextFile(
    `${home}/bin/java`,
    `#!/bin/sh\necho 'java version "1.8.0_402"' >&2\n`,
    { mode: 0o755 },
  );
  Deno.env.set("JAVA_HOME", home);
  try {
    await assert.rejects(findJava(), {
      name: "FatalError",
      message: `Java 17+ required but ${home}/bin/java is Java 8: install a JDK 17 ` +
        "(e.g. apt-get install openjdk-17-jre-headless) or set JAVA_HOME",
    });
  } finally {
    if (before === undefined) Deno.env.delete("JAVA_HOME");
    else Deno.env.set("JAVA_HOME", before);
    await Deno.remove(home, { recursive: true });
  }
});
