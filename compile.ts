/**
 * Builds standalone `producer`, `consumer` and `dlq_consumer` binaries into
 * `dist/` with `deno compile`, with the same permission lists as their tasks.
 *
 * `deno compile` needs the Deno runtime (`denort`) for the target: it
 * downloads it from the Deno download server, or uses the binary that
 * `DENORT_BIN` points at. Without either it stops with one line.
 *
 * Usage: `deno task compile -- [--target TRIPLE]`.
 *
 * @module
 */
import { FatalError } from "./lib/errors.ts";
import { parseCli } from "./lib/cli/args.ts";
import { runMain } from "./lib/cli/main.ts";
import { SCRIPT_PERMISSIONS, SCRIPT_V8_FLAGS } from "./lib/cli/subprocess.ts";

/** The command-line help. */
export const USAGE = `Usage: deno task compile -- [flags]

Builds dist/producer, dist/consumer and dist/dlq_consumer with deno compile.
Needs the Deno runtime download, or DENORT_BIN pointing at a denort binary.

  --target TRIPLE   cross-compile, e.g. aarch64-apple-darwin (default: this machine)
  --help            show this help`;

const PROGRAMS = ["producer", "consumer", "dlq_consumer"];

/** The `deno compile` arguments for one program. */
export function compileArgs(program: string, target?: string): string[] {
  return [
    "compile",
    // The binary runs with the heap sizing of the tasks.
    SCRIPT_V8_FLAGS,
    ...SCRIPT_PERMISSIONS,
    // The schema is read at start-up, so it travels inside the binary.
    "--include",
    "schema/order.avsc",
    ...(target ? ["--target", target] : []),
    "--output",
    `dist/${program}`,
    `${program}.ts`,
  ];
}

/** The compile CLI. Returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const { values } = parseCli(args, {
    options: { target: { type: "string" }, help: { type: "boolean" } },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const root = new URL(".", import.meta.url).pathname;
  for (const program of PROGRAMS) {
    const { code, stderr } = await new Deno.Command(Deno.execPath(), {
      args: compileArgs(program, values.target),
      cwd: root,
      stdout: "inherit",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(stderr);
    if (code !== 0) {
      if (/Setting up base binary|denort|dl\.deno\.land/.test(text)) {
        throw new FatalError(
          `deno compile could not get the Deno runtime (denort): this machine cannot reach the Deno download server. Run 'deno task compile' on a connected machine, or set DENORT_BIN to a denort binary of the same Deno version`,
        );
      }
      throw new FatalError(
        `deno compile failed for ${program}.ts: ${text.trim().split("\n").pop()}`,
      );
    }
    console.log(`Built dist/${program}`);
  }
  return 0;
}

if (import.meta.main) runMain(main, USAGE);
