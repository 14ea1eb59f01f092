/**
 * Finding a Java 17+ to run Kafka with, and saying what to install when there
 * is none.
 *
 * @module
 */
import { join } from "node:path";
import { commandOutput } from "../cli/command.ts";
import { FatalError } from "../errors.ts";

/** The oldest Java that Kafka 3.9 and 4.x brokers run on. */
const MIN_JAVA = 17;

const INSTALL_JAVA =
  "install a JDK 17 (e.g. apt-get install openjdk-17-jre-headless) or set JAVA_HOME";

/**
 * The major version in the output of `java -version`, or `undefined` when it
 * names none.
 *
 * @example
 * ```ts
 * import { javaMajorVersion } from "./java.ts";
 * javaMajorVersion('openjdk version "17.0.15" 2025-04-15'); // 17
 * javaMajorVersion('java version "1.8.0_402"'); // 8
 * ```
 */
export function javaMajorVersion(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}

/**
 * The `java` to run: `$JAVA_HOME/bin/java` when `JAVA_HOME` is set, else the
 * one on `PATH`. Throws a {@linkcode FatalError} saying what to install unless
 * it is Java 17 or newer.
 *
 * @example
 * ```ts ignore
 * import { findJava } from "./java.ts";
 * const java = await findJava(); // "java", or "/usr/lib/jvm/…/bin/java"
 * ```
 */
export async function findJava(): Promise<string> {
  const home = Deno.env.get("JAVA_HOME");
  const java = home ? join(home, "bin", "java") : "java";
  const output = await commandOutput(java, ["-version"], {
    missing: home
      ? `Java 17+ not found: JAVA_HOME is ${home} but it has no bin/java; ${INSTALL_JAVA}`
      : `Java 17+ not found on PATH: ${INSTALL_JAVA}`,
  });
  const decoder = new TextDecoder();
  // `java -version` writes to stderr; some builds also write to stdout.
  const major = javaMajorVersion(decoder.decode(output.stderr) + decoder.decode(output.stdout));
  if (major === undefined || major < MIN_JAVA) {
    const found = major === undefined ? "an unknown version" : `Java ${major}`;
    throw new FatalError(`Java 17+ required but ${java} is ${found}: ${INSTALL_JAVA}`);
  }
  return java;
}
