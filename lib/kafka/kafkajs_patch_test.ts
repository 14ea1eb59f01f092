import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { CompressionTypes, Partitioners } from "kafkajs";
import pkg from "kafkajs/package.json" with { type: "json" };
import produceRequests from "kafkajs/src/protocol/requests/produce/index.js";
import fetchRequests from "kafkajs/src/protocol/requests/fetch/index.js";
import fetchV11 from "kafkajs/src/protocol/requests/fetch/v11/response.js";
import requestV7 from "kafkajs/src/protocol/requests/produce/v7/request.js";
import groupMessagesPerPartition from "kafkajs/src/producer/groupMessagesPerPartition.js";
import Long from "kafkajs/src/utils/long.js";
import { buildDlqHeaders } from "../dlq/headers.ts";
import { generateRecords } from "../order/generator.ts";
import { partitionFor } from "./partitioner.ts";
import {
  createTopic,
  INTEGRATION,
  readTopic,
  testBrokers,
  testKafka,
  uniqueName,
  waitFor,
} from "../testing/harness.ts";
import { changedKafkajsSources } from "../testing/kafkajs_sources.ts";
import { decodeFetchResponse } from "./fetch_response.ts";
import {
  compressorFor,
  decompressFor,
  fastPathsInstalled,
  groupedByPartition,
  installFastPaths,
} from "./kafkajs_patch.ts";
import { KAFKAJS_VERSION } from "./kafkajs_version.ts";
import {
  encodeProduceRequest,
  type ProduceMessage,
  type ProduceRequestArgs,
} from "./produce_request.ts";
import { registerSnappy } from "./snappy.ts";

registerSnappy();
installFastPaths();

/**
 * SHA-256 of each kafkajs 2.2.4 file the patch replaces or relies on: the
 * produce request and what it is built from, the fetch response and what it
 * is decoded with, the request lookup (looked up per call, which is why
 * replacing `protocol` works), the producer's send path that groups a batch
 * by `messages.reduce`, and the partitioner that returns a message's own
 * partition.
 */
