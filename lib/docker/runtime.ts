/**
 * The image's Java: a `jlink` runtime of {@linkcode JAVA_MODULES} made from
 * the host's JDK, cached under a key of that JDK and those modules, so it is
 * linked once (half a minute) and reused by every later build.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { FatalError } from "../errors.ts";
import { findJava } from "../broker/java.ts";
import { display, exists } from "../broker/_util.ts";
import { JAVA_MODULES } from "./options.ts";
import { findOnPath, sha256Hex } from "./_util.ts";

const INSTALL_JDK =
  "install a JDK 17+ with jlink (e.g. apt-get install -y openjdk-17-jdk-headless) or set JAVA_HOME to one";

/**
 * `jlink`'s options besides the modules: no debug symbols, man pages or
 * headers, compressed classes, and a class-data-sharing archive, which
 * starts the broker's JVM about a third faster.
 */
export const JLINK_OPTIONS: readonly string[] = [
  "--strip-debug",
  "--no-man-pages",
  "--no-header-files",
  "--compress=2",
  "--generate-cds-archive",
];

/** A JDK on the host. */
export interface HostJdk {
  /** The JDK's home directory, holding `release`. */
  home: string;
  /** Its `jlink`. */
  jlink: string;
  /** The text of its `release` file, which names its exact version. */
  release: string;
}

/**
 * The JDK of the `java` that `findJava()` picks (`JAVA_HOME`, else `PATH`).
 * Throws a {@linkcode FatalError} saying what to install when there is no
 * Java 17+ or it has no `jlink` (a JRE).
 */
export async function findJdk(): Promise<HostJdk> {
  const java = await findJava();
  const real = await Deno.realPath(java.includes("/") ? java : await findOnPath(java, INSTALL_JDK));
  const home = dirname(dirname(real));
  const jlink = join(home, "bin", "jlink");
  if (!(await exists(jlink))) {
    throw new FatalError(`${real} has no jlink next to it: ${INSTALL_JDK}`);
  }
  const release = await Deno.readTextFile(join(home, "release")).catch(() => "");
  return { home, jlink, release };
}

/**
 * The cache key of a runtime linked from a JDK with `release` for `modules`.
 *
 * @example
 * ```ts
 * import { runtimeKey } from "./runtime.ts";
 * runtimeKey('JAVA_VERSION="17.0.15"', ["java.base"]).length; // 16
 * ```
 */
export function runtimeKey(release: string, modules: readonly string[]): string {
  return sha256Hex([release, modules.join(","), JLINK_OPTIONS.join(" ")].join("\n")).slice(0, 16);
}

/**
 * The directory of a `jlink` runtime of {@linkcode JAVA_MODULES} from `jdk`
 * under `<cacheDir>/java/<key>`: linked on first use, found afterwards.
 * Throws a {@linkcode FatalError} with `jlink`'s output when it fails (for
 * instance a JDK without `jmods`).
 */
export async function ensureRuntime(
  jdk: HostJdk,
  cacheDir: string,
  log: (line: string) => void,
): Promise<string> {
  const dir = join(cacheDir, "java", runtimeKey(jdk.release, JAVA_MODULES));
  if (await exists(join(dir, "release"))) return dir;
  log(`Linking a Java runtime of ${JAVA_MODULES.length} modules into ${display(dir)} ...`);
  await Deno.mkdir(dirname(dir), { recursive: true });
  // jlink refuses an existing output directory: link beside it, then rename.
  const partial = `${dir}.partial-${Deno.pid}`;
  await Deno.remove(partial, { recursive: true }).catch(() => {});
  const output = await new Deno.Command(jdk.jlink, {
    args: ["--add-modules", JAVA_MODULES.join(","), ...JLINK_OPTIONS, "--output", partial],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) {
    const decoder = new TextDecoder();
    const said = (decoder.decode(output.stdout) + decoder.decode(output.stderr)).trim();
    await Deno.remove(partial, { recursive: true }).catch(() => {});
    throw new FatalError(`jlink failed (${INSTALL_JDK}):\n${said}`);
  }
  await Deno.rename(partial, dir);
  return dir;
}
