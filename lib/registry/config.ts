/**
 * Where the schema registry is and how to log in, from the client properties
 * Confluent's clients and librdkafka-style configuration use
 * (`schema.registry.url`, `basic.auth.user.info`) or from `--schema-registry`.
 * Pure: the caller hands in the properties, from a `--config` file, `-X`
 * pairs or a test. The password is a {@linkcode Secret} from the moment it is
 * read: only the HTTP client reveals it.
 *
 * @module
 */
import { redactUrl } from "../cli/redact_url.ts";
import { UsageError } from "../errors.ts";
import { Secret } from "../kafka/secret.ts";

/** The property naming the registry's base URL. */
export const URL_KEY = "schema.registry.url";
/** The property holding `user:password` for HTTP basic auth (API key and secret on Confluent Cloud). */
export const USER_INFO_KEY = "basic.auth.user.info";

/** HTTP basic auth: on Confluent Cloud, an API key and its secret. */
export interface RegistryAuth {
  user: string;
  /** Renders `[redacted]`; the HTTP client alone reveals it. */
  password: Secret;
}

/** How to reach a registry. */
export interface RegistryConnection {
  /** Base URL without a trailing slash or user info, e.g. `http://127.0.0.1:8081/apis/ccompat/v7`. */
  url: string;
  /** HTTP basic auth, when the registry wants it. */
  auth?: RegistryAuth;
}

/** The registry's client properties, as `clientConfig()` reads them. */
export interface RegistryProperties {
  /** `schema.registry.url`, as given (it may hold user info). */
  url?: string;
  /** `basic.auth.user.info`, split by {@linkcode parseUserInfo}. */
  auth?: RegistryAuth;
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
 * import { parseUserInfo, registryConnection } from "./config.ts";
 * const connection = registryConnection({ url: "https://sr.example/", auth: parseUserInfo("key:secret") });
 * JSON.stringify(connection); // '{"url":"https://sr.example","auth":{"user":"key","password":"[redacted]"}}'
 * ```
 */
export function registryConnection(
  properties: Readonly<RegistryProperties>,
  flag?: string,
): RegistryConnection | undefined {
  const raw = flag ?? properties.url;
  if (raw === undefined || raw.trim() === "") {
    if (properties.auth !== undefined) {
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
    ? {
      user: decodeURIComponent(parsed.username),
      password: new Secret(decodeURIComponent(parsed.password)),
    }
    : undefined;
  parsed.username = "";
  parsed.password = "";
  const url = parsed.href.replace(/\/+$/, "");
  const auth = properties.auth ?? fromUrl;
  return auth !== undefined ? { url, auth } : { url };
}

/**
 * `user:password` split at the first colon (a password may hold colons),
 * the password kept as a {@linkcode Secret}.
 *
 * @example
 * ```ts
 * import { parseUserInfo } from "./config.ts";
 * const auth = parseUserInfo("KEY:se:cret");
 * [auth.user, `${auth.password}`, auth.password.reveal()]; // ["KEY", "[redacted]", "se:cret"]
 * ```
 */
export function parseUserInfo(userInfo: string): RegistryAuth {
  const colon = userInfo.indexOf(":");
  if (colon <= 0) {
    throw new UsageError(`${USER_INFO_KEY} must be user:password (the password is not shown)`);
  }
  return { user: userInfo.slice(0, colon), password: new Secret(userInfo.slice(colon + 1)) };
}

/**
 * The registry of a program's flags: `--schema-registry` over the client
 * properties' `schema.registry.url` (and `basic.auth.user.info`), as
 * `connectionSettings()` read them.
 */
export function registryFromFlags(
  connection: { registryProperties?: RegistryProperties },
  flag: string | undefined,
): RegistryConnection | undefined {
  return registryConnection(connection.registryProperties ?? {}, flag);
}
