/**
 * The chaos soak's settings and their defaults, in one place: the full soak
 * (`deno task chaos`) and the short one the test suite runs are two sets of
 * overrides of {@linkcode CHAOS_DEFAULTS}.
 *
 * @module
 */

/** Everything a chaos run needs. */
export interface ChaosConfig {
  /** Orders the producer generates. @default {100000} */
  orders: number;
  /** The producer's fixed rate, orders per second. @default {500} */
  rate: number;
  /** Seed of the orders and of the schedule of kills. @default {42} */
  seed: number;
  /** Share of poison pills: half undecodable bytes, half invalid orders. @default {0.02} */
  poisonRate: number;
  /** Partitions of the orders topic (and its DLQ). @default {6} */
  partitions: number;
  /** Consumer instances kept running in the one group. @default {2} */
  instances: number;
  /** SIGKILLs of the leader of a partition, each restarted. @default {3} */
  leaderKills: number;
  /** How long a killed leader stays down before it is restarted, in ms. @default {4000} */
  downMs: number;
  /** One rolling restart of every broker (graceful stop, start, wait for the ISR). @default {true} */
  rollingRestart: boolean;
  /** SIGKILLs of consumer processes, each restarted at once. @default {10} */
  consumerKills: number;
  /** Node 1's port; the cluster takes `port` .. `port + 5`. @default {39200} */
  port: number;
  /** The cluster's directory; unset is a temporary one, removed at the end. */
  dataDir?: string;
  /** Leave the cluster running at the end, for a look at it. @default {false} */
  keep: boolean;
  /** Send attempts per producer batch (`producer.ts --attempts`). @default {6} */
  producerAttempts: number;
  /** Consumer group session timeout, in ms: how long a killed consumer holds its partitions. @default {6000} */
  sessionTimeoutMs: number;
}

/** The full soak, `deno task chaos`. */
export const CHAOS_DEFAULTS: Readonly<ChaosConfig> = {
  orders: 100_000,
  rate: 500,
  seed: 42,
  poisonRate: 0.02,
  partitions: 6,
  instances: 2,
  leaderKills: 3,
  downMs: 4000,
  rollingRestart: true,
  consumerKills: 10,
  port: 39200,
  keep: false,
  // kafkajs retries a request for about 3 s; a SIGKILLed leader is fenced
  // after the brokers' 6 s session timeout, plus an election when it was the
  // active controller. Six attempts (about 20 s) ride that out, so the DLQ
  // takes only what a cluster could not store at all.
  producerAttempts: 6,
  sessionTimeoutMs: 6000,
};

/**
 * The short soak inside `deno task test`: the same checks on a fifth of the
 * orders, one leader kill and three consumer kills, no rolling restart, so
 * it stays near 90 s with the cluster's start.
 */
export const SHORT_CHAOS: Readonly<Partial<ChaosConfig>> = {
  orders: 20_000,
  rate: 500,
  leaderKills: 1,
  rollingRestart: false,
  consumerKills: 3,
};

/**
 * A full config from the defaults and `overrides`. Throws a
 * {@linkcode RangeError} naming the setting and its value when a count is
 * negative or not whole, the rate or the poison share is out of range, or
 * there is not enough time for the kills asked for.
 *
 * @example
 * ```ts
 * import { chaosConfig } from "./options.ts";
 * chaosConfig({ orders: 1000 }).consumerKills; // 10
 * ```
 */
export function chaosConfig(overrides: Partial<ChaosConfig> = {}): ChaosConfig {
  const config = { ...CHAOS_DEFAULTS, ...overrides };
  const whole = (name: keyof ChaosConfig, min: number) => {
    const value = config[name] as number;
    if (!Number.isInteger(value) || value < min) {
      throw new RangeError(
        `Cannot run the chaos soak as ${name} must be a whole number >= ${min}: current value is ${value}`,
      );
    }
  };
  whole("orders", 1);
  whole("partitions", 1);
  whole("instances", 1);
  whole("leaderKills", 0);
  whole("consumerKills", 0);
  whole("downMs", 0);
  whole("producerAttempts", 1);
  whole("sessionTimeoutMs", 1000);
  whole("port", 1);
  if (!(config.rate > 0)) {
    throw new RangeError(
      `Cannot run the chaos soak as rate must be above 0: current value is ${config.rate}`,
    );
  }
  if (!(config.poisonRate >= 0 && config.poisonRate <= 1)) {
    throw new RangeError(
      `Cannot run the chaos soak as poisonRate must be in [0, 1]: current value is ${config.poisonRate}`,
    );
  }
  if (config.port + 5 > 65535) {
    throw new RangeError(
      `Cannot run the chaos soak as its cluster needs ports up to port + 5: current port is ${config.port}`,
    );
  }
  return config;
}

/** How long the producer runs at the configured rate, in ms. */
export function productionMs(config: Pick<ChaosConfig, "orders" | "rate">): number {
  return (config.orders / config.rate) * 1000;
}
