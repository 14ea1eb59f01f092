/**
 * The local Kafka image: its names, where things live inside it, the Java
 * modules its runtime holds, and the options of a build, with every default
 * in one place.
 *
 * @module
 */
import { join } from "node:path";
import { REPO_ROOT } from "../broker/_util.ts";
import { checkKafkaVersion, DEFAULT_KAFKA_VERSION, majorVersion } from "../broker/version.ts";

/**
 * The repository of the image's Apache-contract name, tagged with the Kafka
 * version (`docker run … /etc/kafka/docker/run`, as `apache/kafka`).
 */
export const APACHE_REPOSITORY = "localhost/order-pipeline/kafka";
/**
 * The repository of the same image under its Confluent-contract name, tagged
 * with the matching Confluent Platform version, because Testcontainers'
 * `KafkaContainer` reads the tag as one (KRaft only from 8.0.0).
 */
export const CONFLUENT_REPOSITORY = "localhost/order-pipeline/cp-kafka";
/** The label holding the hash of everything the image was built from. */
export const CONTENT_LABEL = "org.order-pipeline.content-hash";

/** Where things live inside the image; the Kafka paths are those of `apache/kafka`. */
export const IN_IMAGE = {
  /** The `jlink` runtime. */
  java: "/opt/java",
  /** The broker's jars (`kafka_2.13` and its dependencies). */
  libs: "/opt/kafka/libs",
  /** The command-line tools' jars (`kafka-tools`), apart because their version may differ. */
  toolsLibs: "/opt/kafka/tools-libs",
  /** `kafka-topics.sh`. */
  bin: "/opt/kafka/bin",
  /** Where `KafkaDockerWrapper` writes the final `server.properties` and logging files. */
  config: "/opt/kafka/config",
  /** `kafka.logs.dir`: nothing is written there, since the broker logs to stdout. */
  logs: "/opt/kafka/logs",
  /** The defaults `KafkaDockerWrapper` starts from, and Apache's entry script. */
  defaults: "/etc/kafka/docker",
  /** Files a user mounts to override the defaults, as in `apache/kafka`. */
  mounted: "/mnt/shared/config",
  /** Confluent's entry script directory. */
  confluent: "/etc/confluent/docker",
  /** The broker's data directory; topic data goes to `<data>/data`. */
  data: "/var/lib/kafka",
} as const;

/**
 * The Java modules of the image's runtime: those `jdeps` finds in Kafka's
 * jars, plus the ones reached only by reflection or service lookup.
 */
export const JAVA_MODULES: readonly string[] = [
  "java.base",
  // java.beans, which commons-beanutils (under commons-validator) loads.
  "java.desktop",
  "java.logging",
  "java.management",
  "java.naming",
  // kafka-tools' JMX tool.
  "java.rmi",
  "java.security.jgss",
  "java.security.sasl",
  // commons-beanutils registers its java.sql converters on first use.
  "java.sql",
  // Log4j 2 reads XML configurations; Jackson and the SASL code parse XML.
  "java.xml",
  // TLS key exchange with elliptic curves, for SSL listeners.
  "jdk.crypto.ec",
  // com.sun.management, behind Kafka's JVM metrics.
  "jdk.management",
  // Kerberos and JAAS login modules, for SASL listeners.
  "jdk.security.auth",
  // sun.misc.Unsafe, used by lz4-java, snappy-java and zstd-jni.
  "jdk.unsupported",
];

/** Options of `buildImage` (in `image.ts`). */
export interface ImageOptions {
  /** Apache Kafka release whose jars go into the image, 4.0.0 or newer. @default {DEFAULT_KAFKA_VERSION} */
  kafkaVersion?: string;
  /**
   * Where the `jlink` runtimes and the staging directory live.
   *
   * @default {"<repo root>/.cache/docker"}
   */
  cacheDir?: string;
  /** Rebuild even when an image of the same content exists. @default {false} */
  force?: boolean;
  /** Receives progress lines. @default {no output} */
  log?: (line: string) => void;
}

/** {@linkcode ImageOptions} with every default applied. */
export type ImageSettings = Required<ImageOptions>;

/**
 * `opts` with every default applied. Throws a {@linkcode RangeError} when the
 * Kafka version is not a release of 4.0.0 or newer: the image's entry script
 * relies on `KafkaDockerWrapper` writing Log4j 2 configurations, which 3.x
 * does not.
 *
 * @example
 * ```ts
 * import { imageSettings } from "./options.ts";
 * imageSettings({ kafkaVersion: "4.3.1" }).force; // false
 * ```
 */
export function imageSettings(opts: ImageOptions = {}): ImageSettings {
  const {
    kafkaVersion = DEFAULT_KAFKA_VERSION,
    cacheDir = join(REPO_ROOT, ".cache", "docker"),
    force = false,
    log = () => {},
  } = opts;
  checkKafkaVersion(kafkaVersion);
  if (majorVersion(kafkaVersion) < 4) {
    throw new RangeError(
      `Cannot build the image as kafkaVersion must be 4.0.0 or newer: current value is ${kafkaVersion}`,
    );
  }
  return { kafkaVersion, cacheDir, force, log };
}

/**
 * The Confluent Platform version that ships Kafka `kafkaVersion`: CP 8.x
 * ships Kafka 4.x with the same minor version.
 *
 * @example
 * ```ts
 * import { confluentVersion } from "./options.ts";
 * confluentVersion("4.4.0"); // "8.4.0"
 * ```
 */
export function confluentVersion(kafkaVersion: string): string {
  const [major, minor, patch] = kafkaVersion.split(".").map(Number);
  return `${major + 4}.${minor}.${patch}`;
}

/** The two names of one image. */
export interface ImageNames {
  /** `localhost/order-pipeline/kafka:<kafka version>`, for compose (`KAFKA_IMAGE`). */
  apache: string;
  /** `localhost/order-pipeline/cp-kafka:<CP version>`, for Testcontainers (`KAFKA_TC_IMAGE`). */
  confluent: string;
}

/**
 * The names the image of Kafka `kafkaVersion` is tagged with.
 *
 * @example
 * ```ts
 * import { imageNames } from "./options.ts";
 * imageNames("4.4.0").confluent; // "localhost/order-pipeline/cp-kafka:8.4.0"
 * ```
 */
export function imageNames(kafkaVersion: string): ImageNames {
  return {
    apache: `${APACHE_REPOSITORY}:${kafkaVersion}`,
    confluent: `${CONFLUENT_REPOSITORY}:${confluentVersion(kafkaVersion)}`,
  };
}
