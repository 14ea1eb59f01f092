/**
 * Client properties in the ecosystem's own format: a properties file of
 * `key=value` lines (as kcat's `-F`, confluent-kafka's examples and the Java
 * client read them) and repeatable `-X key=value` overrides (kcat's flag).
 * This module reads the syntax only; what the keys mean is
 * `client_config.ts`. Errors name the file, the line and the key, never a
 * value: a value may be a password.
 *
 * @module
 */
import { UsageError } from "../errors.ts";

/** One property and where it was set, for messages. */
export interface Property {
  value: string;
  /** `path line N` for a file, `-X` for an override. */
  origin: string;
}

/** Properties by key; later settings replace earlier ones. */
export type Properties = Map<string, Property>;

/**
 * Parses the text of a properties file: one `key=value` per line, split at
 * the first `=`, key and value trimmed; blank lines and lines starting with
 * `#` or `!` are skipped; a line ending in `\` continues on the next (the
 * Java client's docs write long `sasl.jaas.config` values that way). A key
 * set twice keeps its last value, as in Java. No other escapes are read.
 *
 * @example
 * ```ts
 * import { parseProperties } from "./properties.ts";
 * const props = parseProperties("# cluster\nbootstrap.servers = b1:9092\n", "client.properties");
 * props.get("bootstrap.servers"); // { value: "b1:9092", origin: "client.properties line 2" }
 * ```
 */
export function parseProperties(text: string, path: string): Properties {
  const props: Properties = new Map();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const first = i + 1;
    let line = lines[i].trim();
    while (line.endsWith("\\") && i + 1 < lines.length) {
      line = line.slice(0, -1) + lines[++i].trim();
    }
    if (line === "" || line.startsWith("#") || line.startsWith("!")) continue;
    const origin = `${path} line ${first}`;
    const eq = line.indexOf("=");
    // The line is not shown: it may hold a password.
    if (eq === -1) throw new UsageError(`${origin}: expected key=value`);
    const key = line.slice(0, eq).trim();
    if (key === "") throw new UsageError(`${origin}: a property has no key before '='`);
    props.set(key, { value: line.slice(eq + 1).trim(), origin });
  }
  return props;
}

/**
 * Parses `-X key=value` arguments, in order: a later one replaces an earlier
 * one with the same key. An argument without `=` is named by its position,
 * not shown, since it may be a mistyped password.
 *
 * @example
 * ```ts
 * import { parseOverrides } from "./properties.ts";
 * parseOverrides(["client.id=a", "client.id=b"]).get("client.id")?.value; // "b"
 * ```
 */
export function parseOverrides(args: readonly string[]): Properties {
  const props: Properties = new Map();
  args.forEach((arg, index) => {
    const eq = arg.indexOf("=");
    const key = eq === -1 ? "" : arg.slice(0, eq).trim();
    if (key === "") {
      throw new UsageError(`-X takes key=value: the ${ordinal(index + 1)} -X has no key=`);
    }
    props.set(key, { value: arg.slice(eq + 1).trim(), origin: "-X" });
  });
  return props;
}

/**
 * Layers property sets, later ones winning key by key: the file, then `-X`.
 *
 * @example
 * ```ts
 * import { mergeProperties } from "./properties.ts";
 * const file = new Map([["client.id", { value: "a", origin: "f line 1" }]]);
 * const flags = new Map([["client.id", { value: "b", origin: "-X" }]]);
 * mergeProperties(file, flags).get("client.id")?.value; // "b"
 * ```
 */
export function mergeProperties(...layers: Properties[]): Properties {
  const merged: Properties = new Map();
  for (const layer of layers) for (const [key, prop] of layer) merged.set(key, prop);
  return merged;
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13
    ? "th"
    : ({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[n % 10] ?? "th";
  return `${n}${suffix}`;
}
