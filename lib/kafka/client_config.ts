/**
 * What client properties mean: the librdkafka names that kcat and
 * confluent-kafka use (and the Java client's `sasl.jaas.config`) checked
 * once and turned into settings. An unknown key, or one we cannot honour,
 * is a usage error that names the key and says why; no message shows a
 * value, since any of them may be a password.
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import { parseUserInfo, type RegistryProperties } from "../registry/config.ts";
import { parseJaasConfig } from "./jaas.ts";
import type { Properties, Property } from "./properties.ts";
import { Secret } from "./secret.ts";

/** `security.protocol`, lower-cased. */
export type SecurityProtocol = "plaintext" | "ssl" | "sasl_plaintext" | "sasl_ssl";

/** `sasl.mechanism`, upper-cased. */
export type SaslMechanism = "PLAIN" | "SCRAM-SHA-256" | "SCRAM-SHA-512";

/** Who the client logs in as over SASL. */
export interface SaslSettings {
  mechanism: SaslMechanism;
  username: string;
  password: Secret;
}

/** The TLS files (paths, not contents) and how the broker's certificate is checked. */
export interface TlsSettings {
  /** `ssl.ca.location`: the CA file; unset means the runtime's default CAs. */
  caLocation?: string;
  /** `ssl.certificate.location`: the client certificate, for mutual TLS. */
  certificateLocation?: string;
  /** `ssl.key.location`: its private key. */
  keyLocation?: string;
  /** `ssl.key.password`: the key's passphrase when it is encrypted. */
  keyPassword?: Secret;
  /**
   * `ssl.endpoint.identification.algorithm` is `https` (the default): the
   * broker's certificate must name the host connected to. `none` skips only
   * that check; the CA check stays.
   */
  verifyHostname: boolean;
}

/** The client settings that properties can set. */
export interface ClientConfig {
  /** `bootstrap.servers` (alias `metadata.broker.list`), when set. */
  bootstrapServers?: string[];
  /** `client.id`, when set. */
  clientId?: string;
  /** `security.protocol`. @default {"plaintext"} */
  protocol: SecurityProtocol;
  /** Set for `sasl_plaintext` and `sasl_ssl`. */
  sasl?: SaslSettings;
  /** Set for `ssl` and `sasl_ssl`. */
  tls?: TlsSettings;
  /**
   * `schema.registry.url` and `basic.auth.user.info` (its password a
   * {@linkcode Secret}), when either is set.
   */
  registry?: RegistryProperties;
}

/** The keys we read, with the alias each stands for. */
const ALIASES: Record<string, string> = {
  "metadata.broker.list": "bootstrap.servers",
  "sasl.mechanisms": "sasl.mechanism",
};

/** The keys we read. */
export const SUPPORTED_KEYS: readonly string[] = [
  "bootstrap.servers",
  "client.id",
  "security.protocol",
  "sasl.mechanism",
  "sasl.username",
  "sasl.password",
  "sasl.jaas.config",
  "ssl.ca.location",
  "ssl.certificate.location",
  "ssl.key.location",
  "ssl.key.password",
  "ssl.endpoint.identification.algorithm",
  // Read by the schema registry client (lib/registry/config.ts), not by kafkajs.
  "schema.registry.url",
  "basic.auth.user.info",
];

const KEYSTORES = "Java keystores are not read: give PEM files with ssl.ca.location, " +
  "ssl.certificate.location and ssl.key.location (keytool -exportcert -rfc exports a certificate)";

/** Keys (or key prefixes ending in `.`) people bring from elsewhere, and why each is refused. */
const REFUSED_KEYS: [string, string][] = [
  ["ssl.truststore.", KEYSTORES],
  ["ssl.keystore.", KEYSTORES],
  ["sasl.kerberos.", "Kerberos (GSSAPI) is not supported: kafkajs has no GSSAPI mechanism"],
  ["sasl.oauthbearer.", "OAUTHBEARER is not supported: kafkajs needs a token callback"],
  [
    "enable.ssl.certificate.verification",
    "certificate verification is never switched off: set ssl.ca.location to the CA that signed " +
    "the broker's certificate (or ssl.endpoint.identification.algorithm=none to skip only the name check)",
  ],
  ["ssl.ca.pem", "inline PEM is not read: put it in a file and set ssl.ca.location"],
  [
    "ssl.certificate.pem",
    "inline PEM is not read: put it in a file and set ssl.certificate.location",
  ],
  ["ssl.key.pem", "inline PEM is not read: put it in a file and set ssl.key.location"],
];

