import assert from "node:assert/strict";
import errors from "kafkajs/src/errors.js";
import BrokerPool from "kafkajs/src/cluster/brokerPool.js";
import Cluster from "kafkajs/src/cluster/index.js";
import { changedKafkajsSources } from "../testing/kafkajs_sources.ts";
import { anyBrokerIfUnreachable, passOverDeadBrokers, withAnyBroker } from "./dead_broker.ts";

/**
 * SHA-256 of each kafkajs 2.2.4 file dead_broker.ts replaces or relies on:
 * the broker pool (`withBroker`, replaced; `findBroker`, which throws the
 * connection error or `KafkaJSBrokerNotFound` that the replacement passes
 * over; `findConnectedBroker`, the controller fallback), the cluster
 * (`findControllerBroker`, wrapped, and the `findBroker` it goes through),
 * and the errors whose names both fixes compare.
 */
const DEAD_BROKER_SOURCES: Record<string, string> = {
  "src/cluster/brokerPool.js": "9994863e891ac2ab243f27f941ef87893889f53d64aa580353fafbb8d11614c6",
  "src/cluster/index.js": "3831a6845e4e9fb0de73d5ff50a3695974fb8a927acde677c524fe1c362bd57d",
  "src/errors.js": "bb3e50177a7b73f4cd35b3318d50a2fc50d9e631488c6ae89669b31aee25c926",
};

type Callback = (args: { nodeId: string; broker: unknown }) => Promise<unknown>;

interface KafkajsPrototypes {
  withBroker: (this: unknown, callback: Callback) => Promise<unknown>;
  findControllerBroker: (this: unknown) => Promise<unknown>;
}

/** The methods passOverDeadBrokers() replaces, as kafkajs's classes hold them now. */
function prototypes(): KafkajsPrototypes {
  return {
    withBroker: (BrokerPool as unknown as { prototype: KafkajsPrototypes }).prototype.withBroker,
    findControllerBroker: (Cluster as unknown as { prototype: KafkajsPrototypes }).prototype
      .findControllerBroker,
  };
}

// Read before any test patches them: nothing this file imports calls passOverDeadBrokers().
const KAFKAJS_METHODS = prototypes();

/**
 * Runs `fn` with every shuffle (kafkajs's and ours) keeping the pool's
 * order, 1, 2, 3: with `Math.random()` just under 1, Fisher-Yates swaps
 * each item with itself.
 */
async function inPoolOrder<T>(fn: () => Promise<T>): Promise<T> {
  const random = Math.random;
  Math.random = () => 0.999_999;
  try {
    return await fn();
  } finally {
    Math.random = random;
  }
}

/** kafkajs's own error classes (those the fixes name), each taking its message first. */
const { KafkaJSBrokerNotFound, KafkaJSConnectionError, KafkaJSSASLAuthenticationError } =
  errors as Record<string, new (message: string, options?: object) => Error>;

function connectionError(nodeId: string): Error {
  return new KafkaJSConnectionError(`Connection error: connect ECONNREFUSED broker ${nodeId}`, {
    broker: `broker-${nodeId}:9092`,
  });
}

/**
 * A stand-in for kafkajs's `BrokerPool` with brokers 1 to 3, each a distinct
 * object; those in `dead` cannot be connected to. Records the node ids it
 * was asked to connect to, in order, and the error it threw for each dead one.
 */
function fakePool(dead: string[]) {
  const brokers: Record<string, { nodeId: string }> = {
    1: { nodeId: "1" },
    2: { nodeId: "2" },
    3: { nodeId: "3" },
  };
  const connected: string[] = [];
  const thrown: Record<string, Error> = {};
  return {
    brokers,
    connected,
    thrown,
    findBroker({ nodeId }: { nodeId: string }): Promise<unknown> {
      connected.push(nodeId);
      if (!dead.includes(nodeId)) return Promise.resolve(brokers[nodeId]);
      thrown[nodeId] = connectionError(nodeId);
      return Promise.reject(thrown[nodeId]);
    },
  };
}

