/**
 * Pins of kafkajs's source files, for the tests of the modules that replace
 * kafkajs internals at run time (`kafkajs_patch.ts`, `dead_broker.ts`): a
 * kafkajs that changes one of the files such a module was checked against
 * fails its test, instead of leaving a patch that no longer fits.
 *
 * @module
 */

/** The SHA-256 of the file at `path`, in lowercase hex. */
export async function sha256(path: URL): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(path));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The files of `expected` (paths inside the kafkajs package, mapped to
 * their SHA-256 in hex) whose content in the kafkajs loaded has another
 * hash, in the order of `expected`; empty when none changed.
 *
 * @example
 * ```ts ignore
 * import { changedKafkajsSources } from "./kafkajs_sources.ts";
 * await changedKafkajsSources({ "src/cluster/index.js": "3831a684…" }); // [] or ["src/cluster/index.js"]
 * ```
 */
export async function changedKafkajsSources(expected: Record<string, string>): Promise<string[]> {
  const changed: string[] = [];
  for (const [file, hash] of Object.entries(expected)) {
    const path = new URL(import.meta.resolve(`kafkajs/${file}`));
    if ((await sha256(path)) !== hash) changed.push(file);
  }
  return changed;
}
