import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import {
  encodeProduceRequest,
  type ProduceMessage,
  type ProduceRequestArgs,
} from "./produce_request.ts";

const hex = (bytes: Uint8Array | undefined) => Buffer.from(bytes!).toString("hex");

/** A request of `messages` to partition 0 of topic "t", uncompressed. */
function request(messages: ProduceMessage[], extra: Partial<ProduceRequestArgs> = {}) {
  return {
    acks: -1,
    timeout: 30000,
    topicData: [{ topic: "t", partitions: [{ partition: 0, firstSequence: 0, messages }] }],
    ...extra,
  };
}

const noCodec = () => undefined;

Deno.test("encodeProduceRequest() writes one record as the v3 layout, field by field", async () => {
  const bytes = await encodeProduceRequest(
    request([{ key: "k", value: "v", timestamp: "1" }]),
    noCodec,
  );
  const expected = [
    "ffff", // transactional id: null
    "ffff", // acks: -1
    "00007530", // timeout: 30000
    "00000001", // one topic
    "000174", // "t"
    "00000001", // one partition
    "00000000", // partition 0
    "00000046", // record set: 70 bytes
    "0000000000000000", // base offset
    "0000003a", // batch length: 58
    "00000000", // partition leader epoch
    "02", // magic
    "17ef605d", // CRC-32C of what follows
    "0000", // attributes: no compression, not transactional
    "00000000", // last offset delta
    "0000000000000001", // first timestamp
    "0000000000000001", // max timestamp
    "ffffffffffffffff", // producer id: -1
    "0000", // producer epoch
    "00000000", // first sequence
    "00000001", // one record
    "10", // record length 8 (zigzag)
    "00", // attributes
    "00", // timestamp delta 0
    "00", // offset delta 0
    "026b", // key "k"
    "0276", // value "v"
    "00", // no headers
  ];
  assert.equal(hex(bytes), expected.join(""));
});

Deno.test("encodeProduceRequest() writes timestamp deltas from the smallest timestamp and offset deltas in order", async () => {
  const bytes = await encodeProduceRequest(
    request([{ value: "a", timestamp: "1005" }, { value: "b", timestamp: "1000" }]),
    noCodec,
  );
  const records = hex(bytes).slice(-2 * 16);
  // Null keys (01 = -1); deltas +5 (zigzag 0a) and 0; offset deltas 0 and 1.
  assert.equal(records, "0e000a000102610" + "00e000002010262" + "00");
});

Deno.test("encodeProduceRequest() writes headers, an array value as one header per element", async () => {
  const bytes = await encodeProduceRequest(
    request([{ value: null, timestamp: "7", headers: { h: ["x", Buffer.from([1, 2])], é: "z" } }]),
    noCodec,
  );
  // Length 20, attributes, deltas, null key, null value, then three headers:
  // "h"="x", "h"=01 02, "é" (two bytes)="z".
  assert.equal(
    hex(bytes).slice(-2 * 21),
    "28" + "000000" + "0101" + "06" + "0268" + "0278" + "0268" + "040102" + "04c3a9" + "027a",
  );
});

Deno.test("encodeProduceRequest() compresses the records and marks the codec in the attributes", async () => {
  const seen: Uint8Array[] = [];
  const bytes = await encodeProduceRequest(
    request([{ value: "v", timestamp: "1" }], { compression: 2 }),
    (codec) => {
      assert.equal(codec, 2);
      return (records) => {
        seen.push(records);
        return Promise.resolve(new Uint8Array([0xca, 0xfe]));
      };
    },
  );
  assert.equal(hex(seen[0]), "0e000000010276" + "00");
  const text = hex(bytes);
  assert.equal(text.slice(-2 * 42, -2 * 40), "0002", "attributes");
  assert.equal(text.slice(-12), "00000001cafe", "record count, then the compressed records");
});

Deno.test("encodeProduceRequest() writes the transactional id, producer id and epoch", async () => {
  const bytes = await encodeProduceRequest(
    request([{ value: "v", timestamp: "1" }], {
      transactionalId: "tx",
      producerId: { value: 4096n },
      producerEpoch: 3,
    }),
    noCodec,
  );
  const text = hex(bytes);
  assert.ok(text.startsWith("00027478" + "ffff"), text.slice(0, 12));
  assert.ok(text.includes("0010" + "00000000"), "attributes: transactional");
  assert.ok(text.includes("0000000000001000" + "0003"), "producer id and epoch");
});

Deno.test("encodeProduceRequest() returns undefined for what kafkajs writes differently from its sizes", async () => {
  const cases: [string, ProduceRequestArgs][] = [
    ["a Uint8Array value", request([{ value: new Uint8Array([1]) }])],
    ["a number key", request([{ key: 5, value: "v" }])],
    ["a null header value", request([{ value: "v", headers: { h: null } }])],
    ["a fractional timestamp", request([{ value: "v", timestamp: 1.5 }])],
    ["a non-numeric timestamp", request([{ value: "v", timestamp: "soon" }])],
    ["a fractional partition", {
      ...request([]),
      topicData: [{ topic: "t", partitions: [{ partition: 0.5, firstSequence: 0, messages: [] }] }],
    }],
    ["an unknown codec", request([{ value: "v" }], { compression: 9 })],
  ];
  for (const [name, args] of cases) {
    assert.equal(await encodeProduceRequest(args, noCodec), undefined, name);
  }
});
