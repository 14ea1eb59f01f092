/**
 * Private helpers of the broker launcher: the repository root, file reads
 * that treat a missing file as an answer, paths for messages, and sleeps that
 * leave no timer behind.
 *
 * @module
 */
import { isAbsolute, relative } from "node:path";
import { fileURLToPath } from "node:url";

/** The directory holding `lib/`, under which `.cache/` and `.kafka-data/` live. */
export const REPO_ROOT: string = fileURLToPath(new URL("../..", import.meta.url));

/** Whether `path` exists; errors other than a missing file are thrown. */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** The text of `path`, or `undefined` when it does not exist. */
export async function readTextOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** Rethrows `error` unless it says a file was not there, for `.catch()` on removals. */
export function ignoreNotFound(error: unknown): void {
  if (!(error instanceof Deno.errors.NotFound)) throw error;
}

/**
 * `path` relative to the working directory when it lies below it, for
 * messages; otherwise `path` itself.
 *
 * @example
 * ```ts
 * import { display } from "./_util.ts";
 * display(`${Deno.cwd()}/.kafka-data/4.4.0-9092`); // ".kafka-data/4.4.0-9092"
 * ```
 */
export function display(path: string): string {
  const rel = relative(Deno.cwd(), path);
  return rel === "" ? "." : rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}

/** Sleeps `ms`, or less if `interrupt` settles first; leaves no timer behind. */
export async function sleepUnless(ms: number, interrupt?: Promise<unknown>): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const sleep = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race(interrupt ? [sleep, interrupt] : [sleep]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether `promise` settles within `ms`. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let settled = false;
  await sleepUnless(ms, promise.then(() => (settled = true)));
  return settled;
}
