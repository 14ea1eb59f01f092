/**
 * Builds the local Kafka image without pulling anything: a root filesystem
 * of a `jlink` runtime, busybox, bash and the launcher's Maven-resolved jars
 * (see `rootfs.ts`), imported with `docker import` and tagged for both image
 * contracts (see `options.ts`). A build whose inputs have not changed finds
 * the image by its content label and stops there, in seconds.
 *
 * @module
 */
import { resolveKafka, resolveKafkaTools } from "../broker/resolve.ts";
import {
  CONTENT_LABEL,
  type ImageNames,
  imageNames,
  type ImageOptions,
  type ImageSettings,
  imageSettings,
  IN_IMAGE,
} from "./options.ts";
import {
  imageInfo,
  imageLabel,
  importChanges,
  importRootfs,
  removeUnusedImage,
  requireDocker,
  tagImage,
} from "./docker.ts";
import {
  busyboxApplets,
  describeRootfs,
  elfFiles,
  INSTALL_BUSYBOX,
  planRootfs,
  type RootfsEntry,
  rootfsHash,
  sharedLibraries,
  stageRootfs,
} from "./rootfs.ts";
import { ensureRuntime, findJdk } from "./runtime.ts";
import { findOnPath } from "./_util.ts";

/** An image that {@linkcode buildImage} made or found. */
export interface KafkaImage {
  /** Its two names. */
  names: ImageNames;
  /** Its id, `sha256:…`. */
  id: string;
  /** The hash of its content, also its {@linkcode CONTENT_LABEL} label. */
  contentHash: string;
  /** Whether this call built it (`false`: an image of the same content was there). */
  built: boolean;
  /** Its size in bytes, as `docker image inspect` reports it. */
  sizeBytes: number;
  /** How long the call took, in milliseconds. */
  ms: number;
}

/**
 * Builds `localhost/order-pipeline/kafka:<version>` and its other name
 * `localhost/order-pipeline/cp-kafka:<CP version>` unless an image of the
 * same content exists. Throws a {@linkcode FatalError} of one line saying
 * what to install when the Docker engine, a JDK 17+ or busybox is missing.
 *
 * @example
 * ```ts ignore
 * import { buildImage } from "./image.ts";
 * const image = await buildImage({ log: console.log });
 * // image.names.confluent: "localhost/order-pipeline/cp-kafka:8.4.0"
 * ```
 */
export async function buildImage(opts: ImageOptions = {}): Promise<KafkaImage> {
  const started = Date.now();
  const settings = imageSettings(opts);
  const { kafkaVersion, log } = settings;
  await requireDocker();
  const jdk = await findJdk();
  const busybox = await findOnPath("busybox", INSTALL_BUSYBOX);
  const bash = await findOnPath("bash", "install bash (apt-get install -y bash)");

  const kafka = await resolveKafka(kafkaVersion, { log });
  const tools = await resolveKafkaTools(kafkaVersion, { log });
  const runtimeDir = await ensureRuntime(jdk, settings.cacheDir, log);
  const entries = planRootfs({
    kafkaVersion,
    libDir: kafka.libDir,
    jars: await jarNames(kafka.libDir),
    toolsLibDir: tools.libDir,
    toolJars: await jarNames(tools.libDir),
    runtimeDir,
    busybox,
    applets: await busyboxApplets(busybox),
    bash,
    sharedLibraries: await sharedLibraries(
      [busybox, bash, ...await elfFiles(runtimeDir)],
      runtimeDir,
    ),
  });
  const contentHash = await rootfsHash(entries);
  const names = imageNames(kafkaVersion);

  const found = await imageLabel(names.apache, CONTENT_LABEL) === contentHash &&
    await imageLabel(names.confluent, CONTENT_LABEL) === contentHash;
  if (found && !settings.force) {
    log(`${names.apache} is up to date (content ${contentHash.slice(0, 12)})`);
  } else {
    const previous = await imageInfo(names.apache).catch(() => undefined);
    await importImage(entries, contentHash, names, settings);
    // The image this build replaces lost both names: drop it unless a container still runs it.
    if (previous !== undefined) await removeUnusedImage(previous.id);
  }
  const { id, sizeBytes } = await imageInfo(names.apache);
  return {
    names,
    id,
    contentHash,
    built: !found || settings.force,
    sizeBytes,
    ms: Date.now() - started,
  };
}

/** Stages `entries`, imports them as `names.apache` and tags that as `names.confluent`. */
async function importImage(
  entries: RootfsEntry[],
  contentHash: string,
  names: ImageNames,
  settings: ImageSettings,
): Promise<void> {
  const { cacheDir, kafkaVersion, log } = settings;
  await Deno.mkdir(cacheDir, { recursive: true });
  // In the cache, beside the runtime and the jars: one file system, so staging links, not copies.
  const root = await Deno.makeTempDir({ dir: cacheDir, prefix: "rootfs-" });
  try {
    log(describeRootfs(entries, root));
    await stageRootfs(entries, root);
    log(`Importing ${names.apache} ...`);
    const changes = importChanges(
      {
        PATH: `${IN_IMAGE.bin}:${IN_IMAGE.java}/bin:/usr/bin:/bin`,
        JAVA_HOME: IN_IMAGE.java,
      },
      [`${IN_IMAGE.defaults}/run`],
      {
        [CONTENT_LABEL]: contentHash,
        "org.opencontainers.image.title": "Apache Kafka (order-pipeline local build)",
        "org.opencontainers.image.version": kafkaVersion,
      },
    );
    await importRootfs(root, changes, names.apache);
    await tagImage(names.apache, names.confluent);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

async function jarNames(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name.endsWith(".jar")) names.push(entry.name);
  }
  return names.sort();
}