const KAFKAJS_SOURCES: Record<string, string> = {
  "src/protocol/requests/produce/index.js":
    "789abc7e1c33a99e956f74a34f11b8de6f70be7722580a0f0dd05f67d998f45b",
  "src/protocol/requests/produce/v3/request.js":
    "993a3db997827088f5acb08cacf3c67a99ec2886303ff465d244329b8a1c7f99",
  "src/protocol/requests/produce/v4/request.js":
    "0dc2643c0e3c51ad60ed645ab017234dde1f3e5676088fe0120f873f8e4c6eb0",
  "src/protocol/requests/produce/v5/request.js":
    "1d5dab00092a1dbd82c2ce90bc33026cedb0dcd7fe548153fca40d2c059ea203",
  "src/protocol/requests/produce/v6/request.js":
    "d19ff7d6cdad42cb666028ea5df88b74f714ffdda20126ac3ea70368701728de",
  "src/protocol/requests/produce/v7/request.js":
    "bc64c2f2d7feb31ae9c2f03b75a5ec5a290eb9084c703648803e5f15ec1a63eb",
  "src/protocol/recordBatch/v0/index.js":
    "6d6b63a8959ff0b9ea1198b2d4ec0af940a4c92d5c793bb592310ab46f99df30",
  "src/protocol/recordBatch/record/v0/index.js":
    "ffbc628c1f35f5de8ba798165616b1009d9af1c27ca959999a10e6e3c18f8215",
  "src/protocol/recordBatch/header/v0/index.js":
    "5517d33a48fa33f5fb3253b3d171c6aa0fda89d9b37d45d985c1c9bf457d45d5",
  "src/protocol/recordBatch/crc32C/index.js":
    "0826ea7387f25400b1a24bacdbba85db9c1f2e932f168874728a9ecaf1eb2379",
  "src/protocol/recordBatch/crc32C/crc32C.js":
    "1c09c7a44e7a207f2dabb920e6bf9f6b1b3fd9cc023e959a9e91ba83e5b6f61a",
  "src/protocol/encoder.js": "9977889e184a9e910e4f6098c36ec6a0ca36c183aa6ead0f24191b6aa1c9a777",
  "src/protocol/message/compression/index.js":
    "666ec6400225fe90e42f6a59d7bbda2028f4150699dda04524689ccf1f0cb2c1",
  "src/protocol/request.js": "2270900ca6474026c11957fe71ac586881985460ed2554db22ad8870dcaff634",
  "src/protocol/requests/index.js":
    "fd26a30565d7f0c14883140b7f4edadc42f34278a5f40084009b940c858ea2fd",
  "src/broker/index.js": "9cbea8898528c439c213080f99d86974460114f81b5034c49aeb593a0337ca90",
  "src/utils/long.js": "c85b8ecea7cf07520328e3e9c3b205c4fab5b68a657e3a92c400b582a5c1aa2c",
  "src/producer/groupMessagesPerPartition.js":
    "ea72357721fbf67770b5e06b9bf4260faa1e60f3affb556bff2cc7892c1881fb",
  "src/producer/sendMessages.js":
    "8a120e6993955e040a13014cccebd79b8d41e7355d6eda1065fa83fea2fbbcdb",
  "src/producer/createTopicData.js":
    "26da133f71f776a6c3059432f3bcf1c2f8b2ea0c902d48c533974d08c98c6adc",
  "src/producer/messageProducer.js":
    "529636e6ab99b29765e44e7ffbbbccf256b7241f2b9d00e6933bae4e50e841f8",
  "src/producer/partitioners/legacy/partitioner.js":
    "3ae08ffba7642537026f3beceaa46555272d8664ea7c02243c2f1141af9785ef",
  "src/protocol/requests/fetch/index.js":
    "b0961e16fca52023266570255c23e30cd770b3813bb5d75f879fe6b1609ea7c5",
  "src/protocol/requests/fetch/v11/response.js":
    "9cb972647500104e7d616edcb4856119f4a716664b64bbb1ee96c8f4f0a83eb6",
  "src/protocol/requests/fetch/v4/decodeMessages.js":
    "d9fede59bebf84ee15169d0ecc54df594a11722b6ba8d5db535ed1d8548d4fcc",
  "src/protocol/requests/fetch/v1/response.js":
    "176e26ce9f0f6447df4f83ef325a48e240319a3c00ccb35037125c68dac70557",
  "src/protocol/recordBatch/v0/decoder.js":
    "38cae7fc865f9bc51941353e1f6e9419227a8799ba4efb437199393a4eb94819",
  "src/protocol/recordBatch/record/v0/decoder.js":
    "86d740054c8be29b02873bf2871eb43ba5004af94324610541dbab2d9fabcc65",
  "src/protocol/recordBatch/header/v0/decoder.js":
    "050b16c7a8541207dbd34e847b337c1dd1d9587ebd3324126fcafa528eb6a4c6",
  "src/protocol/decoder.js": "83c43fac8d6b8ef2dcf0dfe8bc4494e84c2c94d2b59fbe41a670505a5fcba41b",
  "src/protocol/timestampTypes.js":
    "378af03d76b5bdc25bd8796ebfe37a4a24b7ce443164601d2232a445858be96d",
};

/**
 * The request bytes kafkajs's own v7 encoder writes, and those of the
 * installed patch, with the clock stopped: a partition without timestamps
 * is stamped with `Date.now()`.
 */
async function bothEncodings(args: ProduceRequestArgs): Promise<[string, string]> {
  const now = Date.now;
  Date.now = () => 1_732_700_000_123;
  try {
    const theirs = await requestV7(args).encode();
    const ours = await produceRequests.protocol({ version: 7 })(args).request.encode();
    return [theirs.buffer.toString("hex"), ours.buffer.toString("hex")];
  } finally {
    Date.now = now;
  }
}

/** One topic, each message on partition `i % 3`, first sequences 0, 10, 20. */
function oneTopic(messages: ProduceMessage[], extra: Partial<ProduceRequestArgs> = {}) {
  const partitions = [0, 1, 2].map((partition) => ({
    partition,
    firstSequence: partition * 10,
    messages: messages.filter((_, i) => i % 3 === partition),
  }));
  return {
    acks: -1,
    timeout: 30000,
    compression: CompressionTypes.None,
    producerId: Long.fromValue("8001"),
    producerEpoch: 0,
    topicData: [{ topic: "orders", partitions }],
    ...extra,
  };
}

