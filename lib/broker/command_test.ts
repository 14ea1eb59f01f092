import assert from "node:assert/strict";
import { brokerArgs, formatStorageArgs, redirectedArgs } from "./command.ts";
import { BROKER_JVM_OPTIONS } from "./options.ts";

const files = { logs: "/d/logs", properties: "/d/server.properties" };
const loggingFlag = "-Dlog4j2.configurationFile=/d/log4j2.properties";

Deno.test("`formatStorageArgs()` runs the storage tool with a small JVM", () => {
  assert.deepEqual(
    formatStorageArgs({ classpath: "/k/libs/*", files, loggingFlag, clusterId: "C" }),
    [
      "-Xmx256m",
      "-XX:+UseSerialGC",
      "-XX:TieredStopAtLevel=1",
      "-Djava.awt.headless=true",
      "-Dkafka.logs.dir=/d/logs",
      loggingFlag,
      "-cp",
      "/k/libs/*",
      "kafka.tools.StorageTool",
      "format",
      "-t",
      "C",
      "-c",
      "/d/server.properties",
      "--ignore-formatted",
    ],
  );
});

Deno.test("`formatStorageArgs()` passes the extra arguments, such as SCRAM users, last", () => {
  const args = formatStorageArgs({
    classpath: "/k/libs/*",
    files,
    loggingFlag,
    clusterId: "C",
    extraArgs: [
      "--add-scram",
      'SCRAM-SHA-512=[name=app,salt="s",saltedpassword="p",iterations=4096]',
    ],
  });
  assert.deepEqual(args.slice(-3), [
    "--ignore-formatted",
    "--add-scram",
    'SCRAM-SHA-512=[name=app,salt="s",saltedpassword="p",iterations=4096]',
  ]);
});

Deno.test("`brokerArgs()` runs kafka.Kafka on server.properties with the broker's JVM", () => {
  // The flags' values are pinned by `brokerCommandLine()`'s test (lib/docker/scripts_test.ts).
  assert.deepEqual(brokerArgs({ classpath: "/k/libs/*", files, loggingFlag }), [
    ...BROKER_JVM_OPTIONS,
    "-Dkafka.logs.dir=/d/logs",
    loggingFlag,
    "-cp",
    "/k/libs/*",
    "kafka.Kafka",
    "/d/server.properties",
  ]);
});

Deno.test("`redirectedArgs()` sends the command's output to the file and keeps its pid", async () => {
  assert.deepEqual(redirectedArgs("/d/out", "java", ["-version"]), [
    "-c",
    'exec "$@" >"$0" 2>&1',
    "/d/out",
    "java",
    "-version",
  ]);
  const dir = await Deno.makeTempDir({ prefix: "command_test_" });
  try {
    const out = `${dir}/out`;
    const child = new Deno.Command("sh", {
      args: redirectedArgs(out, "sh", ["-c", 'echo "pid $$"; echo oops >&2']),
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const { stdout, stderr } = await child.output();
    assert.equal(stdout.length + stderr.length, 0);
    assert.equal(await Deno.readTextFile(out), `pid ${child.pid}\noops\n`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("`brokerArgs()` puts a cluster node's smaller heap first", () => {
  const args = brokerArgs({ classpath: "/k/*", files, loggingFlag, jvmOptions: ["-Xmx512m"] });
  assert.deepEqual(args.slice(0, 2), ["-Xmx512m", "-Dkafka.logs.dir=/d/logs"]);
});
