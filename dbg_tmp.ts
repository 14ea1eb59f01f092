import { CompressionTypes, Kafka, logLevel } from "kafkajs";
import { registerSnappy } from "./lib/snappy.ts";
import { Buffer } from "node:buffer";
registerSnappy();
const kafka = new Kafka({ brokers: ["127.0.0.1:29092"], logLevel: logLevel.ERROR });
const t = "dbg-" + Date.now();
const admin = kafka.admin();
await admin.connect();
await admin.createTopics({ topics: [{ topic: t, numPartitions: 1 }], waitForLeaders: true });
const p = kafka.producer();
await p.connect();
await p.send({
  topic: t,
  compression: CompressionTypes.Snappy,
  messages: Array.from(
    { length: 50 },
    (_, i) => ({ key: "k" + i, value: Buffer.from("value-" + i) }),
  ),
});
await p.disconnect();
const c = kafka.consumer({ groupId: t });
await c.connect();
await c.subscribe({ topic: t, fromBeginning: true });
let n = 0;
await c.run({
  eachMessage: async ({ message }) => {
    n++;
  },
});
await new Promise((r) => setTimeout(r, 4000));
console.log("consumed", n);
await c.disconnect();
await admin.disconnect();
