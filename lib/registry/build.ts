/**
 * Building the local schema registry: Apicurio Registry 3.0.9 as a Quarkus
 * application, from Maven Central only, into `.cache/registry/`. The first
 * build fetches about 250 MB into a private local repository, installs the
 * stand-ins (see `standins.ts`) and runs the Quarkus Maven plugin; later
 * calls find the finished build and run nothing.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { commandOutput } from "../cli/command.ts";
import { FatalError } from "../errors.ts";
import { display, exists, ignoreNotFound, readTextOrUndefined } from "../broker/_util.ts";
import { findJava } from "../broker/java.ts";
import { mavenError } from "../broker/maven.ts";
import { APICURIO_VERSION, QUARKUS_PLATFORM_VERSION, registryCacheDir } from "./options.ts";
import { appPomXml, appProperties, fetchPomXml, mavenArgs, settingsXml } from "./pom.ts";
import {
  APICURIO_GROUP,
  categoryNames,
  CONFIG_DEFINITIONS_DROPPED,
  configTypeSources,
  PARENT_FROM,
  parentPom,
  STAND_INS,
  standInPom,
} from "./standins.ts";

/** The CDI API the generated `@Info` compiles against (for `@Nonbinding`). */
const CDI_API = "jakarta.enterprise:jakarta.enterprise.cdi-api:4.1.0";

/** A built registry. */
export interface RegistryBuild {
  /** The `java -jar` file; its `lib/` is beside it. */
  runnerJar: string;
  /** Whether it was there already. */
  cached: boolean;
  /** How long this call took, in milliseconds. */
  tookMs: number;
}

/** Options of {@linkcode buildRegistry}. */
export interface BuildRegistryOptions {
  /** @default {registryCacheDir()} */
  cacheDir?: string;
  /** Receives progress lines. @default {no output} */
  log?: (line: string) => void;
}

/** The files of a build under the cache directory. */
export function buildPaths(cacheDir: string) {
  const app = join(cacheDir, `apicurio-${APICURIO_VERSION}`);
  return {
    /** The private local Maven repository. */
    m2: join(cacheDir, "m2"),
    settings: join(cacheDir, "settings.xml"),
    /** Where the stand-ins are made. */
    work: join(cacheDir, "stand-ins"),
    app,
    runnerJar: join(app, "target", "apicurio-registry-local-1-runner.jar"),
    /** Holds the project's POM and properties once a build with them completed. */
    marker: join(app, "built.txt"),
  };
}

/** What a finished build was made from (its marker's text): a changed POM or property rebuilds. */
export function buildKey(): string {
  return `${appPomXml()}\n${appProperties()}\nstand-ins: ${JSON.stringify(STAND_INS)}\n`;
}

/**
 * Makes the registry's runner jar available: cached when a build of the same
 * project finished before, else built with Maven (minutes the first time).
 * Throws a {@linkcode FatalError} with one line when Java (a JDK: `javac` and
 * `jar` too), Maven or an artifact is missing.
 *
 * @example
 * ```ts ignore
 * import { buildRegistry } from "./build.ts";
 * const { runnerJar } = await buildRegistry({ log: console.log });
 * ```
 */
export async function buildRegistry(opts: BuildRegistryOptions = {}): Promise<RegistryBuild> {
  const begin = Date.now();
  const { cacheDir = registryCacheDir(), log = () => {} } = opts;
  const paths = buildPaths(cacheDir);
  const key = buildKey();
  if (await readTextOrUndefined(paths.marker) === key && await exists(paths.runnerJar)) {
    return { runnerJar: paths.runnerJar, cached: true, tookMs: Date.now() - begin };
  }
  const java = await findJava();
  const jdk = jdkTools(java);
  log(
    `Building Apicurio Registry ${APICURIO_VERSION} (Quarkus ${QUARKUS_PLATFORM_VERSION}) ` +
      `from Maven Central into ${display(cacheDir)} (first time: about 2 min, 250 MB) ...`,
  );
  await Deno.mkdir(paths.m2, { recursive: true });
  await Deno.writeTextFile(paths.settings, settingsXml(paths.m2));
  await installStandIns(paths, jdk);
  await Deno.remove(paths.marker).catch(ignoreNotFound);
  await Deno.mkdir(join(paths.app, "src", "main", "resources"), { recursive: true });
  await Deno.writeTextFile(join(paths.app, "pom.xml"), appPomXml());
  await Deno.writeTextFile(
    join(paths.app, "src", "main", "resources", "application.properties"),
    appProperties(),
  );
  await maven(paths.settings, ["-f", join(paths.app, "pom.xml"), "package"], "the registry");
  await Deno.writeTextFile(paths.marker, key);
  const tookMs = Date.now() - begin;
  log(`Built Apicurio Registry ${APICURIO_VERSION} in ${(tookMs / 1000).toFixed(0)} s`);
  return { runnerJar: paths.runnerJar, cached: false, tookMs };
}

