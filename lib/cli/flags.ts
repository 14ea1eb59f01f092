/**
 * The flags every program shares, written once: each program spreads the
 * ones it takes into its own table with {@linkcode commonFlags}, and turns
 * their values into settings with {@linkcode connectionSettings} and
 * {@linkcode outputMode} and {@linkcode metricsSettings}. The connection flags
 * include the client properties of a secured cluster: `--config FILE` and
 * `-X key=value`.
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import { type ClientConfig, clientConfig } from "../kafka/client_config.ts";
import { mergeProperties, parseOverrides, parseProperties } from "../kafka/properties.ts";
import { type ClientSecurity, loadSecurity } from "../kafka/security.ts";
import type { RegistryProperties } from "../registry/config.ts";
import { parseNumber } from "./args.ts";
import { redactUrl } from "./redact_url.ts";

/** The shared flag table, in `node:util` `parseArgs` form. */
export const COMMON_FLAGS = {
  brokers: { type: "string" },
  config: { type: "string" },
  // kcat's -X; the long name is for parseArgs, which needs one.
  property: { type: "string", short: "X", multiple: true },
  "schema-registry": { type: "string" },
  topic: { type: "string" },
  "dlq-topic": { type: "string" },
  group: { type: "string" },
  partitions: { type: "string" },
  "replication-factor": { type: "string" },
  verbose: { type: "boolean" },
  "connect-timeout": { type: "string" },
  "metrics-port": { type: "string" },
  "metrics-host": { type: "string" },
  quiet: { type: "boolean" },
  json: { type: "boolean" },
  help: { type: "boolean" },
} as const;

/** The name of a shared flag. */
export type CommonFlag = keyof typeof COMMON_FLAGS;

/**
 * The entries of {@linkcode COMMON_FLAGS} named, to spread into a program's
 * own `parseArgs` options.
 *
 * @example
 * ```ts
 * import { commonFlags } from "./flags.ts";
 * const options = { ...commonFlags("brokers", "help"), count: { type: "string" } } as const;
 * Object.keys(options); // ["brokers", "help", "count"]
 * ```
 */
export function commonFlags<K extends CommonFlag>(...names: K[]): Pick<typeof COMMON_FLAGS, K> {
  const out = {} as Pick<typeof COMMON_FLAGS, K>;
  for (const name of names) out[name] = COMMON_FLAGS[name];
  return out;
}

/** The default bootstrap broker when neither `--brokers` nor `KAFKA_BROKERS` is set. */
export const DEFAULT_BROKERS = "127.0.0.1:9092";

/** How long a program waits for an unreachable broker by default, in seconds. */
export const DEFAULT_CONNECT_TIMEOUT_S = 30;

/** The connection flags' lines of a program's usage text. */
export const CONNECTION_USAGE =
  `  --config FILE             client properties in librdkafka's names (bootstrap.servers,
                            security.protocol, sasl.*, ssl.*; default $KAFKA_CONFIG);
                            its bootstrap.servers wins over $KAFKA_BROKERS
  -X key=value              one client property, over --config (repeatable)`;

/** The usage lines of `--metrics-port` and `--metrics-host`. */
export const METRICS_USAGE =
  `  --metrics-port N          serve Prometheus metrics at http://127.0.0.1:N/metrics (0: any free port)
  --metrics-host HOST       address for --metrics-port (default 127.0.0.1; others are warned about)`;

/**
 * The broker list: the flag, else `bootstrap.servers` from the client
 * properties, else `KAFKA_BROKERS`, else `127.0.0.1:9092`.
 */
export function resolveBrokers(flag: string | undefined, fromProperties?: string[]): string[] {
  if (flag === undefined && fromProperties !== undefined) return fromProperties;
  const raw = flag ?? Deno.env.get("KAFKA_BROKERS") ?? DEFAULT_BROKERS;
  const brokers = raw.split(",").map((b) => b.trim()).filter((b) => b.length > 0);
  if (brokers.length === 0) throw new UsageError(`--brokers must list host:port pairs`);
  return brokers;
}

/** Where, how patiently and how securely a program connects. */
export interface ConnectionSettings {
  brokers: string[];
  /** Give up on an unreachable broker after this long. @default {30000} */
  connectTimeoutMs: number;
  /** TLS and SASL from the client properties; unset is plaintext. */
  security?: ClientSecurity;
  /** The `client.id` property, which replaces the program's own client id. */
  clientId?: string;
  /** `schema.registry.url` and `basic.auth.user.info` from the client properties, where set. */
  registryProperties?: RegistryProperties;
}

