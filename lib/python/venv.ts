/**
 * Python virtual environments for the tools and tests that compare us with
 * the Python reference systems (fastavro today). Each environment lives in
 * the git-ignored `.cache/python/<name>` with pinned requirements, is made on
 * first use and reused while its requirements are unchanged, so a clean
 * clone needs only `python3` with `venv` and `pip`.
 *
 * @module
 */
import { FatalError } from "../errors.ts";
import { hasCommand } from "../cli/command.ts";

/** Where environments go by default: `.cache/python` at the project root. */
export const DEFAULT_VENV_ROOT = new URL("../../.cache/python/", import.meta.url).pathname;

/** What to install, and where. */
export interface VenvOptions {
  /** The environment's folder name under `root`, e.g. `fastavro`. */
  name: string;
  /** Pinned requirements, pip's syntax: `["fastavro==1.13.1"]`. */
  requirements: readonly string[];
  /** @default {DEFAULT_VENV_ROOT} */
  root?: string;
  /** The interpreter that creates the environment. @default {"python3"} */
  python?: string;
  /** Told what is being installed, when something is. @default {undefined} */
  log?: (text: string) => void;
}

/** The file in an environment that records what was installed in it. */
const MARKER = "requirements.lock.txt";

/** The text of the marker for `requirements`: one per line, sorted, so order does not matter. */
export function requirementsText(requirements: readonly string[]): string {
  return [...requirements].map((r) => r.trim()).filter((r) => r !== "").sort().join("\n") +
    "\n";
}

function readText(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return undefined;
  }
}

async function run(command: string, args: string[]): Promise<void> {
  const { code, stdout, stderr } = await new Deno.Command(command, {
    args,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (code === 0) return;
  const text = new TextDecoder().decode(stderr).trim() || new TextDecoder().decode(stdout).trim();
  const last = text.split("\n").filter((l) => l.trim() !== "").slice(-1)[0] ?? `exit code ${code}`;
  throw new FatalError(`\`${command} ${args.join(" ")}\` failed: ${last.trim()}`);
}

/**
 * Makes sure the environment `name` exists with exactly `requirements`, and
 * returns the path of its `python`. An environment whose requirements differ
 * is made anew. It is built in a temporary folder and renamed into place,
 * so two processes starting at once never see a half-installed one. Throws
 * {@linkcode FatalError} with one line when the interpreter, `venv` or `pip`
 * is missing or an install fails.
 *
 * @example
 * ```ts ignore
 * import { ensureVenv } from "./venv.ts";
 * const python = await ensureVenv({ name: "fastavro", requirements: ["fastavro==1.13.1"] });
 * ```
 */
export async function ensureVenv(options: VenvOptions): Promise<string> {
  const { name, requirements, root = DEFAULT_VENV_ROOT, python = "python3", log } = options;
  const dir = `${root.replace(/\/$/, "")}/${name}`;
  const wanted = requirementsText(requirements);
  if (readText(`${dir}/${MARKER}`) === wanted) return `${dir}/bin/python`;
  if (!python.includes("/") && !hasCommand(python)) {
    throw new FatalError(
      `${python} is not installed: install Python 3 with venv and pip (apt-get install -y python3 python3-venv python3-pip)`,
    );
  }
  log?.(`creating the Python environment ${dir} (${requirements.join(", ")})`);
  await Deno.mkdir(root, { recursive: true });
  const building = await Deno.makeTempDir({ dir: root, prefix: `.${name}-` });
  try {
    await run(python, ["-m", "venv", building]);
    await Deno.writeTextFile(`${building}/requirements.txt`, wanted);
    await run(`${building}/bin/python`, [
      "-m",
      "pip",
      "install",
      "--quiet",
      "--disable-pip-version-check",
      "--no-input",
      "-r",
      `${building}/requirements.txt`,
    ]);
    await Deno.writeTextFile(`${building}/${MARKER}`, wanted);
    // Built beside its final place and renamed: the shebangs of its scripts
    // keep the temporary path, but only its python is ever run, and that
    // finds its environment from where it is.
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    await Deno.rename(building, dir).catch(async (error) => {
      // Another process finished first: use its environment if it matches.
      if (readText(`${dir}/${MARKER}`) !== wanted) throw error;
      await Deno.remove(building, { recursive: true });
    });
  } catch (error) {
    await Deno.remove(building, { recursive: true }).catch(() => {});
    throw error;
  }
  return `${dir}/bin/python`;
}
