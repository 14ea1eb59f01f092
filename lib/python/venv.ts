/**
 * Python virtual environments for tools from PyPI, made on first use in
 * `.cache/python/<name>` (git-ignored) with pinned requirements, and reused
 * while the requirements stay the same. Minimal on purpose: one function.
 *
 * @module
 */
import { join } from "node:path";
import { FatalError } from "../errors.ts";
import { display, readTextOrUndefined, REPO_ROOT } from "../broker/_util.ts";

/** Options of {@linkcode pythonVenv}. */
export interface VenvOptions {
  /** @default {"<repo root>/.cache/python"} */
  root?: string;
  /** The interpreter that makes the environment. @default {"python3"} */
  python?: string;
  /** Receives one line when the environment is made. @default {no output} */
  log?: (line: string) => void;
}

/**
 * The `python` of the environment `name`, holding exactly `requirements`
 * (pip specifiers, pinned: `confluent-kafka==2.16.1`). Made on first use, or
 * again when the requirements changed. Throws a {@linkcode FatalError} with
 * one line when Python 3 or its venv module is missing, or pip fails.
 *
 * @example
 * ```ts ignore
 * import { pythonVenv } from "./venv.ts";
 * const python = await pythonVenv("confluent", ["confluent-kafka[avro]==2.16.1"]);
 * ```
 */
export async function pythonVenv(
  name: string,
  requirements: readonly string[],
  opts: VenvOptions = {},
): Promise<string> {
  const { root = join(REPO_ROOT, ".cache", "python"), python = "python3", log = () => {} } = opts;
  const dir = join(root, name);
  const bin = join(dir, "bin", "python");
  const marker = join(dir, "requirements.txt");
  const wanted = requirements.join("\n") + "\n";
  if (await readTextOrUndefined(marker) === wanted) return bin;
  log(`Making the Python environment ${display(dir)} (${requirements.join(", ")}) ...`);
  await run(python, ["-m", "venv", "--clear", dir], `${python} -m venv`);
  // pip refuses an empty install; an environment with no requirements is just Python.
  if (requirements.length > 0) {
    await run(
      bin,
      ["-m", "pip", "install", "-q", "--disable-pip-version-check", ...requirements],
      "pip install",
    );
  }

  await Deno.writeTextFile(marker, wanted);
  return bin;
}

async function run(command: string, args: string[], what: string): Promise<void> {
  let result: Deno.CommandOutput;
  try {
    result = await new Deno.Command(command, {
      args,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    })
      .output();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new FatalError(
        `${command} not found: install Python 3.9+ with venv (e.g. apt-get install python3-venv)`,
      );
    }
    throw error;
  }
  if (!result.success) {
    const text = new TextDecoder().decode(result.stderr).trim().split("\n").at(-1) ?? "";
    throw new FatalError(`${what} failed: ${text}`);
  }
}
