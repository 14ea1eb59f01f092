/**
 * Flag parsing on top of `node:util` `parseArgs` (standing in for
 * `jsr:@std/cli`, which our machines cannot reach) and numeric flag
 * validation that names the flag and the bad value.
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "../errors.ts";

/**
 * Drops one leading `--`: Deno 2.9 hands it to the script for
 * `deno task produce -- 100 0.5`, and both spellings must behave the same.
 *
 * @example
 * ```ts
 * import { stripDashDash } from "./args.ts";
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
    const what = range === "a number" ? range : `a number ${range}`;
    throw new UsageError(`--${flag} must be ${what}: current value is '${value}'`);
  }
  if (integer && !Number.isInteger(n)) {
    throw new UsageError(`--${flag} must be a whole number: current value is ${value}`);
  }
  if ((min !== undefined && n < min) || (max !== undefined && n > max)) {
    throw new UsageError(`--${flag} must be ${range}: current value is ${value}`);
  }
  return n;
}

/** A flag that must not be blank when given: `--topic ""` is a usage error. */
export function nonEmpty(flag: string, value: string | undefined): string | undefined {
  if (value !== undefined && value.trim() === "") {
    throw new UsageError(`--${flag} must not be empty`);
  }
  return value;
}

/**
 * {@linkcode parseNumber} bound to a program's parsed flag values, so each
 * numeric flag reads as one line.
 *
 * @example
 * ```ts
 * import { numberFlags } from "./args.ts";
 * const n = numberFlags({ count: "5" });
 * n("count", 100, { min: 0, integer: true }); // 5
 * n("rate", 0); // 0
 * ```
 */
export function numberFlags(
  values: Readonly<Record<string, unknown>>,
): (flag: string, fallback: number, rule?: NumberRule) => number {
  return (flag, fallback, rule) =>
    parseNumber(flag, values[flag] as string | undefined, fallback, rule);
}
