import assert from "node:assert/strict";
import { main, summaryLines } from "./cli.ts";

Deno.test("`summaryLines()` names both tags, the size, the id and the time", () => {
  assert.deepEqual(
    summaryLines({
      names: {
        apache: "localhost/order-pipeline/kafka:4.4.0",
        confluent: "localhost/order-pipeline/cp-kafka:8.4.0",
      },
      id: "sha256:e65ae2946430aaaaaaaa",
      contentHash: "a582c72a95f4",
      built: true,
      sizeBytes: 148_400_000,
      ms: 38_512,
    }),
    [
      "Image localhost/order-pipeline/kafka:4.4.0 (also localhost/order-pipeline/cp-kafka:8.4.0) " +
      "built: 148 MB, id e65ae2946430, 38.5 s",
    ],
  );
});

Deno.test("`main()` refuses a Kafka version the image cannot hold before building anything", async () => {
  await assert.rejects(main(["--kafka-version", "3.9.1"]), {
    name: "UsageError",
    message:
      "--kafka-version: Cannot build the image as kafkaVersion must be 4.0.0 or newer: current value is 3.9.1",
  });
  await assert.rejects(main(["--push"]), { name: "UsageError", message: "unknown flag '--push'" });
});