/** `javac` and `jar` of the JDK whose `java` is `java`. */
function jdkTools(java: string): { javac: string; jar: string } {
  const bin = java === "java" ? "" : dirname(java);
  return { javac: bin ? join(bin, "javac") : "javac", jar: bin ? join(bin, "jar") : "jar" };
}

/**
 * Installs the stand-in parent POM and modules into the private local
 * repository as 3.0.9, unless an earlier build did. Written straight into the
 * repository layout: files without `_remote.repositories` count as installed
 * locally, and this saves a Maven start per file.
 */
async function installStandIns(
  paths: ReturnType<typeof buildPaths>,
  jdk: { javac: string; jar: string },
): Promise<void> {
  const installed = join(paths.work, "installed.txt");
  const key = JSON.stringify(STAND_INS);
  if (await readTextOrUndefined(installed) === key) return;
  const fetched = join(paths.work, "fetched");
  await Deno.remove(paths.work, { recursive: true }).catch(ignoreNotFound);
  await Deno.mkdir(fetched, { recursive: true });
  // Two fetches: the app jar's POM names the 3.0.9 parent, so it resolves
  // only once the stand-in parent is installed.
  await fetchFiles(paths, "sources", fetched, [
    `${APICURIO_GROUP}:apicurio-registry:${PARENT_FROM}:pom`,
    CDI_API,
    ...STAND_INS.map((s) => `${APICURIO_GROUP}:${s.artifactId}:${s.from}`),
  ]);
  const parent = await Deno.readTextFile(join(fetched, `apicurio-registry-${PARENT_FROM}.pom`));
  await installFile(
    paths.m2,
    "apicurio-registry",
    "pom",
    new TextEncoder().encode(parentPom(parent)),
  );
  await fetchFiles(paths, "app", fetched, [
    `${APICURIO_GROUP}:apicurio-registry-app:${APICURIO_VERSION}`,
  ]);
  for (const standIn of STAND_INS) {
    const source = join(fetched, `${standIn.artifactId}-${standIn.from}.jar`);
    const jar = standIn.addsConfigTypes
      ? await withConfigTypes(source, fetched, paths.work, jdk)
      : source;
    await installFile(paths.m2, standIn.artifactId, "jar", await Deno.readFile(jar));
    await installFile(
      paths.m2,
      standIn.artifactId,
      "pom",
      new TextEncoder().encode(standInPom(standIn)),
    );
  }
  await Deno.writeTextFile(installed, key);
}

/** Copies `artifacts` (without their dependencies) from Maven Central into `outputDir`. */
async function fetchFiles(
  paths: ReturnType<typeof buildPaths>,
  name: string,
  outputDir: string,
  artifacts: string[],
): Promise<void> {
  const pom = join(paths.work, `fetch-${name}.pom.xml`);
  await Deno.writeTextFile(pom, fetchPomXml(artifacts, outputDir));
  await maven(paths.settings, ["-f", pom, "dependency:copy"], "the stand-ins' sources");
}

