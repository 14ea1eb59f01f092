import assert from "node:assert/strict";
import { kafkaToolsVersion, resolveKafkaTools, toolsLine } from "./resolve.ts";
import { majorVersion } from "./version.ts";

Deno.test("`kafkaToolsVersion()` reads the kafka-tools jar and skips kafka-tools-api", () => {
  assert.equal(
    kafkaToolsVersion([
      "kafka-clients-4.3.1.jar",
      "kafka-tools-api-4.3.1.jar",
      "kafka-tools-4.3.1.jar",
    ]),
    "4.3.1",
  );
  assert.equal(kafkaToolsVersion(["kafka-tools-api-4.3.1.jar"]), undefined);
  assert.equal(kafkaToolsVersion([]), undefined);
});

Deno.test("`toolsLine()` says when kafka-tools falls back to an older release", () => {
  assert.equal(
    toolsLine("4.3.1", "4.3.1", "cached in .cache/kafka-tools/4.3.1"),
    "kafka-tools 4.3.1 (cached in .cache/kafka-tools/4.3.1)",
  );
  assert.equal(
    toolsLine("4.4.0", "4.3.1", "cached in .cache/kafka-tools/4.4.0"),
    "kafka-tools 4.4.0 is not on Maven Central: using 4.3.1, the newest 4.x release before it " +
      "(cached in .cache/kafka-tools/4.4.0)",
  );
});

Deno.test({
  name: "`resolveKafkaTools()` falls back to the newest 4.x kafka-tools when 4.4.0 is missing",
  // Runs Maven against Maven Central on first use; cached afterwards.
  ignore: Deno.env.get("SKIP_BROKER_LAUNCH_TEST") === "1",
  async fn() {
    const lines: string[] = [];
    const tools = await resolveKafkaTools("4.4.0", { log: (line) => lines.push(line) });
    assert.equal(tools.requestedVersion, "4.4.0");
    assert.equal(majorVersion(tools.version), 4);
    assert.equal(kafkaToolsVersion([`kafka-tools-${tools.version}.jar`]), tools.version);
    assert.equal(tools.classpath, `${tools.libDir}/*`);
    await Deno.stat(`${tools.libDir}/kafka-tools-${tools.version}.jar`);
    const last = lines.at(-1) ?? "";
    if (tools.fallback) {
      // Maven Central lacks kafka-tools 4.4.0 (it has kafka_2.13 4.4.0).
      assert.notEqual(tools.version, "4.4.0");
      assert.match(
        last,
        new RegExp(
          `^kafka-tools 4\\.4\\.0 is not on Maven Central: using ${tools.version}, the newest 4\\.x release before it \\(`,
        ),
      );
    } else {
      // Once it is published, nothing falls back.
      assert.equal(tools.version, "4.4.0");
      assert.match(last, /^kafka-tools 4\.4\.0 \(/);
    }
  },
});