/** Our producer's messages: string keys, Avro Buffers, create times as strings. */
function orderMessages(count: number): ProduceMessage[] {
  return generateRecords(count, { seed: 3 }).map((r, i) => ({
    key: r.key,
    value: r.value,
    timestamp: String(1_732_700_000_000 + (i % 7)),
  }));
}

const BYTE_FOR_BYTE: [string, ProduceRequestArgs][] = [
  ["2,000 orders, snappy", oneTopic(orderMessages(2000), { compression: CompressionTypes.Snappy })],
  ["2,000 orders, uncompressed", oneTopic(orderMessages(2000))],
  ["300 orders, gzip", oneTopic(orderMessages(300), { compression: CompressionTypes.GZIP })],
  [
    "null and empty keys and values",
    oneTopic([
      { key: null, value: "v", timestamp: "5" },
      { key: "k", value: null, timestamp: "5" },
      { key: undefined, value: Buffer.alloc(0), timestamp: "5" },
      { key: "", value: "", timestamp: "5" },
      { key: Buffer.from([0, 255]), value: Buffer.from("x"), timestamp: "5" },
    ]),
  ],
  [
    "unicode keys and values",
    oneTopic(
      ["é", "€uro", "😀 emoji", "漢字", "a\ud800b", "\udc00"].map((key) => ({
        key,
        value: `value of ${key}`,
        timestamp: "9",
      })),
      { compression: CompressionTypes.Snappy },
    ),
  ],
  [
    "large values",
    oneTopic([
      { key: "big", value: Buffer.alloc(100_000, 7), timestamp: "1" },
      { key: "bigger", value: Buffer.alloc(1_000_000, 3), timestamp: "1" },
      { key: "text", value: "x".repeat(20_000), timestamp: "1" },
    ]),
  ],
  [
    "headers: the DLQ's, arrays, Buffers, unicode names",
    oneTopic([
      {
        key: "ORD-1",
        value: Buffer.from("raw"),
        timestamp: "3",
        headers: buildDlqHeaders(undefined, {
          topic: "orders",
          partition: 2,
          offset: "-1",
          timestamp: "3",
          group: "",
          errorClass: "Error",
          errorMessage: "send failed after 3 attempts: ünicode ✓",
          errorType: "production",
          attempts: 3,
          failedAt: new Date(0),
        }),
      },
      { value: "v", timestamp: "3", headers: { multi: ["a", Buffer.from([1]), "c"], "clé": "ü" } },
      { value: "v", timestamp: "3", headers: {} },
      { value: "v", timestamp: "3", headers: { empty: [] } },
    ], { compression: CompressionTypes.Snappy }),
  ],
  [
    "timestamps: numbers, strings, out of order, sorted as text",
    oneTopic([
      { value: "a", timestamp: 1000 },
      { value: "b", timestamp: "999" },
      { value: "c", timestamp: "1700000000000" },
      { value: "d", timestamp: -5 },
      { value: "e", timestamp: "0" },
      { value: "f", timestamp: 1000 },
    ]),
  ],
  ["transactional id, producer epoch, two topics, an empty partition", {
    acks: -1,
    timeout: 5000,
    transactionalId: "tx-é",
    producerId: 77,
    producerEpoch: 4,
    compression: CompressionTypes.Snappy,
    topicData: [
      { topic: "a", partitions: [{ partition: 0, firstSequence: 3, messages: [] }] },
      {
        topic: "b-ü",
        partitions: [{ partition: 5, firstSequence: 0, messages: orderMessages(4) }],
      },
    ],
  }],
];

Deno.test("kafkajs is the version kafkajs_patch.ts was written for", async () => {
  assert.equal(pkg.version, KAFKAJS_VERSION);
  const config = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  assert.equal(config.imports.kafkajs, `npm:kafkajs@${KAFKAJS_VERSION}`);
  assert.equal(fastPathsInstalled(), true);
});

