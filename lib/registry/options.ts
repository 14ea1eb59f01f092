/**
 * The local schema registry's fixed choices and defaults, in one place: which
 * Apicurio Registry build, the Quarkus platform it is built with, where it is
 * cached and where it runs, and how long to wait for it.
 *
 * @module
 */
import { join } from "node:path";
import { REPO_ROOT } from "../broker/_util.ts";

/**
 * The Apicurio Registry release we build. 3.0.9 is the one whose modules
 * Maven Central serves nearly complete here; 3.3.x and 2.6.x miss modules.
 */
export const APICURIO_VERSION = "3.0.9";

/**
 * The Quarkus platform the application is built with. Apicurio 3.0.x was
 * released on Quarkus 3.15.4, but 3.15.4 to 3.15.7 miss deployment jars on
 * Maven Central here, and 3.15.3 is binary-compatible with it.
 */
export const QUARKUS_PLATFORM_VERSION = "3.15.3";

/** The only address the registry listens on: it is for this machine's tests and demos. */
export const REGISTRY_HOST = "127.0.0.1";
/** The HTTP port when none is given, as for Confluent's registry. */
export const DEFAULT_REGISTRY_PORT = 8081;
/** Where Apicurio serves the Confluent-compatible API. */
export const CCOMPAT_PATH = "/apis/ccompat/v7";
/** How long to wait for a started registry to answer, in milliseconds. */
export const DEFAULT_REGISTRY_TIMEOUT_MS = 60_000;
/** Past this after SIGTERM, the JVM gets SIGKILL. */
export const REGISTRY_STOP_TIMEOUT_MS = 15_000;
/** The pause between readiness probes. */
export const REGISTRY_POLL_MS = 200;

/**
 * The registry's JVM: in-memory H2 storage keeps little, so a small heap;
 * serial GC and a capped metaspace keep the footprint near 250 MB.
 */
export const REGISTRY_JVM_OPTIONS: readonly string[] = [
  "-Xms64m",
  "-Xmx256m",
  "-XX:+UseSerialGC",
  "-XX:MaxMetaspaceSize=160m",
  "-Djava.awt.headless=true",
];

/** Where builds are cached: `<repo root>/.cache/registry`, or `REGISTRY_CACHE_DIR`. */
export function registryCacheDir(): string {
  return Deno.env.get("REGISTRY_CACHE_DIR") ?? join(REPO_ROOT, ".cache", "registry");
}

/** Where registries keep their pid file and logs: `<repo root>/.registry-data`. */
export const REGISTRY_DATA_ROOT: string = join(REPO_ROOT, ".registry-data");

/**
 * The data directory of the registry on `port`.
 *
 * @example
 * ```ts
 * import { registryDataDir } from "./options.ts";
 * registryDataDir(18081, "/repo/.registry-data"); // "/repo/.registry-data/18081"
 * ```
 */
export function registryDataDir(port: number, root: string = REGISTRY_DATA_ROOT): string {
  return join(root, String(port));
}

/**
 * The base URL clients use for the registry on `port`.
 *
 * @example
 * ```ts
 * import { registryUrl } from "./options.ts";
 * registryUrl(8081); // "http://127.0.0.1:8081/apis/ccompat/v7"
 * ```
 */
export function registryUrl(port: number): string {
  return `http://${REGISTRY_HOST}:${port}${CCOMPAT_PATH}`;
}
