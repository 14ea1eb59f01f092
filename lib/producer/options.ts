/**
 * The producer's settings and their defaults, in one place: the program's
 * flags, the bench and the tests all start from {@linkcode PRODUCER_DEFAULTS}.
 *
 * @module
 */
import { CompressionTypes } from "kafkajs";
import type { RegistryConnection } from "../registry/config.ts";
import type { ConnectionSettings, MetricsSettings, OutputMode } from "../cli/flags.ts";
import { DEFAULT_PARTITIONS } from "../kafka/topics.ts";
import { type RetryPolicy, SEND_RETRY } from "../retry.ts";

/** The codecs `--compression` accepts, by flag value. */
export const COMPRESSION = {
  snappy: CompressionTypes.Snappy,
  gzip: CompressionTypes.GZIP,
  none: CompressionTypes.None,
} as const;

/** A `--compression` value. */
export type CompressionName = keyof typeof COMPRESSION;

/** Whether `name` is a codec of {@linkcode COMPRESSION}. */
export function isCompressionName(name: string): name is CompressionName {
  return Object.hasOwn(COMPRESSION, name);
}

/** Everything a producer run needs. */
export interface ProducerConfig extends ConnectionSettings {
  /** @default {"orders"} */
  topic: string;
  /** Where the orders go that could not be sent. @default {"orders-dlq"} */
  dlqTopic: string;
  /** Partitions when the topics are created, then the topic's real count. @default {3} */
  partitions: number;
  /**
   * The DLQ topic's real partition count, once known: a batch that fails
   * goes to DLQ partition `its partition % dlqPartitions`. @default {partitions}
   */
  dlqPartitions?: number;
  /** Orders to generate. @default {100} */
  count: number;
  /** Pause between orders, in ms. @default {0} */
  delayMs: number;
  /** Orders per second; 0 is as fast as possible. @default {0} */
  rate: number;
  /** Seed of the generated orders. @default {42} */
  seed: number;
  /** @default {"snappy"} */
  compression: CompressionName;
  /** Most orders in one produce request. @default {2000} */
  batchSize: number;
  /** How long a batch waits to fill, in ms. @default {5} */
  lingerMs: number;
  /** Send attempts per batch before it goes to the DLQ. @default {3} */
  attempts: number;
  /** First wait between attempts, doubled each time, in ms. @default {200} */
  retryBackoffMs: number;
  /** Share of records that are not valid Avro. @default {0} */
  corruptRate: number;
  /** Share of records with a bad price or an empty id. @default {0} */
  invalidRate: number;
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
   * Write the Confluent wire format, registering the schema with this
   * registry; unset writes plain Avro. @default {undefined}
   */
  schemaRegistry?: RegistryConnection;
  /** Where the program serves `/metrics`; not at all when absent. @default {undefined} */
  metrics?: MetricsSettings;
}

/** The defaults of every setting but the brokers. */
export const PRODUCER_DEFAULTS: Readonly<Omit<ProducerConfig, "brokers">> = {
  topic: "orders",
  dlqTopic: "orders-dlq",
  partitions: DEFAULT_PARTITIONS,
  count: 100,
  delayMs: 0,
  rate: 0,
  seed: 42,
  compression: "snappy",
  batchSize: 2000,
  lingerMs: 5,
  attempts: SEND_RETRY.maxRetries + 1,
  retryBackoffMs: SEND_RETRY.initialMs,
  corruptRate: 0,
  invalidRate: 0,
  connectTimeoutMs: 30_000,
  output: "text",
};

/**
 * A full config from the defaults and `overrides`, for code that runs the
 * producer in-process (the bench, tests).
 *
 * @example
 * ```ts
 * import { producerConfig } from "./options.ts";
 * producerConfig({ brokers: ["127.0.0.1:9092"], count: 10 }).batchSize; // 2000
 * ```
 */
export function producerConfig(
  overrides: Partial<ProducerConfig> & Pick<ProducerConfig, "brokers">,
): ProducerConfig {
  return { ...PRODUCER_DEFAULTS, ...overrides };
}

/**
 * The schedule of the producer's own attempts at one batch: {@linkcode SEND_RETRY}
 * with `attempts` and `retryBackoffMs` from the config.
 *
 * @example
 * ```ts
 * import { sendRetry } from "./options.ts";
 * sendRetry({ attempts: 4, retryBackoffMs: 50 }).maxRetries; // 3
 * ```
 */
export function sendRetry(
  config: Pick<ProducerConfig, "attempts" | "retryBackoffMs">,
): RetryPolicy {
  return { ...SEND_RETRY, maxRetries: config.attempts - 1, initialMs: config.retryBackoffMs };
}
