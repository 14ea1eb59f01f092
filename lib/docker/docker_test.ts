import assert from "node:assert/strict";
import { imageLabel, importChanges, removeUnusedImage, requireDocker } from "./docker.ts";
import { dockerRuns, needs } from "../testing/tools.ts";

Deno.test("`importChanges()` sets the environment, the command and the labels, and no health check", () => {
  assert.deepEqual(
    importChanges(
      { PATH: "/opt/kafka/bin:/bin", JAVA_HOME: "/opt/java" },
      ["/etc/kafka/docker/run"],
      { "org.order-pipeline.content-hash": "abc" },
    ),
    [
      "ENV PATH=/opt/kafka/bin:/bin",
      "ENV JAVA_HOME=/opt/java",
      'CMD ["/etc/kafka/docker/run"]',
      'LABEL "org.order-pipeline.content-hash"="abc"',
    ],
  );
});

const DOCKER = {
  name: "a Docker engine",
  available: dockerRuns(),
  install: "apt-get install -y docker.io, then start dockerd",
};

Deno.test({
  name:
    "`requireDocker()` returns, and `imageLabel()` and `removeUnusedImage()` find no image that is not there",
  ...needs(DOCKER),
  async fn() {
    await requireDocker();
    assert.equal(await imageLabel("localhost/order-pipeline/no-such-image:0", "x"), undefined);
    assert.equal(await removeUnusedImage("localhost/order-pipeline/no-such-image:0"), false);
  },
});
