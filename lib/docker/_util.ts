/**
 * Private helpers of the image build: hashing, and running a host command
 * with a one-line hint when it is not installed.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { FatalError } from "../errors.ts";

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
  try {
    const output = await new Deno.Command(command, {
      args,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decoder = new TextDecoder();
    return {
      success: output.success,
      stdout: decoder.decode(output.stdout),
      stderr: decoder.decode(output.stderr),
    };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new FatalError(`${command} not found: ${install}`);
    }
    throw error;
  }
}
