/**
 * The chaos soak: on a fresh local three-broker cluster, produces orders at
 * a fixed rate while it SIGKILLs partition leaders, restarts every broker
 * in turn and SIGKILLs consumer processes, then proves from a read-back
 * that nothing was lost or counted twice. Prints its figures and verdict;
 * exits 0 when the verdict passes, 1 when not.
 *
 * The program holds the flags and the wiring; the soak is in `lib/chaos/`.
 *
 * Usage: `deno task chaos -- [flags]`; see {@linkcode USAGE}.
 *
 * @module
 */
import { parseCli, parseNumber } from "./lib/cli/args.ts";
import { runMain, writeLine } from "./lib/cli/main.ts";
import { stopCluster } from "./lib/broker/cluster.ts";
import {
  CHAOS_DEFAULTS as D,
  type ChaosConfig,
  chaosConfig,
  SHORT_CHAOS,
} from "./lib/chaos/options.ts";
import { runChaos } from "./lib/chaos/run.ts";
import { UsageError } from "./lib/errors.ts";

const SIGNALS = ["SIGINT", "SIGTERM"] as const;

/** The command-line help. */
export const USAGE = `Usage: deno task chaos -- [flags]

Starts a local cluster of three Kafka brokers (ports --port to --port + 5) and
runs a seeded soak on it: a producer at a fixed rate with poison pills, two
consumer instances in one group, leader SIGKILLs, a rolling restart and
consumer SIGKILLs. Then reads everything back and checks that every order is
in the topic exactly once (or reported by the producer), that the committed
aggregate equals the ground truth to the cent, that the DLQ holds exactly the
poison pills, and that no consumer died but by our kills. Exits 0 when all
hold, 1 when not.

  --orders N              orders to produce (default ${D.orders})
  --rate N                orders per second (default ${D.rate})
  --seed N                seed of the orders and of the schedule (default ${D.seed})
  --poison-rate P         share of poison pills, half undecodable, half invalid (default ${D.poisonRate})
  --leader-kills N        SIGKILLs of a partition's leader, each restarted (default ${D.leaderKills})
  --down S                seconds a killed leader stays down (default ${D.downMs / 1000})
  --no-rolling-restart    skip the rolling restart of every broker
  --consumer-kills N      SIGKILLs of a consumer process, each restarted (default ${D.consumerKills})
  --instances N           consumer instances in the group (default ${D.instances})
  --partitions N          partitions of the topic (default ${D.partitions})
  --short                 the short soak of the test suite: ${SHORT_CHAOS.orders} orders, ${SHORT_CHAOS.leaderKills} leader kill,
                          ${SHORT_CHAOS.consumerKills} consumer kills, no rolling restart (flags after it win)
  --port N                node 1's port; the cluster takes N to N+5 (default ${D.port})
  --data-dir DIR          the cluster's directory, kept afterwards (default: a temporary one)
  --keep                  leave the cluster running at the end
  --help                  show this help`;

/** Parses the command line into a {@linkcode ChaosConfig}; throws UsageError. */
export function parseChaosArgs(args: string[]): ChaosConfig | "help" {
  const { values } = parseCli(args, {
    options: {
      orders: { type: "string" },
      rate: { type: "string" },
      seed: { type: "string" },
      "poison-rate": { type: "string" },
      "leader-kills": { type: "string" },
      down: { type: "string" },
      "no-rolling-restart": { type: "boolean" },
      "consumer-kills": { type: "string" },
      instances: { type: "string" },
      partitions: { type: "string" },
      short: { type: "boolean" },
      port: { type: "string" },
      "data-dir": { type: "string" },
      keep: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return "help";
  const base = { ...D, ...(values.short ? SHORT_CHAOS : {}) };
  const n = (
    flag: keyof typeof values,
    fallback: number,
    rule: Parameters<typeof parseNumber>[3],
  ) => parseNumber(flag, values[flag] as string | undefined, fallback, rule);
  try {
    return chaosConfig({
      orders: n("orders", base.orders, { min: 1, integer: true }),
      rate: n("rate", base.rate, { min: 1, max: 100_000 }),
      seed: n("seed", base.seed, { integer: true }),
      poisonRate: n("poison-rate", base.poisonRate, { min: 0, max: 1 }),
      leaderKills: n("leader-kills", base.leaderKills, { min: 0, max: 100, integer: true }),
      downMs: n("down", base.downMs / 1000, { min: 0, max: 600 }) * 1000,
      rollingRestart: values["no-rolling-restart"] ? false : base.rollingRestart,
      consumerKills: n("consumer-kills", base.consumerKills, { min: 0, max: 1000, integer: true }),
      instances: n("instances", base.instances, { min: 1, max: 9, integer: true }),
      partitions: n("partitions", base.partitions, { min: 1, max: 1000, integer: true }),
      port: n("port", base.port, { min: 1, max: 65530, integer: true }),
      ...(values["data-dir"] === undefined ? {} : { dataDir: values["data-dir"] }),
      keep: values.keep ?? false,
    });
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(error.message);
    throw error;
  }
}

/** The chaos CLI. Returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const config = parseChaosArgs(args);
  if (config === "help") {
    console.log(USAGE);
    return 0;
  }
  // A temporary directory unless one is given: every soak starts cold, on empty brokers.
  const dir = config.dataDir ?? await Deno.makeTempDir({ prefix: "chaos-cluster-" });
  // Ctrl-C or SIGTERM: the soak's processes and brokers go with it, at once.
  const controller = new AbortController();
  const onSignal = () => {
    controller.abort();
    console.error("Stopping the soak's consumers, producer and brokers ...");
    void stopCluster(dir)
      .then(() => config.dataDir === undefined ? Deno.remove(dir, { recursive: true }) : undefined)
      .finally(() => Deno.exit(130));
  };
  for (const signal of SIGNALS) Deno.addSignalListener(signal, onSignal);
  let passed = false;
  try {
    passed = await runChaos(config, dir, writeLine, controller.signal);
    return passed ? 0 : 1;
  } finally {
    for (const signal of SIGNALS) Deno.removeSignalListener(signal, onSignal);
    // A failed soak keeps its brokers' logs (node-N/logs/server.log) for a look.
    if (config.dataDir === undefined && !config.keep && passed) {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    } else if (config.dataDir === undefined && !config.keep) {
      console.error(`The cluster's data and logs are kept in ${dir}`);
    }
  }
}

if (import.meta.main) runMain(main, USAGE);
