import assert from "node:assert/strict";
import { AssignerProtocol } from "kafkajs";
import { assignedPartitions, readBrokerState } from "./gather.ts";

Deno.test("assignedPartitions() reads a member's partitions of the topic, sorted", () => {
  const bytes = AssignerProtocol.MemberAssignment.encode({
    version: 0,
    assignment: { orders: [2, 0], other: [1] },
    userData: null as never,
  });
  assert.deepEqual(assignedPartitions(bytes, "orders"), [0, 2]);
  assert.deepEqual(assignedPartitions(bytes, "missing"), []);
  assert.deepEqual(assignedPartitions(new Uint8Array([1, 2]), "orders"), []);
});

Deno.test("readBrokerState() says the broker is unreachable when it does not answer in time", async () => {
  const never = () => new Promise<never>(() => {});
  const admin = {
    describeCluster: never,
    fetchTopicOffsets: never,
    fetchOffsets: never,
    describeGroups: never,
  };
  assert.deepEqual(await readBrokerState(admin, "orders", "g", 20), {
    reachable: false,
    error: "no answer within 0.02 s",
  });
});

Deno.test("readBrokerState() gathers offsets, commits, state and members", async () => {
  const assignment = AssignerProtocol.MemberAssignment.encode({
    version: 0,
    assignment: { orders: [1] },
    userData: null as never,
  });
  const admin = {
    describeCluster: () =>
      Promise.resolve({
        brokers: [{ nodeId: 1, host: "h", port: 1 }],
        controller: 1,
        clusterId: "c",
      }),
    fetchTopicOffsets: () => Promise.resolve([{ partition: 1, offset: "9", high: "9", low: "0" }]),
    fetchOffsets: () =>
      Promise.resolve([{
        topic: "orders",
        partitions: [{ partition: 1, offset: "4", metadata: null }],
      }]),
    describeGroups: () =>
      Promise.resolve({
        groups: [{
          groupId: "g",
          state: "Stable",
          protocol: "RoundRobinAssigner",
          protocolType: "consumer",
          errorCode: 0,
          members: [{
            memberId: "m",
            clientId: "c1",
            clientHost: "/127.0.0.1",
            memberAssignment: assignment,
            memberMetadata: new Uint8Array(),
          }],
        }],
      }),
  };
  // deno-lint-ignore no-explicit-any
  const state = await readBrokerState(admin as any, "orders", "g");
  assert.deepEqual(state, {
    reachable: true,
    brokers: 1,
    logs: [{ partition: 1, low: "0", high: "9" }],
    committed: new Map([[1, { offset: "4", metadata: null }]]),
    groupState: "Stable",
    members: [{ clientId: "c1", host: "127.0.0.1", partitions: [1] }],
  });
});
