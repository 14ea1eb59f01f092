import assert from "node:assert/strict";
import { buildImage } from "./image.ts";
import { defaultServerProperties } from "./scripts.ts";
import { DEFAULT_KAFKA_VERSION } from "../broker/version.ts";
import { dockerRuns, hasCommand, needs } from "../testing/tools.ts";
import { waitFor } from "../testing/harness.ts";

const BUILD_TOOLS = [
  {
    name: "a Docker engine",
    available: dockerRuns(),
    install: "apt-get install -y docker.io, then start dockerd",
  },
  {
    name: "a JDK with jlink",
    available: hasCommand("jlink"),
    install: "apt-get install -y openjdk-17-jdk-headless",
  },
  {
    name: "busybox",
    available: hasCommand("busybox"),
    install: "apt-get install -y busybox-static",
  },
];

Deno.test({
  name: "`buildImage()` finds an image of the same content by its label and does not rebuild it",
  ...needs(...BUILD_TOOLS),
  async fn() {
    // The first call builds the image unless an earlier run (or CI's image step) did.
    const first = await buildImage();
    const second = await buildImage();
    assert.equal(second.built, false);
    assert.equal(second.id, first.id);
    assert.equal(second.contentHash, first.contentHash);
    assert.deepEqual(second.names, {
      apache: `localhost/order-pipeline/kafka:${DEFAULT_KAFKA_VERSION}`,
      confluent: "localhost/order-pipeline/cp-kafka:8.4.0",
    });
  },
});

async function docker(...args: string[]): Promise<string> {
  const output = await new Deno.Command("docker", { args, stdout: "piped", stderr: "piped" })
    .output();
  const decoder = new TextDecoder();
  if (!output.success) throw new Error(`docker ${args[0]}: ${decoder.decode(output.stderr)}`);
  return decoder.decode(output.stdout);
}

Deno.test({
  name: "the image without KAFKA_* variables runs a broker on its single-node defaults",
  ...needs(...BUILD_TOOLS),
  sanitizeResources: false,
  async fn() {
    const image = await buildImage();
    const id = (await docker(
      "run",
      "--detach",
      "--label",
      "org.order-pipeline.harness=image-test",
      image.names.apache,
    )).trim();
    try {
      await waitFor(async () => (await docker("logs", id)).includes("Kafka Server started"), {
        timeoutMs: 120_000,
        message: "the broker in the container to start",
      });
      assert.equal(
        await docker("exec", id, "cat", "/opt/kafka/config/server.properties"),
        defaultServerProperties(DEFAULT_KAFKA_VERSION),
      );
      const topics = ["kafka-topics.sh", "--bootstrap-server", "localhost:9092"];
      await docker("exec", id, ...topics, "--create", "--topic", "orders", "--partitions", "2");
      const described = await docker("exec", id, ...topics, "--describe", "--topic", "orders");
      assert.match(
        described,
        /^Topic: orders\tTopicId: \S+\tPartitionCount: 2\tReplicationFactor: 1\t/,
      );
    } finally {
      await docker("rm", "--force", "--volumes", id);
    }
  },
});
