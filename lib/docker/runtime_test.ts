import assert from "node:assert/strict";
import { ensureRuntime, findJdk, JLINK_OPTIONS, runtimeKey } from "./runtime.ts";
import { JAVA_MODULES } from "./options.ts";
import { hasCommand, needs } from "../testing/tools.ts";

Deno.test("`runtimeKey()` is 16 hex digits of the JDK's release, the modules and the options", () => {
  assert.equal(runtimeKey('JAVA_VERSION="17.0.15"', ["java.base"]), "6a8d3927a0ea4abd");
  assert.notEqual(runtimeKey('JAVA_VERSION="17.0.16"', ["java.base"]), "6a8d3927a0ea4abd");
  assert.notEqual(
    runtimeKey('JAVA_VERSION="17.0.15"', ["java.base", "java.sql"]),
    "6a8d3927a0ea4abd",
  );
});

Deno.test("`JLINK_OPTIONS` leave out what a server never reads and add a class-data archive", () => {
  assert.deepEqual(JLINK_OPTIONS, [
    "--strip-debug",
    "--no-man-pages",
    "--no-header-files",
    "--compress=2",
    "--generate-cds-archive",
  ]);
});

Deno.test("`ensureRuntime()` finds a linked runtime by its key without running jlink", async () => {
  const cacheDir = await Deno.makeTempDir({ prefix: "runtime_test_" });
  try {
    const jdk = { home: "/nowhere", jlink: "/nowhere/bin/jlink", release: 'JAVA_VERSION="17"' };
    const dir = `${cacheDir}/java/${runtimeKey(jdk.release, JAVA_MODULES)}`;
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(`${dir}/release`, jdk.release);
    const lines: string[] = [];
    assert.equal(await ensureRuntime(jdk, cacheDir, (line) => lines.push(line)), dir);
    assert.deepEqual(lines, []);
  } finally {
    await Deno.remove(cacheDir, { recursive: true });
  }
});

Deno.test({
  name: "`findJdk()` finds the jlink and release file of the JDK that runs Kafka",
  ...needs({
    name: "a JDK with jlink",
    available: hasCommand("jlink"),
    install: "apt-get install -y openjdk-17-jdk-headless",
  }),
  async fn() {
    const jdk = await findJdk();
    assert.equal(jdk.jlink, `${jdk.home}/bin/jlink`);
    assert.match(jdk.release, /^JAVA_VERSION="\d+/m);
  },
});