/** The connection flags' values, as `parseArgs` returns them. */
export interface ConnectionValues {
  brokers?: string;
  config?: string;
  property?: string[];
  "connect-timeout"?: string;
}

/**
 * The client properties of `--config` (else the file `KAFKA_CONFIG` names)
 * with `-X` over them, checked. The file is read once, here.
 */
export function readClientConfig(
  values: Pick<ConnectionValues, "config" | "property">,
): ClientConfig {
  const path = values.config ?? Deno.env.get("KAFKA_CONFIG");
  const flag = values.config !== undefined ? "--config" : "KAFKA_CONFIG";
  if (path !== undefined && path.trim() === "") throw new UsageError(`${flag} must not be empty`);
  let text = "";
  if (path !== undefined) {
    try {
      text = Deno.readTextFileSync(path);
    } catch (error) {
      const why = error instanceof Deno.errors.NotFound ? "no such file" : (error as Error).message;
      throw new UsageError(`${flag}: cannot read ${path}: ${why}`);
    }
  }
  const file = path === undefined ? new Map() : parseProperties(text, path);
  return clientConfig(mergeProperties(file, parseOverrides(values.property ?? [])));
}

/**
 * Reads the connection flags: `--brokers`, `--config`/`KAFKA_CONFIG`, `-X`
 * and `--connect-timeout`. The brokers come from `--brokers`, else
 * `bootstrap.servers` (`-X` over the file), else `KAFKA_BROKERS`, else
 * `127.0.0.1:9092`: what is written on the command line wins, and a
 * cluster's file wins over the environment's default. `--brokers` and
 * `-X bootstrap.servers` together are a usage error. TLS files are read
 * and checked here, once.
 */
export function connectionSettings(values: ConnectionValues): ConnectionSettings {
  const client = readClientConfig(values);
  if (
    values.brokers !== undefined &&
    (values.property ?? []).some((p) =>
      /^\s*(bootstrap\.servers|metadata\.broker\.list)\s*=/.test(p)
    )
  ) {
    throw new UsageError("give --brokers or -X bootstrap.servers, not both");
  }
  const connectTimeoutMs = 1000 *
    parseNumber("connect-timeout", values["connect-timeout"], DEFAULT_CONNECT_TIMEOUT_S, {
      min: 0.1,
    });
  const settings: ConnectionSettings = {
    brokers: resolveBrokers(values.brokers, client.bootstrapServers),
    connectTimeoutMs,
  };
  if (client.protocol !== "plaintext") settings.security = loadSecurity(client);
  if (client.clientId !== undefined) settings.clientId = client.clientId;
  if (client.registry !== undefined) settings.registryProperties = client.registry;
  return settings;
}

/**
 * Client properties whose values are secret, under any prefix: the ones we
 * read (`sasl.password`, `ssl.key.password`, `sasl.jaas.config`,
 * `basic.auth.user.info`) and the ones other clients take and we refuse
 * (`schema.registry.basic.auth.user.info`, `ssl.truststore.password`,
 * `sasl.oauthbearer.client.secret`, `ssl.key.pem`), which a command line
 * may still carry.
 */
const SECRET_PROPERTIES =
  /^\s*(?:[\w-]+\.)*(?:password|basic\.auth\.user\.info|jaas\.config|secret|key\.pem)\s*=/i;

/** Where a URL starts: its scheme and `//`. */
const URL_START = /[a-z][a-z\d+.-]*:\/\//i;

/** A comma that starts the next URL of a list, as `schema.registry.url` may hold. */
const NEXT_URL = /,(?=[a-z][a-z\d+.-]*:\/\/)/i;

/**
 * `args` with the value of every secret `-X` property replaced, and the user
 * info of every URL (`--schema-registry=https://key:secret@host`,
 * `-X schema.registry.url=…`, a URL alone), for a command line that is
 * recorded or printed.
 *
 * @example
 * ```ts
 * import { redactArgs } from "./flags.ts";
 * redactArgs(["-X", "sasl.password=pw", "-Xsasl.username=app", "--property=ssl.key.password=k"]);
 * // ["-X", "sasl.password=[redacted]", "-Xsasl.username=app", "--property=ssl.key.password=[redacted]"]
 * redactArgs(["--schema-registry=https://key:secret@sr.example/v1"]);
 * // ["--schema-registry=https://key:[redacted]@sr.example/v1"]
 * ```
 */