/** Writes `bytes` as `<artifactId>-3.0.9.<extension>` of Apicurio's group into `m2`. */
async function installFile(
  m2: string,
  artifactId: string,
  extension: string,
  bytes: Uint8Array,
): Promise<void> {
  const dir = join(m2, ...APICURIO_GROUP.split("."), artifactId, APICURIO_VERSION);
  await Deno.mkdir(dir, { recursive: true });
  // A 404 remembered from an earlier run would hide the file from Maven.
  await Deno.remove(join(dir, `${artifactId}-${APICURIO_VERSION}.${extension}.lastUpdated`))
    .catch(ignoreNotFound);
  await Deno.writeFile(join(dir, `${artifactId}-${APICURIO_VERSION}.${extension}`), bytes);
}

/**
 * The 3.0.6 `config-definitions` jar at `source` with the old `Info` and its
 * stale index out and the generated configuration types in; the constants
 * of the enum come from the 3.0.9 app jar in `fetched`.
 */
async function withConfigTypes(
  source: string,
  fetched: string,
  work: string,
  jdk: { javac: string; jar: string },
): Promise<string> {
  const appClasses = join(work, "app-classes");
  const classes = join(work, "config-definitions");
  const sources = join(work, "config-sources");
  for (const dir of [appClasses, classes, sources]) await Deno.mkdir(dir, { recursive: true });
  await tool(
    jdk.jar,
    ["xf", join(fetched, `apicurio-registry-app-${APICURIO_VERSION}.jar`)],
    appClasses,
  );
  await tool(jdk.jar, ["xf", source], classes);
  for (const entry of CONFIG_DEFINITIONS_DROPPED) {
    await Deno.remove(join(classes, entry), { recursive: true }).catch(ignoreNotFound);
  }
  const files: string[] = [];
  for (const { path, text } of configTypeSources(categoryNames(await classFiles(appClasses)))) {
    await Deno.mkdir(dirname(join(sources, path)), { recursive: true });
    await Deno.writeTextFile(join(sources, path), text);
    files.push(join(sources, path));
  }
  const [, artifact, version] = CDI_API.split(":");
  const cdiJar = join(fetched, `${artifact}-${version}.jar`);
  await tool(jdk.javac, ["--release", "17", "-d", classes, "-cp", cdiJar, ...files], work);
  const jar = join(work, "apicurio-registry-config-definitions.jar");
  await tool(jdk.jar, ["cf", jar, "-C", classes, "."], work);
  return jar;
}

/** The bytes of every `.class` file under `dir`. */
async function classFiles(dir: string): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) out.push(...await classFiles(path));
    else if (entry.name.endsWith(".class")) out.push(await Deno.readFile(path));
  }
  return out;
}

/** Runs a JDK tool in `cwd`; a missing tool or a failure is a one-line {@linkcode FatalError}. */
async function tool(command: string, args: string[], cwd: string): Promise<void> {
  const result = await output(
    command,
    args,
    cwd,
    `${command} not found: the registry build needs a JDK 17+, not only a JRE ` +
      "(e.g. apt-get install openjdk-17-jdk-headless, or set JAVA_HOME)",
  );
  if (!result.ok) throw new FatalError(`${command} ${args[0]} failed: ${firstLine(result.text)}`);
}

/** Runs Maven with the generated settings; its failure becomes one line naming `what`. */
async function maven(settings: string, goals: string[], what: string): Promise<void> {
  const result = await output(
    "mvn",
    mavenArgs(settings, goals),
    dirname(settings),
    "Maven (mvn) not found on PATH: install Maven 3.6+ (e.g. apt-get install maven) " +
      "to build the schema registry",
  );
  if (!result.ok) {
    throw new FatalError(
      `could not build ${what} from Maven Central: ${mavenError(result.text)}`,
    );
  }
}

/** Runs `command`, returning whether it succeeded and its output. */
async function output(
  command: string,
  args: string[],
  cwd: string,
  missing: string,
): Promise<{ ok: boolean; text: string }> {
  const result = await commandOutput(command, args, { cwd, missing });
  const decoder = new TextDecoder();
  return {
    ok: result.success,
    text: decoder.decode(result.stdout) + "\n" + decoder.decode(result.stderr),
  };
}

function firstLine(text: string): string {
  return text.split("\n").map((line) => line.trim()).find((line) => line !== "") ?? "no output";
}
