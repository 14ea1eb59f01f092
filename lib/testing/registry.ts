/**
 * The schema-registry side of the integration-test harness: one real
 * registry shared by the tests of a `deno test` process, and confluent-kafka's
 * own Avro serde (Python, from PyPI) to check that our framing is theirs.
 *
 * The registry is `SCHEMA_REGISTRY_URL` when set (CI starts one with
 * `deno task registry --detach`); else the project's launcher starts one on
 * port 18091, stopped when the test process exits.
 *
 * @module
 */
import { ensureVenv } from "../python/venv.ts";
import { startRegistry } from "../registry/launch.ts";
import { hasCommand, type Requirement } from "./tools.ts";

/** The port the harness gives a registry it starts itself, apart from a developer's 8081. */
const HARNESS_REGISTRY_PORT = 18091;

/** confluent-kafka with its Avro and registry extras, pinned. */
export const CONFLUENT_REQUIREMENTS: readonly string[] = [
  "confluent-kafka[avro,schemaregistry]==2.16.1",
];

let registryPromise: Promise<string> | undefined;

/** The base URL of the test registry, starting one on first use when `SCHEMA_REGISTRY_URL` is not set. */
export function testRegistry(): Promise<string> {
  registryPromise ??= (async () => {
    const fromEnv = Deno.env.get("SCHEMA_REGISTRY_URL");
    if (fromEnv) return fromEnv.replace(/\/+$/, "");
    const registry = await startRegistry({ port: HARNESS_REGISTRY_PORT });
    globalThis.addEventListener("unload", () => {
      try {
        Deno.kill(registry.pid, "SIGTERM");
      } catch {
        // Already gone.
      }
    });
    return registry.url;
  })();
  return registryPromise;
}

/** What the registry tests need here: Java and Maven unless a registry is given, and Python 3. */
export function registryRequirements(): Requirement[] {
  const own = Deno.env.get("SCHEMA_REGISTRY_URL") === undefined;
  return [
    {
      name: "a JDK 17+ and Maven (to build the test schema registry)",
      available: !own || (hasCommand("javac") && hasCommand("mvn")),
      install: "apt-get install -y openjdk-17-jdk-headless maven, or set SCHEMA_REGISTRY_URL",
    },
    {
      name: "python3 (for confluent-kafka's Avro serde)",
      available: hasCommand("python3"),
      install: "apt-get install -y python3 python3-venv",
    },
  ];
}

/** What a run of `confluent_avro.py` printed. */
export interface PythonResult {
  code: number;
  /** Its JSON lines, parsed. */
  lines: Record<string, unknown>[];
  stderr: string;
}

/**
 * Runs `lib/testing/confluent_avro.py` in the pinned confluent-kafka
 * environment with `args`, writing `input` to its stdin.
 */
export async function confluentAvro(args: string[], input = ""): Promise<PythonResult> {
  const python = await ensureVenv({
    name: "confluent-kafka",
    requirements: CONFLUENT_REQUIREMENTS,
  });
  const script = new URL("./confluent_avro.py", import.meta.url).pathname;
  const child = new Deno.Command(python, {
    args: [script, ...args],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(input));
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  const decoder = new TextDecoder();
  const lines = decoder.decode(stdout).split("\n").filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l));
  return { code, lines, stderr: decoder.decode(stderr) };
}
