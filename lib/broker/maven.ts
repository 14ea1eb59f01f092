/**
 * Running Maven: copying the runtime dependencies of a POM from Maven Central
 * into a local directory once, safely when several processes do it at the
 * same time, and turning Maven's failure output into one line.
 *
 * @module
 */
import { join } from "node:path";
import { commandOutput } from "../cli/command.ts";
import { FatalError } from "../errors.ts";
import { ignoreNotFound, readTextOrUndefined } from "./_util.ts";

/** The file beside `libs/` holding the POM whose copy is complete. */
const MARKER = "resolved.pom.xml";

/**
 * The one line worth showing from a failed Maven run: the reason of its first
 * `[ERROR]` line, without the goal and project it failed in.
 *
 * @example
 * ```ts
 * import { mavenError } from "./maven.ts";
 * mavenError("[ERROR] Failed to execute goal on project x: Could not find artifact a:b:jar:1 -> [Help 1]");
 * // "Could not find artifact a:b:jar:1"
 * ```
 */
export function mavenError(output: string): string {
  // deno-lint-ignore no-control-regex
  const lines = output.replace(/\x1b\[[0-9;]*m/g, "").split("\n").map((line) => line.trim());
  const error = lines.find((line) => /^\[ERROR\]\s*\S/.test(line));
  if (error === undefined) {
    return lines.filter((line) => line !== "").at(-1) ?? "mvn failed without output";
  }
  return error
    .replace(/^\[ERROR\]\s*/, "")
    .replace(/^Failed to execute goal (?:.*? )?on project [^:]+: /, "")
    .replace(/^Could not resolve dependencies for project \S+: /, "")
    .replace(/^Failed to collect dependencies at \S+: /, "")
    .replace(/^Failed to read artifact descriptor for \S+: /, "")
    .replace(/\s*-> \[Help \d+\]$/, "");
}

/**
 * The `mvn` arguments that copy the runtime dependencies of the POM at
 * `pomPath` into `outputDir`.
 *
 * @example
 * ```ts
 * import { mavenArgs } from "./maven.ts";
 * mavenArgs("/c/p.pom.xml", "/c/libs").at(-1); // "-DoutputDirectory=/c/libs"
 * ```
 */
export function mavenArgs(pomPath: string, outputDir: string): string[] {
  return [
    "-q",
    "-B",
    // Re-check artifacts an earlier run found missing (Maven otherwise
    // remembers a 404 for a day), e.g. a release still syncing to Central.
    "-U",
    "-Dstyle.color=never",
    "-f",
    pomPath,
    "dependency:copy-dependencies",
    "-DincludeScope=runtime",
    `-DoutputDirectory=${outputDir}`,
  ];
}

/**
 * Whether `dir` holds a completed copy of `pom`'s dependencies. The marker is
 * the POM that was resolved: a changed POM (say, a new logging backend)
 * resolves again instead of mixing old and new jars.
 */
export async function isResolved(dir: string, pom: string): Promise<boolean> {
  return await readTextOrUndefined(join(dir, MARKER)) === pom;
}

/**
 * Runs Maven to copy the runtime dependencies of `pom` from Maven Central
 * into `<dir>/libs` and marks the copy complete, so that
 * {@linkcode isResolved} answers true from then on. `what` names the
 * dependencies in errors.
 *
 * Throws a {@linkcode FatalError} naming what to install when Maven is
 * missing, or the reason when Maven Central cannot provide the jars.
 */
export async function copyDependencies(dir: string, pom: string, what: string): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  // Each run copies into its own staging directory and swaps it in at the
  // end, so two processes resolving at once never mix or delete each other's jars.
  const staging = `${join(dir, "libs")}.${crypto.randomUUID().slice(0, 8)}`;
  const result = await runMaven(pom, staging);
  if (!result.success) {
    await Deno.remove(staging, { recursive: true }).catch(ignoreNotFound);
    const decoder = new TextDecoder();
    const output = decoder.decode(result.stdout) + "\n" + decoder.decode(result.stderr);
    throw new FatalError(
      `could not resolve ${what} from Maven Central: ${mavenError(output)}; ` +
        "check network/proxy or settings.xml",
    );
  }
  await swapIn(dir, staging, pom);
}

/** Runs `mvn` on `pom` (written beside `staging` for the run) to fill `staging`. */
async function runMaven(pom: string, staging: string): Promise<Deno.CommandOutput> {
  const pomPath = `${staging}.pom.xml`;
  await Deno.writeTextFile(pomPath, pom);
  try {
    return await commandOutput("mvn", mavenArgs(pomPath, staging), {
      missing: "Maven (mvn) not found on PATH: install Maven 3.6+ (e.g. apt-get install maven) " +
        "to resolve Kafka from Maven Central",
    });
  } finally {
    await Deno.remove(pomPath);
  }
}

/** Makes `staging` the `<dir>/libs` of `pom`, unless another process already did. */
async function swapIn(dir: string, staging: string, pom: string): Promise<void> {
  const libDir = join(dir, "libs");
  const marker = join(dir, MARKER);
  if (await readTextOrUndefined(marker) === pom) {
    // Another process finished first and its jars are the same.
    await Deno.remove(staging, { recursive: true });
    return;
  }
  await Deno.remove(marker).catch(ignoreNotFound);
  await Deno.remove(libDir, { recursive: true }).catch(ignoreNotFound);
  await Deno.rename(staging, libDir);
  await Deno.writeTextFile(marker, pom);
}