/** A callback that records the node ids it is called with and fails for those in `failing`. */
function recordingCallback(failing: string[] = []) {
  const asked: string[] = [];
  const callback = ({ nodeId, broker }: { nodeId: string; broker: unknown }) => {
    asked.push(nodeId);
    return failing.includes(nodeId)
      ? Promise.reject(new Error(`NOT_COORDINATOR from ${nodeId}`))
      : Promise.resolve(broker);
  };
  return { asked, callback };
}

/**
 * A stand-in for a kafkajs `Broker`, as `BrokerPool` uses one: it connects,
 * or its `connect()` fails with `failure`.
 */
function fakeBroker(nodeId: string, failure?: Error) {
  let connected = false;
  const broker = {
    nodeId,
    connects: 0,
    isConnected: () => connected,
    connect(): Promise<void> {
      broker.connects++;
      if (failure !== undefined) return Promise.reject(failure);
      connected = true;
      return Promise.resolve();
    },
    disconnect(): Promise<void> {
      connected = false;
      return Promise.resolve();
    },
  };
  return broker;
}

type FakeBroker = ReturnType<typeof fakeBroker>;

/** kafkajs's logger interface, saying nothing. */
const quiet = {
  namespace: () => quiet,
  info() {},
  warn() {},
  error() {},
  debug() {},
};

/** The part of a real kafkajs `BrokerPool` these tests set up and call. */
interface RealPool {
  brokers: Record<string, FakeBroker>;
  metadata: unknown;
  withBroker(callback: Callback): Promise<unknown>;
  findConnectedBroker(): Promise<unknown>;
}

/** A real kafkajs `BrokerPool` over `brokers`, connecting once (no retry). */
function realPool(brokers: FakeBroker[]): RealPool {
  const Pool = BrokerPool as unknown as new (options: object) => RealPool;
  const pool = new Pool({ logger: quiet, retry: { retries: 0 } });
  pool.brokers = Object.fromEntries(brokers.map((b) => [b.nodeId, b]));
  return pool;
}

/**
 * A real kafkajs `Cluster` whose metadata names broker 1 of `brokers` as the
 * controller. Its metadata refresh, which kafkajs's lookup calls after a
 * connection error, is counted instead of sent; the pool's
 * `findConnectedBroker()` calls are counted too.
 */
function realCluster(brokers: FakeBroker[]) {
  const Real = Cluster as unknown as new (options: object) => {
    brokerPool: RealPool;
    refreshMetadata(): Promise<void>;
    findControllerBroker(): Promise<unknown>;
  };
  const cluster = new Real({
    logger: quiet,
    brokers: ["127.0.0.1:9"],
    clientId: "dead-broker-test",
    retry: { retries: 0 },
  });
  const counts = { refreshes: 0, fallbacks: 0 };
  cluster.refreshMetadata = () => {
    counts.refreshes++;
    return Promise.resolve();
  };
  cluster.brokerPool.brokers = Object.fromEntries(brokers.map((b) => [b.nodeId, b]));
  cluster.brokerPool.metadata = { controllerId: 1 };
  const findConnected = cluster.brokerPool.findConnectedBroker.bind(cluster.brokerPool);
  cluster.brokerPool.findConnectedBroker = () => {
    counts.fallbacks++;
    return findConnected();
  };
  return { cluster, counts };
}

/** A validator for `assert.rejects` that accepts `expected` itself and nothing else. */
function same(expected: unknown): (error: unknown) => true {
  return (error) => {
    assert.equal(error, expected);
    return true;
  };
}

Deno.test("the kafkajs sources dead_broker.ts replaces or relies on are unchanged", async () => {
  assert.deepEqual(
    await changedKafkajsSources(DEAD_BROKER_SOURCES),
    [],
    "re-read these files and check dead_broker.ts against them",
  );
});

Deno.test("passOverDeadBrokers() replaces withBroker and wraps findControllerBroker of kafkajs 2.2.4, once", () => {
  assert.equal(passOverDeadBrokers(), true);
  const patched = prototypes();
  assert.notEqual(patched.withBroker, KAFKAJS_METHODS.withBroker);
  assert.notEqual(patched.findControllerBroker, KAFKAJS_METHODS.findControllerBroker);
  // A second call neither replaces nor wraps again.
  assert.equal(passOverDeadBrokers(), true);
  assert.deepEqual(prototypes(), patched);
});

