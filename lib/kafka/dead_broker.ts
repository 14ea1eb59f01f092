/**
 * Two fixes to kafkajs 2.2.4, applied once per process by the client
 * factory, for a broker that died and is still in kafkajs's last metadata
 * (the controller fences it only after the brokers' session timeout).
 *
 * `BrokerPool.withBroker`, which serves metadata requests and group
 * coordinator lookups, tries the brokers of its last metadata in random
 * order but connects to each outside its try, so the first dead one it picks
 * fails the call instead of passing to the next. Until the dead broker
 * drops out of the metadata (the controller fences it after the brokers'
 * session timeout), a third of `describeCluster`, `listTopics` and
 * coordinator lookups failed on a three-broker cluster, and a consumer that
 * (re)started then exited with "cannot reach Kafka". Here a broker that
 * cannot be reached is passed over like one whose request failed. The rest
 * is kafkajs's contract: `null` when every request failed (its callers turn
 * that into their own error), and the connection error when no broker could
 * be reached at all.
 *
 * `Cluster.findControllerBroker`, which an idempotent producer asks for its
 * producer id and the admin for topic changes, connects to the broker the
 * metadata names as controller, and fails when that one is dead. Under KRaft
 * that id is a broker the answering broker picked at random (any broker
 * forwards such requests to the real controller), so after a broker's death
 * a producer (and so a consumer, whose dead letters need one) could not
 * start. When it cannot be reached, any broker that can is used instead; a
 * ZooKeeper-mode broker that is not the controller answers NOT_CONTROLLER,
 * which kafkajs retries after refreshing its metadata.
 *
 * Both replace kafkajs internals, so they apply to kafkajs 2.2.4 only (the
 * version `kafkajs_version.ts` and `deno.json` pin); `dead_broker_test.ts`
 * fails when a kafkajs file they were checked against changes.
 *
 * @module
 */
import BrokerPool from "kafkajs/src/cluster/brokerPool.js";
import Cluster from "kafkajs/src/cluster/index.js";
import { isPatchableKafkajs } from "./kafkajs_version.ts";

/** The part of kafkajs's internal `BrokerPool` these fixes touch. */
interface Pool {
  brokers: Record<string, unknown>;
  findBroker(args: { nodeId: string }): Promise<unknown>;
}

/** The part of kafkajs's internal `Cluster` the controller fix touches. */
interface ClusterLike {
  brokerPool: { findConnectedBroker(): Promise<unknown> };
}

let patched = false;

/**
 * Replaces `BrokerPool.prototype.withBroker` with {@linkcode withAnyBroker}
 * and wraps `Cluster.prototype.findControllerBroker` with
 * {@linkcode anyBrokerIfUnreachable} (once). Every kafkajs client of the
 * process shares these classes, so this covers the clients made before and
 * after it. Leaves kafkajs alone and returns `false` when it is not the
 * version `kafkajs_version.ts` pins: another version's `withBroker` or
 * controller lookup may differ from what these replace.
 */
export function passOverDeadBrokers(): boolean {
  if (patched) return true;
  if (!isPatchableKafkajs()) return false;
  patched = true;
  (BrokerPool as unknown as { prototype: { withBroker: unknown } }).prototype.withBroker =
    function (
      this: Pool,
      callback: (args: { nodeId: string; broker: unknown }) => Promise<unknown>,
    ) {
      return withAnyBroker(this, callback);
    };
  const cluster = (Cluster as unknown as {
    prototype: { findControllerBroker(this: ClusterLike): Promise<unknown> };
  }).prototype;
  const findController = cluster.findControllerBroker;
  cluster.findControllerBroker = function (this: ClusterLike) {
    return anyBrokerIfUnreachable(() => findController.call(this), this.brokerPool);
  };
  return true;
}

/**
 * `find()`'s broker, or, when it cannot be reached (a connection error, or
 * a broker missing from the metadata), one from `pool` that can.
 *
 * @example
 * ```ts
 * import { anyBrokerIfUnreachable } from "./dead_broker.ts";
 * const dead = Object.assign(new Error("connect ECONNREFUSED"), { name: "KafkaJSConnectionError" });
 * await anyBrokerIfUnreachable(() => Promise.reject(dead), {
 *   findConnectedBroker: () => Promise.resolve("broker 2"),
 * }); // "broker 2"
 * ```
 */
export async function anyBrokerIfUnreachable<T>(
  find: () => Promise<T>,
  pool: { findConnectedBroker(): Promise<unknown> },
): Promise<T> {
  try {
    return await find();
  } catch (error) {
    const name = (error as { name?: string } | null)?.name;
    if (name !== "KafkaJSConnectionError" && name !== "KafkaJSBrokerNotFound") throw error;
    return await pool.findConnectedBroker() as T;
  }
}

/**
 * Calls `callback` with the brokers of `pool`, in random order, until one
 * call succeeds; a broker that cannot be connected to is passed over.
 * Resolves `null` when every call failed, and throws the last connection
 * error when no broker could be reached, or a `KafkaJSBrokerNotFound`-named
 * error when the pool has none.
 *
 * @example
 * ```ts
 * import { withAnyBroker } from "./dead_broker.ts";
 * const pool = {
 *   brokers: { 1: "dead", 2: "alive" },
 *   findBroker: ({ nodeId }: { nodeId: string }) =>
 *     nodeId === "1" ? Promise.reject(new Error("ECONNREFUSED")) : Promise.resolve("alive"),
 * };
 * await withAnyBroker(pool, ({ broker }) => Promise.resolve(broker)); // "alive"
 * ```
 */
export async function withAnyBroker<T>(
  pool: Pool,
  callback: (args: { nodeId: string; broker: unknown }) => Promise<T>,
): Promise<T | null> {
  const nodeIds = shuffle(Object.keys(pool.brokers));
  if (nodeIds.length === 0) {
    throw Object.assign(new Error("No brokers in the broker pool"), {
      name: "KafkaJSBrokerNotFound",
    });
  }
  let unreachable: unknown;
  let asked = false;
  for (const nodeId of nodeIds) {
    let broker: unknown;
    try {
      broker = await pool.findBroker({ nodeId });
    } catch (error) {
      unreachable = error;
      continue;
    }
    asked = true;
    try {
      return await callback({ nodeId, broker });
    } catch {
      // As kafkajs does: the next broker may answer.
    }
  }
  if (asked) return null;
  throw unreachable;
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
