/**
 * The flags every program shares, written once: each program spreads the
 * ones it takes into its own table with {@linkcode commonFlags}, and turns
 * their values into settings with {@linkcode connectionSettings} and
 * {@linkcode outputMode} and {@linkcode metricsSettings}.
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import { parseNumber } from "./args.ts";

/** The shared flag table, in `node:util` `parseArgs` form. */
export const COMMON_FLAGS = {
  brokers: { type: "string" },
  topic: { type: "string" },
  "dlq-topic": { type: "string" },
  group: { type: "string" },
  partitions: { type: "string" },
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

/**
 * The broker list: the flag, else `KAFKA_BROKERS`, else `127.0.0.1:9092`.
 */
export function resolveBrokers(flag: string | undefined): string[] {
  const raw = flag ?? Deno.env.get("KAFKA_BROKERS") ?? DEFAULT_BROKERS;
  const brokers = raw.split(",").map((b) => b.trim()).filter((b) => b.length > 0);
  if (brokers.length === 0) throw new UsageError(`--brokers must list host:port pairs`);
  return brokers;
}

/** Where and how patiently a program connects. */
export interface ConnectionSettings {
  brokers: string[];
  /** Give up on an unreachable broker after this long. @default {30000} */
  connectTimeoutMs: number;
}

/** Reads `--brokers` and `--connect-timeout`. */
export function connectionSettings(
  values: { brokers?: string; "connect-timeout"?: string },
): ConnectionSettings {
  return {
    brokers: resolveBrokers(values.brokers),
    connectTimeoutMs: 1000 *
      parseNumber("connect-timeout", values["connect-timeout"], DEFAULT_CONNECT_TIMEOUT_S, {
        min: 0.1,
      }),
  };
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
