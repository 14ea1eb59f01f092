/**
 * `server.properties` text and the `KAFKA_*` environment that both image
 * contracts (Apache's `/etc/kafka/docker/run`, Confluent's
 * `/etc/confluent/docker/run`) turn into it: `KAFKA_LOG_DIRS` is `log.dirs`,
 * `__` stands for `_` and `___` for `-`. Inside the image Kafka's own
 * `kafka.docker.KafkaDockerWrapper` does that conversion; this module goes
 * the other way, so that a container started by the test harness gets the
 * launcher's settings through the environment.
 *
 * @module
 */

/**
 * The `key=value` pairs of a properties text, in order; comments and blank
 * lines are skipped. Only the `key=value` form that `serverProperties()`
 * writes is read: no continuation lines or `:` separators.
 *
 * @example
 * ```ts
 * import { parseProperties } from "./properties.ts";
 * parseProperties("# c\nnode.id=1\nlog.dirs=/d\n");
 * // [["node.id", "1"], ["log.dirs", "/d"]]
 * ```
 */
export function parseProperties(text: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith("!")) continue;
    const at = line.indexOf("=");
    if (at === -1) throw new SyntaxError(`not a key=value line: '${line}'`);
    pairs.push([line.slice(0, at).trim(), line.slice(at + 1).trim()]);
  }
  return pairs;
}

/**
 * `text` with the value of each key of `overrides` replaced where the key
 * is set, and the keys it does not set appended, so a reader sees every
 * setting once and in the original order.
 *
 * @example
 * ```ts
 * import { withProperties } from "./properties.ts";
 * withProperties("a=1\nb=2\n", { b: "3", c: "4" }); // "a=1\nb=3\nc=4\n"
 * ```
 */
export function withProperties(text: string, overrides: Record<string, string>): string {
  const left = new Map(Object.entries(overrides));
  const lines = text.replace(/\n$/, "").split("\n").map((line) => {
    const key = /^\s*([^#!\s][^=]*?)\s*=/.exec(line)?.[1];
    if (key === undefined || !left.has(key)) return line;
    const value = left.get(key);
    left.delete(key);
    return `${key}=${value}`;
  });
  for (const [key, value] of left) lines.push(`${key}=${value}`);
  return lines.join("\n") + "\n";
}

/**
 * The environment variable that sets property `key` in both image
 * contracts: `.` becomes `_`, `_` becomes `__`, `-` becomes `___`, all upper
 * case, after `KAFKA_`.
 *
 * @example
 * ```ts
 * import { propertyEnvName } from "./properties.ts";
 * propertyEnvName("transaction.state.log.min.isr"); // "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR"
 * propertyEnvName("listener.name.internal.ssl-key_x"); // "KAFKA_LISTENER_NAME_INTERNAL_SSL___KEY__X"
 * ```
 */
export function propertyEnvName(key: string): string {
  const name = key.replaceAll("_", "__").replaceAll("-", "___").replaceAll(".", "_");
  return `KAFKA_${name.toUpperCase()}`;
}

/**
 * The `KAFKA_*` environment that sets each property of `text` except the
 * `omit`ted keys, for a container whose image builds `server.properties`
 * from its environment.
 *
 * @example
 * ```ts
 * import { propertiesEnvironment } from "./properties.ts";
 * propertiesEnvironment("node.id=1\nnum.partitions=3\n", ["node.id"]);
 * // { KAFKA_NUM_PARTITIONS: "3" }
 * ```
 */
export function propertiesEnvironment(
  text: string,
  omit: readonly string[] = [],
): Record<string, string> {
  const skip = new Set(omit);
  return Object.fromEntries(
    parseProperties(text)
      .filter(([key]) => !skip.has(key))
      .map(([key, value]) => [propertyEnvName(key), value]),
  );
}
