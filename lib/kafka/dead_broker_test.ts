import assert from "node:assert/strict";
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

/** A pool of brokers 1 to 3 where the ones in `dead` cannot be connected to. */
function pool(dead: string[]) {
  const connected: string[] = [];
  return {
    connected,
    brokers: { 1: {}, 2: {}, 3: {} },
    findBroker({ nodeId }: { nodeId: string }) {
      connected.push(nodeId);
      return dead.includes(nodeId)
        ? Promise.reject(
          Object.assign(new Error(`ECONNREFUSED ${nodeId}`), { name: "KafkaJSConnectionError" }),
        )
        : Promise.resolve(`broker ${nodeId}`);
    },
  };
}

Deno.test("the kafkajs sources dead_broker.ts replaces or relies on are unchanged", async () => {
  assert.deepEqual(
    await changedKafkajsSources(DEAD_BROKER_SOURCES),
    [],
    "re-read these files and check dead_broker.ts against them",
  );
});

Deno.test("passOverDeadBrokers() patches kafkajs 2.2.4, the version kafkajs_version.ts pins", () => {
  assert.equal(passOverDeadBrokers(), true);
});

Deno.test("withAnyBroker() passes over brokers it cannot reach and asks the next", async () => {
  for (let i = 0; i < 20; i++) {
    const p = pool(["1", "3"]);
    assert.equal(await withAnyBroker(p, ({ broker }) => Promise.resolve(broker)), "broker 2");
    assert.ok(p.connected.includes("2"));
  }
});

Deno.test("withAnyBroker() resolves null when every broker's request failed, as kafkajs does", async () => {
  const p = pool([]);
  assert.equal(await withAnyBroker(p, () => Promise.reject(new Error("NOT_COORDINATOR"))), null);
  assert.deepEqual(p.connected.sort(), ["1", "2", "3"]);
});

Deno.test("withAnyBroker() throws the connection error when no broker can be reached", async () => {
  await assert.rejects(withAnyBroker(pool(["1", "2", "3"]), () => Promise.resolve(1)), {
    name: "KafkaJSConnectionError",
  });
  await assert.rejects(
    withAnyBroker({ brokers: {}, findBroker: () => Promise.resolve() }, () => Promise.resolve(1)),
    {
      name: "KafkaJSBrokerNotFound",
      message: "No brokers in the broker pool",
    },
  );
});

Deno.test("passOverDeadBrokers() makes kafkajs's own BrokerPool pass over a dead broker", async () => {
  passOverDeadBrokers();
  type WithBroker = (
    this: unknown,
    callback: (args: { broker: unknown }) => Promise<unknown>,
  ) => Promise<unknown>;
  const withBroker = (BrokerPool as unknown as { prototype: { withBroker: WithBroker } })
    .prototype.withBroker;
  const p = pool(["2"]);
  for (let i = 0; i < 10; i++) {
    assert.notEqual(
      await withBroker.call(p, ({ broker }: { broker: unknown }) => Promise.resolve(broker)),
      "broker 2",
    );
  }
});

const DEAD = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:39201"), {
  name: "KafkaJSConnectionError",
});

Deno.test("anyBrokerIfUnreachable() takes any reachable broker when the named one is dead", async () => {
  const pool = { findConnectedBroker: () => Promise.resolve("broker 3") };
  assert.equal(await anyBrokerIfUnreachable(() => Promise.resolve("broker 1"), pool), "broker 1");
  assert.equal(await anyBrokerIfUnreachable(() => Promise.reject(DEAD), pool), "broker 3");
  const missing = Object.assign(new Error("not in the cached metadata"), {
    name: "KafkaJSBrokerNotFound",
  });
  assert.equal(await anyBrokerIfUnreachable(() => Promise.reject(missing), pool), "broker 3");
  const other = new Error("SASL authentication failed");
  await assert.rejects(anyBrokerIfUnreachable(() => Promise.reject(other), pool), other);
});

Deno.test("passOverDeadBrokers() puts the fallback around kafkajs's own controller lookup", async () => {
  passOverDeadBrokers();
  type Find = (this: unknown) => Promise<unknown>;
  const find = (Cluster as unknown as { prototype: { findControllerBroker: Find } }).prototype
    .findControllerBroker;
  // kafkajs's own lookup runs first: on a stand-in without its private state it fails with a
  // TypeError, which is not a dead broker and passes through; the fallback is never asked.
  let asked = false;
  const standIn = { brokerPool: { findConnectedBroker: () => Promise.resolve(asked = true) } };
  await assert.rejects(find.call(standIn), TypeError);
  assert.equal(asked, false);
});