export function redactArgs(args: readonly string[]): string[] {
  const redact = (property: string) =>
    SECRET_PROPERTIES.test(property)
      ? `${property.slice(0, property.indexOf("="))}=[redacted]`
      : property;
  return args.map((arg, i) => {
    const previous = args[i - 1];
    if (previous === "-X" || previous === "--property") return redactUrls(redact(arg));
    for (const prefix of ["-X", "--property="]) {
      if (arg.startsWith(prefix) && arg.length > prefix.length) {
        return prefix + redactUrls(redact(arg.slice(prefix.length)));
      }
    }
    return redactUrls(arg);
  });
}

/**
 * `arg` with the user info of its URLs redacted. A URL runs from its scheme
 * to the end of the argument (`--flag=URL`, `key=URL` or the URL alone):
 * cutting it at a space or a comma instead would show the rest of a password
 * that holds one. A list is cut only where the next URL starts.
 */
function redactUrls(arg: string): string {
  const start = arg.search(URL_START);
  if (start === -1) return arg;
  return arg.slice(0, start) + arg.slice(start).split(NEXT_URL).map(redactUrl).join(",");
}

/** The usage line of `--replication-factor`, shared by the programs that create topics. */
export const REPLICATION_USAGE =
  `  --replication-factor N    replicas of the topics it creates (default 3 on a cluster of 3 or
                            more brokers, else 1; min.insync.replicas 2 when replicated)`;

/**
 * Reads `--replication-factor`: `undefined` (the cluster's default, see
 * `defaultReplicationFactor`) when not given.
 *
 * @example
 * ```ts
 * import { replicationFactorFlag } from "./flags.ts";
 * replicationFactorFlag("3"); // 3
 * ```
 */
export function replicationFactorFlag(value: string | undefined): number | undefined {
  return value === undefined
    ? undefined
    : parseNumber("replication-factor", value, 1, { min: 1, max: 32767, integer: true });
}

/** How a program prints: lines for people, only the summary, or JSON lines. */
export type OutputMode = "text" | "quiet" | "json";

/** Reads `--quiet` and `--json`, which exclude each other. */
export function outputMode(values: { quiet?: boolean; json?: boolean }): OutputMode {
  if (values.quiet && values.json) throw new UsageError("--quiet and --json cannot be combined");
  return values.json ? "json" : values.quiet ? "quiet" : "text";
}

/** Where a program serves `/metrics`; absent unless `--metrics-port` is given. */
export interface MetricsSettings {
  /** 0 picks a free port. */
  port: number;
  /** @default {"127.0.0.1"} */
  host: string;
}

/** The host `/metrics` binds to unless `--metrics-host` says otherwise. */
export const DEFAULT_METRICS_HOST = "127.0.0.1";

/**
 * Reads `--metrics-port` and `--metrics-host`: `undefined` (no endpoint)
 * without a port, the default host without a host.
 *
 * @example
 * ```ts
 * import { metricsSettings } from "./flags.ts";
 * metricsSettings({ "metrics-port": "9464" }); // { port: 9464, host: "127.0.0.1" }
 * ```
 */
export function metricsSettings(
  values: { "metrics-port"?: string; "metrics-host"?: string },
): MetricsSettings | undefined {
  const host = values["metrics-host"];
  if (values["metrics-port"] === undefined) {
    if (host !== undefined) throw new UsageError("--metrics-host applies only with --metrics-port");
    return undefined;
  }
  if (host !== undefined && host.trim() === "") {
    throw new UsageError("--metrics-host must not be empty");
  }
  const port = parseNumber("metrics-port", values["metrics-port"], 0, {
    min: 0,
    max: 65535,
    integer: true,
  });
  return { port, host: host?.trim() ?? DEFAULT_METRICS_HOST };
}

/**
 * Whether `host` is reachable from this machine only: `localhost`,
 * 127.0.0.0/8 or `::1`.
 *
 * @example
 * ```ts
 * import { isLoopback } from "./flags.ts";
 * isLoopback("127.0.0.1"); // true
 * isLoopback("0.0.0.0"); // false
 * ```
 */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" ||
    /^127\.\d+\.\d+\.\d+$/.test(host);
}
