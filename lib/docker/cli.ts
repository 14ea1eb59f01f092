/**
 * `deno task image`: builds the local Kafka image (see `image.ts`) and
 * prints its names, e.g. `deno task image -- --kafka-version 4.3.1`.
 *
 * @module
 */
import { parseCli } from "../cli/args.ts";
import { runMain } from "../cli/main.ts";
import { UsageError } from "../errors.ts";
import { DEFAULT_KAFKA_VERSION } from "../broker/version.ts";
import { buildImage, type KafkaImage } from "./image.ts";
import { imageSettings } from "./options.ts";

/** The command's usage text. */
export const USAGE = `Usage: deno task image [options]

Builds a local Apache Kafka image from the jars the broker launcher resolves
from Maven Central, the host's JDK (a jlink runtime), busybox-static and bash;
pulls nothing. Needs a Docker engine, a JDK 17+ and busybox-static. Tags it
for both image contracts:

  localhost/order-pipeline/kafka:<kafka version>   Apache's, for compose (KAFKA_IMAGE)
  localhost/order-pipeline/cp-kafka:<CP version>   Confluent's, for Testcontainers (KAFKA_TC_IMAGE)

Options:
  --kafka-version <v>  Kafka release, 4.0.0 or newer (default ${DEFAULT_KAFKA_VERSION})
  --force              rebuild even when an image of the same content exists
  --help               show this text`;

/**
 * The lines printed once the image is there.
 *
 * @example
 * ```ts
 * import { summaryLines } from "./cli.ts";
 * summaryLines({
 *   names: { apache: "a:1", confluent: "c:5" }, id: "sha256:0123456789abcdef",
 *   contentHash: "f", built: false, sizeBytes: 123_000_000, ms: 1500,
 * })[0];
 * // "Image a:1 (also c:5) up to date: 123 MB, id 0123456789ab, 1.5 s"
 * ```
 */
export function summaryLines(image: KafkaImage): string[] {
  const mb = Math.round(image.sizeBytes / 1_000_000);
  const id = image.id.replace(/^sha256:/, "").slice(0, 12);
  return [
    `Image ${image.names.apache} (also ${image.names.confluent}) ` +
    `${image.built ? "built" : "up to date"}: ${mb} MB, id ${id}, ${
      (image.ms / 1000).toFixed(1)
    } s`,
  ];
}

/** Runs the command with `args`; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const { values } = parseCli(args, {
    options: {
      "kafka-version": { type: "string" },
      force: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const kafkaVersion = values["kafka-version"];
  try {
    imageSettings({ kafkaVersion });
  } catch (error) {
    throw new UsageError(`--kafka-version: ${(error as Error).message}`);
  }
  const image = await buildImage({
    kafkaVersion,
    force: values.force ?? false,
    log: (line) => console.log(line),
  });
  for (const line of summaryLines(image)) console.log(line);
  return 0;
}

if (import.meta.main) await runMain(main, USAGE);
