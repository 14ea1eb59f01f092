import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { CompressionTypes } from "kafkajs";
import fetchV11 from "kafkajs/src/protocol/requests/fetch/v11/response.js";
import { generateRecords } from "../order/generator.ts";
import { compressorFor, decompressFor } from "./kafkajs_patch.ts";
import { decodeFetchResponse, NotDecoded } from "./fetch_response.ts";
import { encodeProduceRequest, type ProduceMessage } from "./produce_request.ts";
import { registerSnappy } from "./snappy.ts";

registerSnappy();

/** A record batch (as a fetch returns it) of `messages`, at `firstOffset`, with `attributes` ORed in. */
async function batch(
  messages: ProduceMessage[],
  options: { compression?: number; firstOffset?: bigint; attributes?: number } = {},
): Promise<Uint8Array> {
  const request = await encodeProduceRequest({
    acks: -1,
    timeout: 1,
    compression: options.compression ?? CompressionTypes.None,
    producerId: 12,
    producerEpoch: 3,
    topicData: [{ topic: "t", partitions: [{ partition: 0, firstSequence: 5, messages }] }],
  }, compressorFor);
  // transactional id, acks, timeout, topic count, "t", partition count, partition: 23 bytes.
  const view = new DataView(request!.buffer);
  const size = view.getInt32(23);
  const set = request!.slice(27, 27 + size);
  new DataView(set.buffer).setBigInt64(0, options.firstOffset ?? 0n);
  set[22] |= options.attributes ?? 0;
  return set;
}

interface PartitionSpec {
  partition: number;
  records: Uint8Array;
  aborted?: [bigint, bigint][];
}

/** A fetch response v11 body of one topic per entry of `topics`. */
function response(topics: [string, PartitionSpec[]][]): Buffer {
  const parts: number[] = [];
  const int = (n: number, bytes: number) => {
    for (let i = bytes - 1; i >= 0; i--) parts.push(Number((BigInt(n) >> BigInt(8 * i)) & 0xffn));
  };
  const long = (n: bigint) => {
    for (let i = 7; i >= 0; i--) {
      parts.push(Number((BigInt.asUintN(64, n) >> BigInt(8 * i)) & 0xffn));
    }
  };
  int(0, 4); // throttle
  int(0, 2); // error code
  int(77, 4); // session id
  int(topics.length, 4);
  for (const [topic, partitions] of topics) {
    const name = new TextEncoder().encode(topic);
    int(name.length, 2);
    parts.push(...name);
    int(partitions.length, 4);
    for (const p of partitions) {
      int(p.partition, 4);
      int(0, 2);
      long(1000n);
      long(990n);
      long(0n);
      int(p.aborted?.length ?? -1, 4);
      for (const [pid, first] of p.aborted ?? []) {
        long(pid);
        long(first);
      }
      int(-1, 4); // preferred read replica
      int(p.records.length, 4);
      parts.push(...p.records);
    }
  }
  return Buffer.from(parts);
}

/** Decodes `raw` with ours and kafkajs's and checks they agree, object for object. */
async function agree(raw: Buffer) {
  const ours = await decodeFetchResponse(raw, decompressFor);
  const theirs = await fetchV11.decode(raw);
  assert.deepStrictEqual(ours, theirs);
  return ours;
}

const ORDERS = generateRecords(50, { seed: 9 }).map((r, i) => ({
  key: r.key,
  value: r.value,
  timestamp: String(1_732_700_000_000 + (i % 4)),
}));

const concat = (...parts: Uint8Array[]) => Buffer.concat(parts);

Deno.test("decodeFetchResponse() reads snappy, gzip and plain batches as kafkajs does", async () => {
  const decoded = await agree(response([["orders", [
    { partition: 0, records: await batch(ORDERS, { compression: CompressionTypes.Snappy }) },
    {
      partition: 1,
      records: await batch(ORDERS.slice(0, 7), { compression: CompressionTypes.GZIP }),
    },
    { partition: 2, records: await batch(ORDERS.slice(0, 9)) },
  ]]]));
  const messages = decoded.responses[0].partitions.map((p) => p.messages.length);
  assert.deepEqual(messages, [50, 7, 9]);
  assert.equal(decoded.responses[0].partitions[0].messages[3].timestamp, "1732700000003");
});

Deno.test("decodeFetchResponse() reads keys, values and headers of every shape as kafkajs does", async () => {
  const odd: ProduceMessage[] = [
    { key: null, value: null, timestamp: "10" },
    { key: "", value: "", timestamp: "9" },
    { key: "clé 😀", value: Buffer.from([0, 255]), timestamp: "11" },
    { value: "h", timestamp: "10", headers: { a: "1", b: [Buffer.from([1]), "2"], "é": "ü" } },
    { value: "p", timestamp: "10", headers: { ["__proto__"]: "x", constructor: "y" } },
    { value: "bad utf-8 name", timestamp: "10", headers: { "\ud800": "lone" } },
  ];
  await agree(response([["t", [{ partition: 0, records: await batch(odd) }]]]));
});

Deno.test("decodeFetchResponse() takes several batches, a partial last one, and offsets past 2^53", async () => {
  const first = await batch(ORDERS.slice(0, 5), { firstOffset: 2n ** 53n - 2n });
  const second = await batch(ORDERS.slice(5, 9), {
    compression: CompressionTypes.Snappy,
    firstOffset: 2n ** 53n + 3n,
  });
  const partial = (await batch(ORDERS.slice(9, 20))).slice(0, 70);
  const decoded = await agree(response([["t", [
    { partition: 4, records: concat(first, second, partial) },
  ]]]));
  const offsets = decoded.responses[0].partitions[0].messages.map((m) => m.offset);
  assert.deepEqual(offsets.slice(0, 2), ["9007199254740990", "9007199254740991"]);
  assert.equal(offsets.length, 9);
});

Deno.test("decodeFetchResponse() reads control, transactional and log-append-time batches and aborted transactions", async () => {
  await agree(response([
    ["a", [
      { partition: 0, records: await batch(ORDERS.slice(0, 3), { attributes: 0x08 }) },
      { partition: 1, records: await batch(ORDERS.slice(0, 2), { attributes: 0x30 }) },
      { partition: 2, records: new Uint8Array(), aborted: [[12n, 40n], [13n, 2n ** 60n]] },
    ]],
    ["b", [{ partition: 0, records: await batch(ORDERS.slice(0, 1), { attributes: 0x10 }) }]],
  ]));
});

Deno.test("decodeFetchResponse() leaves a legacy message set to kafkajs's decoder", async () => {
  const legacy = await batch(ORDERS.slice(0, 1));
  legacy[16] = 1; // magic 1
  await assert.rejects(
    decodeFetchResponse(response([["t", [{ partition: 0, records: legacy }]]]), decompressFor),
    NotDecoded,
  );
});