Deno.test("the kafkajs sources kafkajs_patch.ts replaces or relies on are unchanged", async () => {
  assert.deepEqual(
    await changedKafkajsSources(KAFKAJS_SOURCES),
    [],
    "re-read these files and check kafkajs_patch.ts against them",
  );
});

for (const [name, args] of BYTE_FOR_BYTE) {
  Deno.test(`the installed encoder writes kafkajs's bytes for ${name}`, async () => {
    // Written by ours, not handed back to kafkajs's.
    assert.notEqual(await encodeProduceRequest(args, compressorFor), undefined);
    const [theirs, ours] = await bothEncodings(args);
    assert.ok(theirs === ours, `${ours.length / 2} bytes, kafkajs ${theirs.length / 2}`);
  });
}

Deno.test("the installed encoder writes kafkajs's bytes for messages without timestamps", async () => {
  const [theirs, ours] = await bothEncodings(
    oneTopic([{ value: "a" }, { value: "b", timestamp: 0 }, { value: "c", timestamp: "12" }]),
  );
  assert.ok(theirs === ours);
});

Deno.test("the installed encoder hands what it does not take to kafkajs's encoder", async () => {
  // kafkajs writes a Uint8Array that is not a Buffer as String(value).
  const [theirs, ours] = await bothEncodings(oneTopic([{ value: new Uint8Array([1, 2]) }]));
  assert.ok(theirs === ours);
  // And fails on a number key as kafkajs does.
  const bad = oneTopic([{ key: 5, value: "v", timestamp: "1" }]);
  const their = await requestV7(bad).encode().catch((e: Error) => e.message);
  const our = await produceRequests.protocol({ version: 7 })(bad).request.encode()
    .catch((e: Error) => e.message);
  assert.equal(typeof their, "string");
  assert.equal(our, their);
});

Deno.test("groupedByPartition() groups as kafkajs's groupMessagesPerPartition does", () => {
  const partitionMetadata = [0, 1, 2].map((partitionId) => ({ partitionId, leader: 1 }));
  const plain = generateRecords(500, { seed: 5 }).map((r) => ({
    key: r.key,
    value: r.value,
    partition: partitionFor(r.key, 3),
  }));
  const group = (messages: unknown[]) =>
    groupMessagesPerPartition({
      topic: "t",
      partitionMetadata,
      messages,
      partitioner: Partitioners.DefaultPartitioner(),
    });
  const grouped = groupedByPartition([...plain]);
  assert.deepEqual(group(grouped), group(plain));
  assert.deepEqual(Object.keys(group(grouped)), ["0", "1", "2"]);
  // Any other reduce is Array's own.
  assert.equal(
    grouped.reduce((n, m) => n + m.partition, 0),
    plain.reduce((n, m) => n + m.partition, 0),
  );
});

Deno.test("groupedByPartition() leaves a batch with a message without partition to kafkajs", () => {
  const messages = [{ key: "a", partition: 1 }, { key: "b" }];
  const result = groupedByPartition(messages);
  assert.equal(Object.hasOwn(result, "reduce"), false);
});

Deno.test({
  name:
    "records sent through the installed encoder read back with their keys, values, headers and timestamps",
  ...INTEGRATION,
  async fn() {
    const brokers = await testBrokers();
    const topic = uniqueName("fast-produce");
    await createTopic(brokers, topic, 1);
    const producer = testKafka(brokers).producer({ idempotent: true });
    await producer.connect();
    const messages = [
      { key: null, value: Buffer.from([1, 2, 3]), timestamp: "1732700000000" },
      {
        key: "clé 😀",
        value: "ünicode",
        headers: { h: ["x", "y"], b: Buffer.from([9]) },
        timestamp: "1732700000005",
      },
      { key: "big", value: Buffer.alloc(200_000, 5), timestamp: "1732700000001" },
    ];
    try {
      await producer.sendBatch({
        topicMessages: [{
          topic,
          messages: groupedByPartition(messages.map((m) => ({ ...m, partition: 0 }))),
        }],
        acks: -1,
        compression: CompressionTypes.Snappy,
      });
    } finally {
      await producer.disconnect();
    }
    const read = await readTopic(brokers, topic);
    assert.deepEqual(read.map((r) => [r.offset, r.key, r.timestamp]), [
      ["0", null, "1732700000000"],
      ["1", "clé 😀", "1732700000005"],
      ["2", "big", "1732700000001"],
    ]);
    assert.deepEqual([...read[0].value!], [1, 2, 3]);
    assert.equal(read[1].value!.toString(), "ünicode");
    assert.deepEqual(read[1].headers, {
      h: [Buffer.from("x"), Buffer.from("y")],
      b: Buffer.from([9]),
    });
    assert.ok(read[2].value!.equals(Buffer.alloc(200_000, 5)));
  },
});

