import assert from "node:assert/strict";
import {
  apacheRunScript,
  brokerCommandLine,
  confluentRunScript,
  defaultServerProperties,
  shellQuote,
  topicsScript,
} from "./scripts.ts";
import { parseProperties } from "./properties.ts";

Deno.test("`shellQuote()` leaves safe words alone and single-quotes the rest", () => {
  assert.equal(shellQuote("-Dkafka.logs.dir=/opt/kafka/logs"), "-Dkafka.logs.dir=/opt/kafka/logs");
  assert.equal(shellQuote("/opt/kafka/libs/*"), "'/opt/kafka/libs/*'");
  assert.equal(shellQuote("it's"), `'it'\\''s'`);
});

Deno.test("`brokerCommandLine()` is the launcher's broker command with the user's JVM options", () => {
  assert.equal(
    brokerCommandLine(),
    "/opt/java/bin/java -Xms256m -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20 " +
      "-XX:InitiatingHeapOccupancyPercent=35 -Djava.awt.headless=true " +
      "-Dkafka.logs.dir=/opt/kafka/logs -Dlog4j2.configurationFile=/opt/kafka/config/log4j2.yaml " +
      "${KAFKA_HEAP_OPTS-} ${KAFKA_JVM_PERFORMANCE_OPTS-} ${KAFKA_GC_LOG_OPTS-} " +
      "${KAFKA_JMX_OPTS-} ${KAFKA_OPTS-} -cp '/opt/kafka/libs/*' kafka.Kafka " +
      "/opt/kafka/config/server.properties",
  );
});

Deno.test("the entry scripts are valid bash and end in the broker or Apache's entry", async () => {
  for (
    const [script, last] of [
      [apacheRunScript(), `exec ${brokerCommandLine()}`],
      [confluentRunScript(), 'exec /etc/kafka/docker/run "$@"'],
      [topicsScript(), ""],
    ]
  ) {
    const check = await new Deno.Command("bash", { args: ["-n", "-c", script], stderr: "piped" })
      .output();
    assert.equal(new TextDecoder().decode(check.stderr), "");
    assert.equal(check.code, 0);
    if (last !== "") assert.equal(script.trimEnd().split("\n").at(-1), last);
  }
});

Deno.test("`apacheRunScript()` runs Kafka's own wrapper on the image's three config directories", () => {
  assert.match(
    apacheRunScript(),
    / kafka\.docker\.KafkaDockerWrapper setup --default-configs-dir \/etc\/kafka\/docker --mounted-configs-dir \/mnt\/shared\/config --final-configs-dir \/opt\/kafka\/config 2>&1\)"; then\n/,
  );
});

Deno.test("`confluentRunScript()` keeps data where cp-kafka does unless told otherwise", () => {
  assert.match(
    confluentRunScript(),
    /\nexport KAFKA_LOG_DIRS="\$\{KAFKA_LOG_DIRS:-\/var\/lib\/kafka\/data\}"\n/,
  );
});

Deno.test("`defaultServerProperties()` is the launcher's settings, listening on every interface", () => {
  const properties = new Map(parseProperties(defaultServerProperties("4.4.0")));
  assert.equal(properties.get("listeners"), "PLAINTEXT://:9092,CONTROLLER://:9093");
  assert.equal(properties.get("advertised.listeners"), "PLAINTEXT://localhost:9092");
  assert.equal(properties.get("controller.quorum.voters"), "1@localhost:9093");
  assert.equal(properties.get("log.dirs"), "/var/lib/kafka/data");
  assert.equal(properties.get("transaction.state.log.replication.factor"), "1");
  assert.equal(properties.get("auto.create.topics.enable"), "false");
  assert.equal(properties.size, 20);
  assert.equal(
    defaultServerProperties("4.4.0").split("\n")[0],
    "# Defaults of the image for Kafka 4.4.0, used without KAFKA_* variables.",
  );
});