/** Mechanisms people meet, and why each cannot work here. */
const REFUSED_MECHANISMS: Record<string, string> = {
  GSSAPI: "Kerberos (GSSAPI) is not supported: kafkajs has no GSSAPI mechanism",
  OAUTHBEARER:
    "OAUTHBEARER is not supported: kafkajs needs a token callback, which a properties file cannot supply",
  AWS_MSK_IAM:
    "AWS_MSK_IAM is not supported: kafkajs's 'aws' mechanism is not MSK IAM; use the cluster's SASL/SCRAM listener (SCRAM-SHA-512)",
};

const PROTOCOLS: readonly SecurityProtocol[] = ["plaintext", "ssl", "sasl_plaintext", "sasl_ssl"];
const MECHANISMS: readonly SaslMechanism[] = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"];

/**
 * Checks `props` and turns them into a {@linkcode ClientConfig}. Throws a
 * {@linkcode UsageError} naming the key (and where it was set) for an
 * unknown or refused key, a bad value, or a combination that cannot work.
 *
 * @example
 * ```ts
 * import { clientConfig } from "./client_config.ts";
 * import { parseProperties } from "./properties.ts";
 * const config = clientConfig(parseProperties(
 *   "security.protocol=SASL_SSL\nsasl.mechanisms=SCRAM-SHA-512\nsasl.username=app\nsasl.password=pw\n",
 *   "client.properties",
 * ));
 * [config.protocol, config.sasl?.mechanism, config.tls?.verifyHostname]; // ["sasl_ssl", "SCRAM-SHA-512", true]
 * ```
 */
export function clientConfig(props: Properties): ClientConfig {
  const keys = canonicalKeys(props);
  const protocol = readProtocol(keys.get("security.protocol"));
  const sasl = readSasl(keys, protocol);
  const tls = readTls(keys, protocol);
  const servers = keys.get("bootstrap.servers");
  const clientId = keys.get("client.id");
  if (clientId !== undefined && clientId.value === "") throw empty("client.id", clientId);
  const registry = readRegistry(keys);
  return {
    bootstrapServers: servers === undefined ? undefined : readServers(servers),
    clientId: clientId?.value,
    protocol,
    sasl,
    tls,
    ...(registry === undefined ? {} : { registry }),
  };
}

/** The schema registry's keys, for `lib/registry/config.ts`: the user info split, its password a Secret. */
function readRegistry(keys: Map<string, Property>): RegistryProperties | undefined {
  const url = keys.get("schema.registry.url");
  const userInfo = keys.get("basic.auth.user.info");
  if (url === undefined && userInfo === undefined) return undefined;
  return {
    ...(url === undefined ? {} : { url: url.value }),
    ...(userInfo === undefined ? {} : { auth: parseUserInfo(userInfo.value) }),
  };
}

/** Properties under their canonical keys; unknown, refused and doubled keys throw. */
function canonicalKeys(props: Properties): Map<string, Property> {
  const keys = new Map<string, Property>();
  const setBy = new Map<string, string>();
  for (const [key, prop] of props) {
    const refused = REFUSED_KEYS.find(([k]) => k.endsWith(".") ? key.startsWith(k) : key === k);
    if (refused) throw new UsageError(`${key} (${prop.origin}): ${refused[1]}`);
    const canonical = ALIASES[key] ?? key;
    if (!SUPPORTED_KEYS.includes(canonical)) {
      throw new UsageError(
        `unknown client property ${key} (${prop.origin}): the supported ones are ` +
          SUPPORTED_KEYS.join(", "),
      );
    }
    const earlier = setBy.get(canonical);
    if (earlier !== undefined && earlier !== key) {
      throw new UsageError(`${earlier} and ${key} are the same setting: give one of them`);
    }
    setBy.set(canonical, key);
    keys.set(canonical, prop);
  }
  return keys;
}

function readProtocol(prop: Property | undefined): SecurityProtocol {
  if (prop === undefined) return "plaintext";
  const value = prop.value.toLowerCase() as SecurityProtocol;
  if (!PROTOCOLS.includes(value)) {
    throw new UsageError(
      `security.protocol (${prop.origin}) must be plaintext, ssl, sasl_plaintext or sasl_ssl`,
    );
  }
  return value;
}

