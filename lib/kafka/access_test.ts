import assert from "node:assert/strict";
import {
  AccessDeniedError,
  accessDeniedLine,
  asAccessDenied,
  deniedResource,
  guard,
} from "./access.ts";

/** A kafkajs-shaped protocol error. */
function protocolError(type: string): Error {
  return Object.assign(new Error(`${type} message`), { name: "KafkaJSProtocolError", type });
}

Deno.test("deniedResource() reads the three denial types through wrappers and aggregates", () => {
  assert.equal(deniedResource(protocolError("TOPIC_AUTHORIZATION_FAILED")), "topic");
  assert.equal(deniedResource(protocolError("CLUSTER_AUTHORIZATION_FAILED")), "cluster");
  const wrapped = Object.assign(new Error("retries"), {
    originalError: protocolError("GROUP_AUTHORIZATION_FAILED"),
  });
  assert.equal(deniedResource(wrapped), "group");
  const aggregate = Object.assign(new Error("Topic creation errors"), {
    errors: [protocolError("TOPIC_ALREADY_EXISTS"), protocolError("TOPIC_AUTHORIZATION_FAILED")],
  });
  assert.equal(deniedResource(aggregate), "topic");
});

Deno.test("deniedResource() takes kafkajs's GroupCoordinatorNotFound for a group denial", () => {
  const error = Object.assign(new Error("Failed to find group coordinator"), {
    name: "KafkaJSGroupCoordinatorNotFound",
  });
  assert.equal(deniedResource(error), "group");
});

Deno.test("deniedResource() is undefined for other errors", () => {
  assert.equal(deniedResource(protocolError("NOT_LEADER_FOR_PARTITION")), undefined);
  assert.equal(deniedResource(new Error("Closed connection")), undefined);
  assert.equal(deniedResource("text"), undefined);
});

Deno.test("accessDeniedLine() names who, the operation and the resource", () => {
  assert.equal(
    accessDeniedLine(
      { operation: "Create", resource: "topic", name: "orders-x" },
      "user denied (SCRAM-SHA-512)",
    ),
    "not authorized: user denied (SCRAM-SHA-512) may not Create topic orders-x",
  );
  assert.equal(
    accessDeniedLine(
      { operation: "IdempotentWrite", resource: "cluster" },
      "client certificate CN=x",
    ),
    "not authorized: client certificate CN=x may not IdempotentWrite the cluster (it has Write on no topic)",
  );
});

Deno.test("asAccessDenied() picks the access of the refused kind, else says 'use'", () => {
  const accesses = {
    group: { operation: "Read", resource: "group", name: "g1" },
  } as const;
  const denied = asAccessDenied(
    protocolError("GROUP_AUTHORIZATION_FAILED"),
    accesses,
    "user a (PLAIN)",
  );
  assert.ok(denied instanceof AccessDeniedError);
  assert.equal(denied.message, "not authorized: user a (PLAIN) may not Read group g1");
  assert.deepEqual(denied.access, accesses.group);
  assert.equal(
    asAccessDenied(protocolError("TOPIC_AUTHORIZATION_FAILED"), accesses)?.message,
    "not authorized: this client may not use topic (unnamed)",
  );
  assert.equal(asAccessDenied(new Error("other"), accesses), undefined);
});

Deno.test("guard() turns a denial into an AccessDeniedError and passes other errors on", async () => {
  const topic = { topic: { operation: "Write", resource: "topic", name: "t" } } as const;
  await assert.rejects(
    guard(topic, undefined, () => Promise.reject(protocolError("TOPIC_AUTHORIZATION_FAILED"))),
    { name: "AccessDeniedError", message: "not authorized: this client may not Write topic t" },
  );
  const other = new Error("broker gone");
  await assert.rejects(guard(topic, undefined, () => Promise.reject(other)), (e) => e === other);
  assert.equal(await guard(topic, undefined, () => Promise.resolve("ok")), "ok");
});
