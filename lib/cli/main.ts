/**
 * What every program's `main` shares: the exit-code contract (bad usage
 * exits 2 with the usage text, a runtime failure exits 1 with one line, and
 * neither shows a secret of the command line),
 * SIGINT/SIGTERM as an abort signal, and whole-line writes to stdout.
 *
 * @module
 */
import { FatalError, UsageError } from "../errors.ts";
import { redactArgs } from "./flags.ts";

/** A signal that aborts on the first SIGINT or SIGTERM; `dispose()` removes the listeners. */
export interface ShutdownSignal {
  signal: AbortSignal;
  dispose(): void;
}

/**
 * Listens for SIGINT and SIGTERM and turns them into an abort, so a program
 * can finish what is in flight and print its summary instead of dying.
 */
export function shutdownSignal(): ShutdownSignal {
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
  for (const s of signals) Deno.addSignalListener(s, onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      for (const s of signals) Deno.removeSignalListener(s, onSignal);
    },
  };
}

/**
 * Runs `run` with a {@linkcode shutdownSignal}, whose listeners stay until
 * `run` settles: a second Ctrl-C while it winds down does not kill us.
 *
 * @example
 * ```ts ignore
 * import { withShutdownSignal } from "./main.ts";
 * await withShutdownSignal((signal) => fetch("http://127.0.0.1:8081/", { signal }));
 * ```
 */
export async function withShutdownSignal<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const shutdown = shutdownSignal();
  try {
    return await run(shutdown.signal);
  } finally {
    shutdown.dispose();
  }
}

/** Settles once `signal` aborts, at once if it already has. */
export function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener("abort", () => resolve(), { once: true })
  );
}

const stdoutEncoder = new TextEncoder();

/**
 * Writes `text` and a newline to stdout synchronously and completely: a
 * partial write to a pipe is finished, and the output never interleaves.
 */
export function writeLine(text: string): void {
  const bytes = stdoutEncoder.encode(text + "\n");
  let written = 0;
  while (written < bytes.length) written += Deno.stdout.writeSync(bytes.subarray(written));
}

/**
 * Runs a script's `main` and turns its outcome into an exit code, printing
 * any failure as {@linkcode failureReport} words it.
 */
export async function runMain(
  main: (args: string[]) => Promise<number>,
  usage: string,
): Promise<never> {
  let code: number;
  try {
    code = await main(Deno.args);
  } catch (error) {
    const report = failureReport(error, usage, Deno.args);
    console.error(report.text);
    code = report.code;
  }
  Deno.exit(code);
}

/**
 * What a failed `main` prints and its exit code: a {@linkcode UsageError}
 * is its message and `usage`, exit 2; a {@linkcode FatalError} one line,
 * exit 1; anything else its message (or stack), exit 1. Whatever of `args`
 * the message quotes is shown as {@linkcode redactArgs} shows it.
 *
 * @example
 * ```ts
 * import { failureReport } from "./main.ts";
 * import { FatalError } from "../errors.ts";
 * failureReport(new FatalError("bad 'https://k:s@h'"), "", ["https://k:s@h"]);
 * // { text: "error: bad 'https://k:[redacted]@h/'", code: 1 }
 * ```
 */
export function failureReport(
  error: unknown,
  usage: string,
  args: readonly string[],
): { text: string; code: number } {
  const redact = (text: string) => redactEchoes(text, args);
  if (error instanceof UsageError) {
    return { text: `error: ${redact(error.message)}\n\n${usage}`, code: 2 };
  }
  if (error instanceof FatalError) return { text: `error: ${redact(error.message)}`, code: 1 };
  if (error instanceof Error && error.name.startsWith("KafkaJS")) {
    // A broker-side failure: the message says it; kafkajs's stack does not help.
    return { text: `error: ${redact(`${error.name}: ${error.message}`)}`, code: 1 };
  }
  const text = error instanceof Error ? error.stack ?? error.message : String(error);
  return { text: `error: ${redact(text)}`, code: 1 };
}

/**
 * `text` with each argument that {@linkcode redactArgs} changes, and the
 * value of its `--flag=value` form, replaced by the redacted one. Why here:
 * `parseArgs` and the flag checks quote what they were given
 * (`Unexpected argument '…'`, `current value is …`), and a URL with user
 * info or a `-X sasl.password=…` can land in any of them.
 */
function redactEchoes(text: string, args: readonly string[]): string {
  const shown = redactArgs(args);
  const pairs: [string, string][] = [];
  args.forEach((arg, i) => {
    if (shown[i] === arg) return;
    pairs.push([arg, shown[i]]);
    // Redaction keeps everything up to the first `=`, so the values line up.
    const eq = arg.indexOf("=");
    if (arg.startsWith("-") && eq > 0) pairs.push([arg.slice(eq + 1), shown[i].slice(eq + 1)]);
  });
  // Longest first: a value is part of its whole argument.
  pairs.sort((a, b) => b[0].length - a[0].length);
  return pairs.reduce((out, [raw, redacted]) => out.replaceAll(raw, redacted), text);
}