/** Runs `fn` keeping the raw body of every fetch response v11 decoded meanwhile. */
async function capturingFetches<T>(fn: () => Promise<T>): Promise<{ raws: Buffer[]; result: T }> {
  const raws: Buffer[] = [];
  const installed = fetchRequests.protocol;
  fetchRequests.protocol = ({ version }: { version: number }) => {
    const build = installed({ version });
    return (args: unknown) => {
      const built = build(args);
      const { decode } = built.response;
      built.response = {
        ...built.response,
        decode: (raw: Buffer) => (raws.push(raw), decode(raw)),
      };
      return built;
    };
  };
  try {
    return { raws, result: await fn() };
  } finally {
    fetchRequests.protocol = installed;
  }
}

Deno.test({
  name:
    "a broker's fetch responses decode as kafkajs decodes them: snappy, headers, committed and aborted transactions",
  ...INTEGRATION,
  async fn() {
    const brokers = await testBrokers();
    const topic = uniqueName("fast-fetch");
    await createTopic(brokers, topic, 1);
    const kafka = testKafka(brokers);
    const plain = kafka.producer({ idempotent: true });
    const tx = kafka.producer({
      transactionalId: uniqueName("tx"),
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await plain.connect();
    await tx.connect();
    try {
      const text = (value: string, headers?: Record<string, string | string[]>) => ({
        value,
        headers,
      });
      await plain.send({
        topic,
        compression: CompressionTypes.Snappy,
        messages: [text("a", { h: ["1", "2"] }), text("b")],
      });
      const committed = await tx.transaction();
      await committed.send({ topic, messages: [text("c"), text("d")] });
      await committed.commit();
      const aborted = await tx.transaction();
      await aborted.send({
        topic,
        compression: CompressionTypes.Snappy,
        messages: [text("x"), text("y")],
      });
      await aborted.abort();
      await plain.send({ topic, messages: [text("e", { "clé": "ü" })] });
    } finally {
      await plain.disconnect();
      await tx.disconnect();
    }
    const admin = kafka.admin();
    await admin.connect();
    const [{ high }] = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    const { raws, result: values } = await capturingFetches(async () => {
      const seen: string[] = [];
      let last = -1n;
      const consumer = kafka.consumer({ groupId: uniqueName("fast-fetch"), maxWaitTimeInMs: 100 });
      await consumer.connect();
      try {
        await consumer.subscribe({ topic, fromBeginning: true });
        await consumer.run({
          eachBatch: ({ batch }) => {
            for (const m of batch.messages) seen.push(m.value!.toString());
            last = BigInt(batch.lastOffset());
            return Promise.resolve();
          },
        });
        await waitFor(() => last >= BigInt(high) - 1n, { message: `offset ${high} of ${topic}` });
      } finally {
        await consumer.disconnect();
      }
      return seen;
    });
    assert.deepEqual(values, ["a", "b", "c", "d", "e"]);
    let records = 0;
    for (const raw of raws) {
      const ours = await decodeFetchResponse(raw, decompressFor);
      assert.deepStrictEqual(ours, await fetchV11.decode(raw));
      records += ours.responses.flatMap((r) => r.partitions).reduce(
        (n: number, p) => n + p.messages.length,
        0,
      );
    }
    // The seven records and the two transaction markers.
    assert.ok(records >= 9, `${records} records in ${raws.length} responses`);
  },
});