function readSasl(
  keys: Map<string, Property>,
  protocol: SecurityProtocol,
): SaslSettings | undefined {
  const set = ["sasl.mechanism", "sasl.username", "sasl.password", "sasl.jaas.config"]
    .filter((k) => keys.has(k));
  if (!protocol.startsWith("sasl_")) {
    if (set.length === 0) return undefined;
    throw new UsageError(
      `${set[0]} is set but security.protocol is ${protocol}: use sasl_ssl or sasl_plaintext`,
    );
  }
  const mechanismProp = keys.get("sasl.mechanism");
  let mechanism = mechanismProp === undefined ? undefined : readMechanism(mechanismProp);
  const jaas = keys.get("sasl.jaas.config");
  const username = keys.get("sasl.username");
  const password = keys.get("sasl.password");
  if (jaas !== undefined) {
    if (username !== undefined || password !== undefined) {
      throw new UsageError(
        "give sasl.username and sasl.password, or sasl.jaas.config, not both",
      );
    }
    const login = parseJaasConfig(jaas.value);
    // The Java client's default mechanism is GSSAPI; PLAIN's module says which one is meant.
    mechanism ??= login.family === "PLAIN" ? "PLAIN" : undefined;
    if (mechanism === undefined) {
      throw new UsageError(
        "sasl.jaas.config uses the ScramLoginModule: set sasl.mechanism to SCRAM-SHA-256 or SCRAM-SHA-512",
      );
    }
    if (!mechanism.startsWith(login.family)) {
      throw new UsageError(
        `sasl.jaas.config's login module is for ${login.family}, but sasl.mechanism is ${mechanism}`,
      );
    }
    return { mechanism, username: login.username, password: login.password };
  }
  if (mechanism === undefined) {
    throw new UsageError(
      `security.protocol ${protocol} needs sasl.mechanism (PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)`,
    );
  }
  if (username === undefined || username.value === "") {
    throw new UsageError(`sasl.mechanism ${mechanism} needs sasl.username (or sasl.jaas.config)`);
  }
  if (password === undefined || password.value === "") {
    throw new UsageError(`sasl.mechanism ${mechanism} needs sasl.password (or sasl.jaas.config)`);
  }
  return { mechanism, username: username.value, password: new Secret(password.value) };
}

function readMechanism(prop: Property): SaslMechanism {
  const value = prop.value.toUpperCase();
  if (value in REFUSED_MECHANISMS) {
    throw new UsageError(`sasl.mechanism (${prop.origin}): ${REFUSED_MECHANISMS[value]}`);
  }
  if (!MECHANISMS.includes(value as SaslMechanism)) {
    throw new UsageError(
      `sasl.mechanism (${prop.origin}) must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512`,
    );
  }
  return value as SaslMechanism;
}

function readTls(keys: Map<string, Property>, protocol: SecurityProtocol): TlsSettings | undefined {
  const set = [...keys.keys()].filter((k) => k.startsWith("ssl."));
  if (protocol !== "ssl" && protocol !== "sasl_ssl") {
    if (set.length === 0) return undefined;
    throw new UsageError(
      `${
        set[0]
      } is set but security.protocol is ${protocol}, which does not use TLS: use ssl or sasl_ssl`,
    );
  }
  const location = (key: string) => {
    const prop = keys.get(key);
    if (prop !== undefined && prop.value === "") throw empty(key, prop);
    return prop?.value;
  };
  const caLocation = location("ssl.ca.location");
  if (caLocation === "probe") {
    throw new UsageError(
      "ssl.ca.location=probe is not supported: name a PEM file, or leave it unset for the default CAs",
    );
  }
  const certificateLocation = location("ssl.certificate.location");
  const keyLocation = location("ssl.key.location");
  if ((certificateLocation === undefined) !== (keyLocation === undefined)) {
    throw new UsageError(
      "mutual TLS needs both ssl.certificate.location and ssl.key.location",
    );
  }
  const keyPassword = keys.get("ssl.key.password");
  if (keyPassword !== undefined && keyLocation === undefined) {
    throw new UsageError("ssl.key.password is set but ssl.key.location is not");
  }
  const algorithm = keys.get("ssl.endpoint.identification.algorithm");
  const verify = algorithm === undefined ? "https" : algorithm.value.toLowerCase();
  // The Java client takes an empty value for none.
  if (verify !== "https" && verify !== "none" && verify !== "") {
    throw new UsageError(
      `ssl.endpoint.identification.algorithm (${algorithm!.origin}) must be https or none`,
    );
  }
  return {
    caLocation,
    certificateLocation,
    keyLocation,
    keyPassword: keyPassword === undefined || keyPassword.value === ""
      ? undefined
      : new Secret(keyPassword.value),
    verifyHostname: verify === "https",
  };
}

function readServers(prop: Property): string[] {
  const servers = prop.value.split(",").map((s) => s.trim()).filter((s) => s !== "");
  const bad = servers.find((s) => !/^[^\s:/]+:\d{1,5}$|^\[[0-9a-fA-F:.]+\]:\d{1,5}$/.test(s));
  if (servers.length === 0 || bad !== undefined) {
    throw new UsageError(`bootstrap.servers (${prop.origin}) must list host:port pairs`);
  }
  return servers;
}

function empty(key: string, prop: Property): UsageError {
  return new UsageError(`${key} (${prop.origin}) is empty`);
}
