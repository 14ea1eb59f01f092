/**
 * Where the schema registry is and how to log in, from the client properties
 * Confluent's clients and librdkafka-style configuration use
 * (`schema.registry.url`, `basic.auth.user.info`) or from `--schema-registry`.
 * Pure: the caller hands in the properties, from a `--config` file, `-X`
 * pairs or a test.
 *
 * @module
 */
import { redactUrl } from "../cli/redact_url.ts";
import { UsageError } from "../errors.ts";

/** The property naming the registry's base URL. */
export const URL_KEY = "schema.registry.url";
/** The property holding `user:password` for HTTP basic auth (API key and secret on Confluent Cloud). */
export const USER_INFO_KEY = "basic.auth.user.info";

/** How to reach a registry. */
export interface RegistryConnection {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:8081/apis/ccompat/v7`. */
  url: string;
  /** HTTP basic auth, when the registry wants it. */
  auth?: { user: string; password: string };
}

/**
 * The registry connection from `properties` and the `--schema-registry`
 * flag (which wins over `schema.registry.url`), or `undefined` when neither
 * names a URL: the topic is plain Avro then. Throws a {@linkcode UsageError}
 * naming the key and the value (its user info redacted) when a URL is not
 * http(s), or naming the key when the user info is not `user:password`.
 *
 * @example
 * ```ts
 * import { registryConnection } from "./config.ts";
 * registryConnection({ "schema.registry.url": "https://sr.example/", "basic.auth.user.info": "key:secret" });
 * // { url: "https://sr.example", auth: { user: "key", password: "secret" } }
 * ```
 */
export function registryConnection(
  properties: Readonly<Record<string, string | undefined>>,
  flag?: string,
): RegistryConnection | undefined {
  const raw = flag ?? properties[URL_KEY];
  const userInfo = properties[USER_INFO_KEY];
  if (raw === undefined || raw.trim() === "") {
    if (userInfo !== undefined) {
      throw new UsageError(`${USER_INFO_KEY} is set but no schema registry URL is given`);
    }
    return undefined;
  }
  const name = flag !== undefined ? "--schema-registry" : URL_KEY;
  // Confluent's clients accept a comma-separated list; we talk to the first.
  const first = raw.split(",")[0].trim();
  // The value may carry credentials (https://key:secret@host): the message shows it redacted.
  const notHttp = () =>
    new UsageError(`${name} must be an http(s) URL: current value is ${redactUrl(first)}`);
  let parsed: URL;
  try {
    parsed = new URL(first);
  } catch {
    throw notHttp();
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw notHttp();
  const fromUrl = parsed.username !== ""
    ? { user: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) }
    : undefined;
  parsed.username = "";
  parsed.password = "";
  const url = parsed.href.replace(/\/+$/, "");
  const auth = userInfo !== undefined ? parseUserInfo(userInfo) : fromUrl;
  return auth !== undefined ? { url, auth } : { url };
}

/**
 * `user:password` split at the first colon (a password may hold colons).
 *
 * @example
 * ```ts
 * import { parseUserInfo } from "./config.ts";
 * parseUserInfo("KEY:se:cret"); // { user: "KEY", password: "se:cret" }
 * ```
 */
export function parseUserInfo(userInfo: string): { user: string; password: string } {
  const colon = userInfo.indexOf(":");
  if (colon <= 0) {
    throw new UsageError(`${USER_INFO_KEY} must be user:password (the password is not shown)`);
  }
  return { user: userInfo.slice(0, colon), password: userInfo.slice(colon + 1) };
}

/**
 * The `Authorization` header value for `auth`.
 *
 * @example
 * ```ts
 * import { basicAuthHeader } from "./config.ts";
 * basicAuthHeader({ user: "a", password: "b" }); // "Basic YTpi"
 * ```
 */
export function basicAuthHeader(auth: { user: string; password: string }): string {
  const bytes = new TextEncoder().encode(`${auth.user}:${auth.password}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}

/**
 * The registry of a program's flags: `--schema-registry` over the client
 * properties' `schema.registry.url` (and `basic.auth.user.info`), as
 * `connectionSettings()` read them.
 */
export function registryFromFlags(
  connection: { registryProperties?: Record<string, string> },
  flag: string | undefined,
): RegistryConnection | undefined {
  return registryConnection(connection.registryProperties ?? {}, flag);
}
