import assert from "node:assert/strict";
import { consumerArgs, parseConsumerLine } from "./consumers.ts";

Deno.test("consumerArgs() runs consumer.ts in JSON with the soak's group and a short session", () => {
  assert.deepEqual(
    consumerArgs({
      brokers: "a:1,b:2",
      topic: "t",
      dlqTopic: "t-dlq",
      group: "g",
      sessionTimeoutMs: 6000,
    }),
    [
      "--json",
      "--brokers=a:1,b:2",
      "--topic=t",
      "--dlq-topic=t-dlq",
      "--group=g",
      "--session-timeout=6000",
      "--heartbeat-interval=1000",
    ],
  );
});

Deno.test("parseConsumerLine() reads processed and joined events and ignores the rest", () => {
  assert.deepEqual(
    parseConsumerLine(
      '{"event":"processed","orderId":"ORD-00001","product":"Mouse","price":1,"partition":4,"offset":"12","aggregate":{}}',
    ),
    { kind: "processed", partition: 4, offset: "12" },
  );
  assert.deepEqual(parseConsumerLine('{"event":"joined","group":"g","partitions":[1,3]}'), {
    kind: "joined",
    partitions: [1, 3],
  });
  for (const line of ['{"event":"summary"}', "Consumer started", "{not json", ""]) {
    assert.deepEqual(parseConsumerLine(line), { kind: "other" });
  }
});
