/**
 * The one kafkajs version whose internals we replace at run time
 * (`kafkajs_patch.ts`, `dead_broker.ts`), and the check both make before
 * touching them: another version may have moved or changed what they
 * replace, and kafkajs as it is beats a patch written for other code.
 *
 * @module
 */
import pkg from "kafkajs/package.json" with { type: "json" };

/**
 * The kafkajs version the replaced functions were read from; `deno.json`
 * pins the same one.
 */
export const KAFKAJS_VERSION = "2.2.4";

/**
 * Whether `version` (by default that of the kafkajs loaded) is
 * {@linkcode KAFKAJS_VERSION}, the only one our patches may be applied to.
 *
 * @example
 * ```ts
 * import { isPatchableKafkajs } from "./kafkajs_version.ts";
 * isPatchableKafkajs("2.2.4"); // true
 * isPatchableKafkajs("2.3.0"); // false
 * ```
 */
export function isPatchableKafkajs(version: string = pkg.version): boolean {
  return version === KAFKAJS_VERSION;
}
