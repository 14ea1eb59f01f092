/**
 * Runs the project's scripts as subprocesses with the same permissions as
 * their tasks: the demo and the bench drive the pipeline this way, and the
 * end-to-end tests do too (a real process can be killed with SIGKILL).
 *
 * @module
 */

/** A finished subprocess. */
export interface ScriptResult {
  code: number;
  stdout: string;
  stderr: string;
}

const ROOT = new URL("../..", import.meta.url);
/** The permissions of the produce, consume, dlq and stats tasks. */
export const SCRIPT_PERMISSIONS = ["--allow-net", "--allow-env", "--allow-read"];

/**
 * The V8 heap sizing of the produce, consume, dlq and stats tasks. V8 sizes
 * its heap for throughput: 16 MB semi-spaces for new objects and an old
 * generation let grow to up to four times what is live before it is
 * collected. For these programs, whose live set is ~10 MB and whose garbage
 * is all per order, that held 130-165 MB (RSS) over a million orders. Capped
 * at 1 MB semi-spaces and a growth of 100% of what is live, the producer and
 * the consumer stay under 100 MB for some 15-25% more CPU (README,
 * Performance).
 */
export const SCRIPT_V8_FLAGS = "--v8-flags=--max-semi-space-size=1,--heap-growing-percent=100";

/** The permissions of the tasks that also start brokers and programs: broker, demo, bench. */
export const LAUNCHER_PERMISSIONS = [
  ...SCRIPT_PERMISSIONS,
  "--allow-write",
  "--allow-run",
  "--allow-sys",
];

/**
 * Builds the `deno run` command for one of our scripts, with the tasks'
 * permissions, and for the pipeline's programs their tasks' {@linkcode SCRIPT_V8_FLAGS}.
 */
export function scriptCommand(
  script: string,
  args: string[],
  env: Record<string, string> = {},
  permissions: string[] = SCRIPT_PERMISSIONS,
): Deno.Command {
  const v8 = permissions === SCRIPT_PERMISSIONS ? [SCRIPT_V8_FLAGS] : [];
  return new Deno.Command(Deno.execPath(), {
    args: ["run", ...v8, ...permissions, new URL(script, ROOT).pathname, ...args],
    cwd: ROOT.pathname,
    env: { NO_COLOR: "1", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
}

/** Runs one of our scripts to completion and returns its exit code and output. */
export async function runScript(
  script: string,
  args: string[],
  env: Record<string, string> = {},
  permissions: string[] = SCRIPT_PERMISSIONS,
): Promise<ScriptResult> {
  const { code, stdout, stderr } = await scriptCommand(script, args, env, permissions).output();
  const decoder = new TextDecoder();
  return { code, stdout: decoder.decode(stdout), stderr: decoder.decode(stderr) };
}

/** A running script whose output is collected as it comes. */
export interface RunningScript {
  child: Deno.ChildProcess;
  /** Output so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves when the process exits. */
  done: Promise<ScriptResult>;
}

/** Starts one of our scripts in the background, collecting its output. */
export function spawnScript(
  script: string,
  args: string[],
  env: Record<string, string> = {},
  permissions: string[] = SCRIPT_PERMISSIONS,
): RunningScript {
  const child = scriptCommand(script, args, env, permissions).spawn();
  let out = "";
  let err = "";
  const pump = async (stream: ReadableStream<Uint8Array>, add: (s: string) => void) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) add(decoder.decode(chunk, { stream: true }));
  };
  const pumps = Promise.all([
    pump(child.stdout, (s) => (out += s)),
    pump(child.stderr, (s) => (err += s)),
  ]);
  const done = (async () => {
    const [status] = await Promise.all([child.status, pumps]);
    return { code: status.code, stdout: out, stderr: err };
  })();
  return { child, stdout: () => out, stderr: () => err, done };
}

/**
 * Waits until `script` prints a line on stdout that `pattern` matches and
 * returns the first group of the match; `undefined` when the script exits
 * first or `timeoutMs` passes.
 */
export async function waitForOutput(
  script: RunningScript,
  pattern: RegExp,
  timeoutMs = 30_000,
): Promise<string | undefined> {
  let exited = false;
  script.done.then(() => (exited = true), () => (exited = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = pattern.exec(script.stdout());
    if (match !== null) return match[1] ?? match[0];
    if (exited) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return undefined;
}
