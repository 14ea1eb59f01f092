/**
 * What every program's `main` shares: the exit-code contract (bad usage
 * exits 2 with the usage text, a runtime failure exits 1 with one line),
 * SIGINT/SIGTERM as an abort signal, and whole-line writes to stdout.
 *
 * @module
 */
import { FatalError, UsageError } from "../errors.ts";

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
 * Runs a script's `main` and turns its outcome into an exit code:
 * a {@linkcode UsageError} prints the message and `usage` and exits 2,
 * a {@linkcode FatalError} prints one line and exits 1, and anything else
 * prints its message and exits 1.
 */
export async function runMain(
  main: (args: string[]) => Promise<number>,
  usage: string,
): Promise<never> {
  let code: number;
  try {
    code = await main(Deno.args);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`error: ${error.message}\n\n${usage}`);
      code = 2;
    } else if (error instanceof FatalError) {
      console.error(`error: ${error.message}`);
      code = 1;
    } else if (error instanceof Error && error.name.startsWith("KafkaJS")) {
      // A broker-side failure: the message says it; kafkajs's stack does not help.
      console.error(`error: ${error.name}: ${error.message}`);
      code = 1;
    } else {
      console.error(`error: ${error instanceof Error ? error.stack ?? error.message : error}`);
      code = 1;
    }
  }
  Deno.exit(code);
}
