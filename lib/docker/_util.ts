/**
 * Private helpers of the image build: hashing, and finding and running a
 * host command with a one-line hint when it is not installed.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import { FatalError } from "../errors.ts";
import { exists } from "../broker/_util.ts";
import { commandOutput } from "../cli/command.ts";

/** The SHA-256 of `text`, in hex. */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** What a finished command printed. */
export interface CommandText {
  success: boolean;
  stdout: string;
  stderr: string;
}

/**
 * Runs `command` with `args` to completion. Throws a {@linkcode FatalError}
 * of `${command} not found: ${install}` when it is not installed.
 */
export async function commandText(
  command: string,
  args: string[],
  install: string,
): Promise<CommandText> {
  const output = await commandOutput(command, args, {
    missing: `${command} not found: ${install}`,
  });
  const decoder = new TextDecoder();
  return {
    success: output.success,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

/**
 * The absolute path of `command` on `PATH`. Throws a {@linkcode FatalError}
 * of `${command} not found: ${install}` when it is not there.
 */
export async function findOnPath(command: string, install: string): Promise<string> {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":").filter(Boolean)) {
    if (await exists(join(dir, command))) return join(dir, command);
  }
  throw new FatalError(`${command} not found: ${install}`);
}
