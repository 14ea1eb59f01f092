/**
 * The consumer's settings and their defaults, in one place: the program's
 * flags, the bench and the tests all start from {@linkcode CONSUMER_DEFAULTS}.
 *
 * @module
 */
import type { ConnectionSettings, MetricsSettings, OutputMode } from "../cli/flags.ts";
import type { RegistryConnection } from "../registry/config.ts";
import { DEFAULT_MAX_PRICE } from "../order/validate.ts";
import { RECORD_RETRY } from "../retry.ts";
import { DEFAULT_PARTITIONS } from "../kafka/topics.ts";

/** Everything a consumer run needs. */
export interface ConsumerConfig extends ConnectionSettings {
  /** @default {"orders"} */
  topic: string;
  /** @default {"orders-dlq"} */
  dlqTopic: string;
  /** @default {"order-processors"} */
  group: string;
  /** Partitions when the topics are created. @default {3} */
  partitions: number;
  /** Simulated transient failure rate per attempt. @default {0} */
  failRate: number;
  /** Seed of the simulated failures. @default {42} */
  seed: number;
  /** Retries after the first attempt. @default {3} */
  maxRetries: number;
  /** First retry delay. @default {1000} */
  backoffMs: number;
  /** @default {2} */
  backoffMultiplier: number;
  /** @default {30000} */
  backoffMaxMs: number;
  /** Random share taken off each delay. @default {0} */
  jitter: number;
  /** Largest valid price, in dollars. @default {100000} */
  maxPrice: number;
  /** Stop after this many records. @default {Infinity} */
  maxMessages: number;
  /** Stop once caught up and idle this long. @default {Infinity} */
  idleExitMs: number;
  /** @default {30000} */
  sessionTimeoutMs: number;
  /** @default {3000} */
  heartbeatIntervalMs: number;
  /** Partitions processed at once. @default {3} */
  concurrency: number;
  /** @default {"text"} */
  output: OutputMode;
  /**
   * Replicas of the topics it creates; unset takes the cluster's default
   * (see `defaultReplicationFactor`). @default {undefined}
   */
  replicationFactor?: number;
  /** Print the topic's layout (leader and replicas per partition) at the start. @default {false} */
  verbose?: boolean;
  /**
   * Read the Confluent wire format, fetching writer schemas from this
   * registry; unset reads plain Avro. @default {undefined}
   */
  schemaRegistry?: RegistryConnection;
  /** Where the program serves `/metrics`; not at all when absent. @default {undefined} */
  metrics?: MetricsSettings;
}

/** The defaults of every setting but the brokers. */
export const CONSUMER_DEFAULTS: Readonly<Omit<ConsumerConfig, "brokers">> = {
  topic: "orders",
  dlqTopic: "orders-dlq",
  group: "order-processors",
  partitions: DEFAULT_PARTITIONS,
  failRate: 0,
  seed: 42,
  maxRetries: RECORD_RETRY.maxRetries,
  backoffMs: RECORD_RETRY.initialMs,
  backoffMultiplier: RECORD_RETRY.multiplier,
  backoffMaxMs: RECORD_RETRY.maxMs,
  jitter: RECORD_RETRY.jitter,
  maxPrice: DEFAULT_MAX_PRICE,
  maxMessages: Infinity,
  idleExitMs: Infinity,
  sessionTimeoutMs: 30_000,
  heartbeatIntervalMs: 3000,
  concurrency: 3,
  connectTimeoutMs: 30_000,
  output: "text",
};

/**
 * A full config from the defaults and `overrides`, for code that runs the
 * consumer in-process (the bench, tests).
 *
 * @example
 * ```ts
 * import { consumerConfig } from "./options.ts";
 * consumerConfig({ brokers: ["127.0.0.1:9092"], topic: "t" }).group; // "order-processors"
 * ```
 */
export function consumerConfig(
  overrides: Partial<ConsumerConfig> & Pick<ConsumerConfig, "brokers">,
): ConsumerConfig {
  return { ...CONSUMER_DEFAULTS, ...overrides };
}
