/**
 * Running the outside programs the project drives (Java, Maven, Docker,
 * Python): whether one is installed, and its output, with one line saying
 * what to install when it is not.
 *
 * @module
 */
import { FatalError } from "../errors.ts";

const found = new Map<string, boolean>();

/** Whether `command` is an executable file on `PATH`. */
export function hasCommand(command: string): boolean {
  const cached = found.get(command);
  if (cached !== undefined) return cached;
  const dirs = (Deno.env.get("PATH") ?? "").split(":").filter((d) => d !== "");
  const present = dirs.some((dir) => {
    try {
      const info = Deno.statSync(`${dir}/${command}`);
      return info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0;
    } catch {
      return false;
    }
  });
  found.set(command, present);
  return present;
}

/**
 * Rethrows `error` from starting a command, as a {@linkcode FatalError} of
 * `missing` when it says the command is not installed: one line saying
 * what to install reads better than Deno's stack.
 *
 * @example
 * ```ts
 * import { notInstalled } from "./command.ts";
 * try {
 *   new Deno.Command("no-such-command-42").spawn();
 * } catch (error) {
 *   notInstalled(error, "install it"); // throws FatalError("install it")
 * }
 * ```
 */
export function notInstalled(error: unknown, missing: string): never {
  if (error instanceof Deno.errors.NotFound) throw new FatalError(missing);
  throw error;
}

/** Options for {@linkcode commandOutput}. */
export interface CommandOptions {
  /** The FatalError message when the command is not installed. */
  missing: string;
  /** Extra environment. */
  env?: Record<string, string>;
  /** Working directory. */
  cwd?: string;
}

/**
 * Runs `command` with `args` to completion, its output captured, or throws
 * a {@linkcode FatalError} with `options.missing` when it is not installed.
 */
export async function commandOutput(
  command: string,
  args: string[],
  options: CommandOptions,
): Promise<Deno.CommandOutput> {
  try {
    return await new Deno.Command(command, {
      args,
      env: options.env,
      cwd: options.cwd,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch (error) {
    notInstalled(error, options.missing);
  }
}
