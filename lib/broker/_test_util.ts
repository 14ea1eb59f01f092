/**
 * Helpers of the broker launcher's tests.
 *
 * @module
 */

/**
 * The `group:artifact:version` of every dependency in a POM, in order.
 *
 * @example
 * ```ts
 * import { dependencies } from "./_test_util.ts";
 * import { pomXml } from "./pom.ts";
 * dependencies(pomXml("4.4.0"))[0]; // "org.apache.kafka:kafka_2.13:4.4.0"
 * ```
 */
export function dependencies(pom: string): string[] {
  return [...pom.matchAll(/<dependency>\s*([\s\S]*?)\s*<\/dependency>/g)].map((match) => {
    const field = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(match[1])![1];
    return `${field("groupId")}:${field("artifactId")}:${field("version")}`;
  });
}
