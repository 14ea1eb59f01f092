/**
 * The dashboard's settings and their defaults, in one place.
 *
 * @module
 */
import { type ConnectionSettings, DEFAULT_CONNECT_TIMEOUT_S } from "../cli/flags.ts";
import { CONSUMER_DEFAULTS } from "../consumer/options.ts";
import { type DlqConfig, dlqConfig, REPLAYER_GROUP } from "../dlq/options.ts";

/** Everything the dashboard needs. */
export interface UiConfig extends ConnectionSettings {
  /** Address the page is served on; anything but loopback is warned about. @default {"127.0.0.1"} */
  host: string;
  /** 0 picks a free port. @default {8080} */
  port: number;
  /** The consumed topic. @default {"orders"} */
  topic: string;
  /** @default {"orders-dlq"} */
  dlqTopic: string;
  /** The consumer group shown. @default {"order-processors"} */
  group: string;
  /** The group the replay action uses, shared with `deno task dlq --replay`. @default {"orders-dlq-replayer"} */
  replayGroup: string;
}

/** The defaults of every setting but the brokers. */
export const UI_DEFAULTS: Readonly<Omit<UiConfig, "brokers">> = {
  host: "127.0.0.1",
  port: 8080,
  topic: CONSUMER_DEFAULTS.topic,
  dlqTopic: CONSUMER_DEFAULTS.dlqTopic,
  group: CONSUMER_DEFAULTS.group,
  replayGroup: REPLAYER_GROUP,
  connectTimeoutMs: DEFAULT_CONNECT_TIMEOUT_S * 1000,
};

/**
 * A full config from the defaults and `overrides`.
 *
 * @example
 * ```ts
 * import { uiConfig } from "./options.ts";
 * uiConfig({ brokers: ["127.0.0.1:9092"] }).port; // 8080
 * ```
 */
export function uiConfig(overrides: Partial<UiConfig> & Pick<UiConfig, "brokers">): UiConfig {
  return { ...UI_DEFAULTS, ...overrides };
}

/**
 * The DLQ tool's settings for the dashboard's watch and replay of its DLQ:
 * the dashboard's own connection (brokers, TLS and SASL, client id), quiet,
 * and `overrides`. Built in one place, so neither can reach a secured
 * cluster in plaintext.
 */
export function dashboardDlqConfig(config: UiConfig, overrides: Partial<DlqConfig>): DlqConfig {
  const { brokers, connectTimeoutMs, security, clientId, registryProperties } = config;
  return dlqConfig({
    brokers,
    connectTimeoutMs,
    security,
    clientId,
    registryProperties,
    topic: config.dlqTopic,
    output: "quiet",
    ...overrides,
  });
}
