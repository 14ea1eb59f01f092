import assert from "node:assert/strict";
import {
  parseProperties,
  propertiesEnvironment,
  propertyEnvName,
  withProperties,
} from "./properties.ts";

Deno.test("`parseProperties()` returns the pairs in order and skips comments and blank lines", () => {
  assert.deepEqual(parseProperties("# a comment\n\n! another\nnode.id=1\n  a.b = x=y \n"), [
    ["node.id", "1"],
    ["a.b", "x=y"],
  ]);
});

Deno.test("`parseProperties()` throws a SyntaxError naming a line without '='", () => {
  assert.throws(() => parseProperties("node.id=1\nbroken\n"), {
    name: "SyntaxError",
    message: "not a key=value line: 'broken'",
  });
});

Deno.test("`withProperties()` replaces set keys in place and appends the others", () => {
  assert.equal(
    withProperties("# head\nlisteners=PLAINTEXT://127.0.0.1:9092\nnode.id=1\n", {
      "node.id": "2",
      listeners: "PLAINTEXT://:9092",
      "log.dirs": "/data",
    }),
    "# head\nlisteners=PLAINTEXT://:9092\nnode.id=2\nlog.dirs=/data\n",
  );
});

Deno.test("`withProperties()` leaves a commented-out key alone", () => {
  assert.equal(withProperties("#node.id=1\n", { "node.id": "2" }), "#node.id=1\nnode.id=2\n");
});

Deno.test("`propertyEnvName()` spells '.', '_' and '-' the way the images read them back", () => {
  assert.equal(propertyEnvName("num.partitions"), "KAFKA_NUM_PARTITIONS");
  assert.equal(propertyEnvName("log.flush_interval"), "KAFKA_LOG_FLUSH__INTERVAL");
  assert.equal(
    propertyEnvName("listener.name.internal.ssl-endpoint"),
    "KAFKA_LISTENER_NAME_INTERNAL_SSL___ENDPOINT",
  );
});

Deno.test("`propertiesEnvironment()` turns every property but the omitted ones into variables", () => {
  const text = "# c\nnode.id=1\nnum.partitions=3\nauto.create.topics.enable=false\n";
  assert.deepEqual(propertiesEnvironment(text, ["node.id"]), {
    KAFKA_NUM_PARTITIONS: "3",
    KAFKA_AUTO_CREATE_TOPICS_ENABLE: "false",
  });
});
