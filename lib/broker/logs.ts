/**
 * What to show of a broker's logs when it failed: the part of `server.log`
 * written by this run, or the JVM's own output when logging never started,
 * cut down to the error and the last lines.
 *
 * @module
 */
import type { DataDirFiles } from "./data_dir.ts";
import { display, ignoreNotFound, readTextOrUndefined } from "./_util.ts";

/** How many of the last log lines an excerpt shows. */
const LOG_TAIL_LINES = 20;

/**
 * The size of the file at `path` in bytes, or 0 when it does not exist: where
 * the next run's part of a log begins.
 */
export async function logSize(path: string): Promise<number> {
  return await Deno.stat(path).then((info) => info.size, () => 0);
}

/**
 * What the broker logged since `since` (a byte offset into `server.log`, so
 * errors of earlier runs stay out), or the JVM's own output when it logged
 * nothing, as the tail of an error message: it starts with `; from <file>:`.
 */
export async function logTail(files: DataDirFiles, since = 0): Promise<string> {
  const log = await Deno.readFile(files.serverLog).catch((error) => {
    ignoreNotFound(error);
    return new Uint8Array();
  });
  // A log smaller than `since` has rolled over: all of it is new.
  const fresh = new TextDecoder().decode(log.subarray(log.length < since ? 0 : since)).trim();
  if (fresh) return `; from ${display(files.serverLog)}:\n${logExcerpt(fresh)}`;
  const out = (await readTextOrUndefined(files.jvmOut))?.trim();
  if (out) return `; from ${display(files.jvmOut)}:\n${logExcerpt(out)}`;
  return `; nothing in ${display(files.logs)}`;
}

/**
 * The part of a Kafka log worth showing when the broker failed: the last
 * `ERROR` or `FATAL` record with the `Caused by:` lines of its stack trace,
 * which name the root cause that the tail often scrolls past, then the last
 * `lines` lines.
 *
 * @example
 * ```ts
 * import { logExcerpt } from "./logs.ts";
 * logExcerpt("[t] INFO a (x)\n[t] ERROR b (y)\n\tat z\nCaused by: c\n[t] INFO d (x)", 1);
 * // "[t] ERROR b (y)\nCaused by: c\n...\n[t] INFO d (x)"
 * ```
 */
export function logExcerpt(log: string, lines = LOG_TAIL_LINES): string {
  const all = log.split("\n");
  const tail = all.slice(-lines);
  const record = /^\[[^\]]+\] /;
  const last = all.findLastIndex((line) => /^\[[^\]]+\] (ERROR|FATAL) /.test(line));
  if (last < 0 || last >= all.length - lines) return tail.join("\n");
  const summary = [all[last]];
  for (const line of all.slice(last + 1)) {
    if (record.test(line)) break;
    if (line.startsWith("Caused by: ")) summary.push(line);
  }
  return [...summary, "...", ...tail].join("\n");
}
