/**
 * Command-line plumbing shared by every script: flag parsing on top of
 * `node:util` `parseArgs` (standing in for `jsr:@std/cli`, which our machines
 * cannot reach), numeric flag validation, and the exit-code contract
 * (bad usage exits 2 with the usage text, a runtime failure exits 1).
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from "node:util";

/** A bad flag or flag value. Scripts print its message and their usage, then exit 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/**
 * A failure that ends a program with one clear line and exit code 1, such as
 * an unreachable broker. The message is printed as it is, without a stack.
 */
export class FatalError extends Error {
  override name = "FatalError";
}

/**
 * Drops one leading `--`: Deno 2.9 hands it to the script for
 * `deno task produce -- 100 0.5`, and both spellings must behave the same.
 *
 * @example
 * ```ts
 * import { stripDashDash } from "./cli.ts";
 * stripDashDash(["--", "100"]); // ["100"]
 * ```
 */
export function stripDashDash(args: readonly string[]): string[] {
  return args[0] === "--" ? args.slice(1) : [...args];
}

/**
 * Parses `args` strictly with `node:util` `parseArgs` after dropping a leading
 * `--`. Unknown flags, missing values and unexpected positionals become a
 * {@linkcode UsageError}.
 */
export function parseCli<T extends ParseArgsConfig>(
  args: readonly string[],
  config: T,
): ReturnType<typeof parseArgs<T>> {
  try {
    // `strict` is parseArgs's default: unknown flags throw.
    return parseArgs<T>({ ...config, args: stripDashDash(args) });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // Node's text suggests quoting after `--`, which our scripts strip: say it plainly.
    const unknown = /^Unknown option '([^']+)'/.exec(message);
    throw new UsageError(unknown ? `unknown flag '${unknown[1]}'` : message);
  }
}

/** Bounds for {@linkcode parseNumber}. */
export interface NumberRule {
  /** Smallest allowed value, inclusive. */
  min?: number;
  /** Largest allowed value, inclusive. */
  max?: number;
  /** Whether the value must be a whole number. @default {false} */
  integer?: boolean;
}

/**
 * Converts a flag's text to a number and checks its bounds, naming the flag
 * and the bad value in the error, e.g.
 * `--fail-rate must be in [0, 1]: current value is 1.5`.
 */
export function parseNumber(
  flag: string,
  value: string | undefined,
  fallback: number,
  rule: NumberRule = {},
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  const { min, max, integer = false } = rule;
  const range = min !== undefined && max !== undefined
    ? `in [${min}, ${max}]`
    : min !== undefined
    ? `>= ${min}`
    : max !== undefined
    ? `<= ${max}`
    : "a number";
  if (value.trim() === "" || !Number.isFinite(n)) {
    throw new UsageError(`--${flag} must be ${range}: current value is '${value}'`);
  }
  if (integer && !Number.isInteger(n)) {
    throw new UsageError(`--${flag} must be a whole number: current value is ${value}`);
  }
  if ((min !== undefined && n < min) || (max !== undefined && n > max)) {
    throw new UsageError(`--${flag} must be ${range}: current value is ${value}`);
  }
  return n;
}

/**
 * The broker list: the flag, else `KAFKA_BROKERS`, else `127.0.0.1:9092`.
 */
export function resolveBrokers(flag: string | undefined): string[] {
  const raw = flag ?? Deno.env.get("KAFKA_BROKERS") ?? "127.0.0.1:9092";
  const brokers = raw.split(",").map((b) => b.trim()).filter((b) => b.length > 0);
  if (brokers.length === 0) throw new UsageError(`--brokers must list host:port pairs`);
  return brokers;
}

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