Deno.test("withAnyBroker() passes over brokers it cannot reach and asks the first it can", async () => {
  await inPoolOrder(async () => {
    const p = fakePool(["1"]);
    const { asked, callback } = recordingCallback();
    assert.equal(await withAnyBroker(p, callback), p.brokers[2]);
    assert.deepEqual(p.connected, ["1", "2"]);
    assert.deepEqual(asked, ["2"]);

    const q = fakePool(["1", "2"]);
    const second = recordingCallback();
    assert.equal(await withAnyBroker(q, second.callback), q.brokers[3]);
    assert.deepEqual(q.connected, ["1", "2", "3"]);
    assert.deepEqual(second.asked, ["3"]);
  });
});

Deno.test("withAnyBroker() asks the next broker when a request fails, and resolves null when all failed", async () => {
  await inPoolOrder(async () => {
    const p = fakePool([]);
    const { asked, callback } = recordingCallback(["1"]);
    assert.equal(await withAnyBroker(p, callback), p.brokers[2]);
    assert.deepEqual(asked, ["1", "2"]);

    const q = fakePool([]);
    const all = recordingCallback(["1", "2", "3"]);
    assert.equal(await withAnyBroker(q, all.callback), null);
    assert.deepEqual(q.connected, ["1", "2", "3"]);
    assert.deepEqual(all.asked, ["1", "2", "3"]);
  });
});

Deno.test("withAnyBroker() resolves null, not a connection error, when the brokers it reached all failed", async () => {
  await inPoolOrder(async () => {
    const p = fakePool(["1", "3"]);
    const { asked, callback } = recordingCallback(["2"]);
    assert.equal(await withAnyBroker(p, callback), null);
    assert.deepEqual(p.connected, ["1", "2", "3"]);
    assert.deepEqual(asked, ["2"]);
  });
});

Deno.test("withAnyBroker() throws the last connection error when no broker can be reached", async () => {
  await inPoolOrder(async () => {
    const p = fakePool(["1", "2", "3"]);
    const { asked, callback } = recordingCallback();
    const error = await withAnyBroker(p, callback).then(() => "resolved", (e: unknown) => e);
    assert.equal(error, p.thrown[3]);
    assert.equal((error as Error).message, "Connection error: connect ECONNREFUSED broker 3");
    assert.deepEqual(p.connected, ["1", "2", "3"]);
    assert.deepEqual(asked, []);
  });
});

Deno.test("withAnyBroker() throws KafkaJSBrokerNotFound for a pool without brokers, as kafkajs does", async () => {
  let finds = 0;
  const empty = { brokers: {}, findBroker: () => Promise.resolve(finds++) };
  await assert.rejects(withAnyBroker(empty, () => Promise.resolve(1)), {
    name: "KafkaJSBrokerNotFound",
    message: "No brokers in the broker pool",
  });
  assert.equal(finds, 0);
});

Deno.test("withAnyBroker() tries the brokers in random order", async () => {
  const firsts = new Set<string>();
  for (let i = 0; i < 100; i++) {
    const p = fakePool([]);
    await withAnyBroker(p, () => Promise.resolve(null));
    firsts.add(p.connected[0]);
  }
  // Each broker first at least once: a fixed order would fail, chance alone only with 3 × (2/3)^100.
  assert.deepEqual([...firsts].sort(), ["1", "2", "3"]);
});

Deno.test("passOverDeadBrokers() makes kafkajs's BrokerPool pass over a broker it cannot connect to", async () => {
  passOverDeadBrokers();
  const dead = fakeBroker("1", connectionError("1"));
  const alive = fakeBroker("2");
  const pool = realPool([dead, alive, fakeBroker("3")]);
  const { asked, callback } = recordingCallback();
  // kafkajs's own withBroker would reject with broker 1's connection error here.
  assert.equal(await inPoolOrder(() => pool.withBroker(callback)), alive);
  assert.deepEqual(asked, ["2"]);
  assert.equal(dead.connects, 1);
  assert.equal(alive.connects, 1);
});

Deno.test("anyBrokerIfUnreachable() returns the pool's connected broker when find() fails with a connection error", async () => {
  const alive = { nodeId: "2" };
  let fallbacks = 0;
  const pool = {
    findConnectedBroker: () => {
      fallbacks++;
      return Promise.resolve(alive);
    },
  };
  const dead = connectionError("1");
  assert.equal(await anyBrokerIfUnreachable(() => Promise.reject(dead), pool), alive);
  assert.equal(fallbacks, 1);
  // A controller missing from the cached metadata is as unreachable.
  const missing = new KafkaJSBrokerNotFound("Controller broker with id 1 not found");
  assert.equal(await anyBrokerIfUnreachable(() => Promise.reject(missing), pool), alive);
  assert.equal(fallbacks, 2);
});

Deno.test("anyBrokerIfUnreachable() rethrows any other error of find() unchanged, without asking the pool", async () => {
  let fallbacks = 0;
  const pool = { findConnectedBroker: () => Promise.resolve(fallbacks++) };
  const others = [
    new KafkaJSSASLAuthenticationError("SASL PLAIN authentication failed"),
    new TypeError("Cannot read properties of undefined (reading 'controllerId')"),
    new Error("connect ECONNREFUSED 127.0.0.1:39201"),
  ];
  for (const other of others) {
    await assert.rejects(anyBrokerIfUnreachable(() => Promise.reject(other), pool), same(other));
  }
  await assert.rejects(anyBrokerIfUnreachable(() => Promise.reject(null), pool), same(null));
  assert.equal(fallbacks, 0);
});

Deno.test("anyBrokerIfUnreachable() returns find()'s broker without asking the pool", async () => {
  const controller = { nodeId: "1" };
  let fallbacks = 0;
  const pool = { findConnectedBroker: () => Promise.resolve(fallbacks++) };
  assert.equal(await anyBrokerIfUnreachable(() => Promise.resolve(controller), pool), controller);
  assert.equal(fallbacks, 0);
});

Deno.test("anyBrokerIfUnreachable() throws the pool's error when no broker can be reached either", async () => {
  const none = connectionError("2");
  const pool = { findConnectedBroker: () => Promise.reject(none) };
  await assert.rejects(
    anyBrokerIfUnreachable(() => Promise.reject(connectionError("1")), pool),
    same(none),
  );
});

Deno.test("passOverDeadBrokers() makes kafkajs's findControllerBroker use a connected broker when the controller is dead", async () => {
  passOverDeadBrokers();
  const controller = fakeBroker("1", connectionError("1"));
  const alive = fakeBroker("2");
  const { cluster, counts } = realCluster([controller, alive, fakeBroker("3")]);
  // kafkajs's own lookup would reject with broker 1's connection error here.
  assert.equal(await inPoolOrder(() => cluster.findControllerBroker()), alive);
  assert.equal(controller.connects, 2); // kafkajs's lookup, then the fallback's pass over the pool
  assert.equal(counts.refreshes, 1); // kafkajs's own lookup ran, and refreshed on the error
  assert.equal(counts.fallbacks, 1);
});

Deno.test("passOverDeadBrokers() leaves kafkajs's findControllerBroker a controller that answers", async () => {
  passOverDeadBrokers();
  const controller = fakeBroker("1");
  const { cluster, counts } = realCluster([controller, fakeBroker("2")]);
  assert.equal(await cluster.findControllerBroker(), controller);
  assert.deepEqual(counts, { refreshes: 0, fallbacks: 0 });
});

Deno.test("passOverDeadBrokers() leaves kafkajs's findControllerBroker failing on a controller's other errors", async () => {
  passOverDeadBrokers();
  const denied = new KafkaJSSASLAuthenticationError("SASL PLAIN authentication failed");
  const { cluster, counts } = realCluster([fakeBroker("1", denied), fakeBroker("2")]);
  await assert.rejects(cluster.findControllerBroker(), same(denied));
  assert.deepEqual(counts, { refreshes: 0, fallbacks: 0 });
});
