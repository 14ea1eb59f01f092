import assert from "node:assert/strict";
import {
  consumerPerfArgs,
  parseConsumerPerf,
  parseProducerPerf,
  PerfOutputError,
  producerPerfArgs,
  toolsLoggingConfig,
} from "./java.ts";

const PRODUCER_OUTPUT = [
  "WARN [Producer clientId=perf-producer-client] Got error produce response (org.apache.kafka)",
  "98311 records sent, 19662.2 records/sec (0.43 MB/sec), 120.5 ms avg latency, 480.0 ms max latency.",
  "200000 records sent, 104602.510460 records/sec (3.99 MB/sec), 37.15 ms avg latency, " +
  "514.00 ms max latency, 18 ms 50th, 138 ms 95th, 162 ms 99th, 167 ms 99.9th.",
  "",
].join("\n");

const CONSUMER_OUTPUT = [
  "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, " +
  "rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec",
  "2026-11-22 22:16:27:447, 2026-11-22 22:16:28:339, 7.6294, 8.5531, 200000, 224215.2466, " +
  "383, 509, 14.9890, 392927.3084",
  "",
].join("\n");

Deno.test("`producerPerfArgs()` uses --bootstrap-server and --command-property from kafka-tools 4.2", () => {
  assert.deepEqual(
    producerPerfArgs({
      toolsVersion: "4.3.1",
      bootstrap: "127.0.0.1:29092",
      topic: "t",
      records: 200_000,
      recordSize: 23,
    }),
    [
      "org.apache.kafka.tools.ProducerPerformance",
      "--topic",
      "t",
      "--num-records",
      "200000",
      "--record-size",
      "23",
      "--throughput",
      "-1",
      "--bootstrap-server",
      "127.0.0.1:29092",
      "--command-property",
      "acks=all",
      "compression.type=snappy",
      "enable.idempotence=true",
    ],
  );
});

Deno.test("`producerPerfArgs()` puts the bootstrap servers in --producer-props before 4.2", () => {
  for (const toolsVersion of ["3.9.1", "4.0.0", "4.1.1"]) {
    const args = producerPerfArgs({
      toolsVersion,
      bootstrap: "127.0.0.1:9092",
      topic: "t",
      records: 10,
      recordSize: 23,
    });
    assert.deepEqual(args.slice(9), [
      "--producer-props",
      "bootstrap.servers=127.0.0.1:9092",
      "acks=all",
      "compression.type=snappy",
      "enable.idempotence=true",
    ]);
    assert.equal(args.includes("--bootstrap-server"), false);
  }
});

Deno.test("`consumerPerfArgs()` says --num-records from 4.2 and --messages before", () => {
  const opts = { bootstrap: "b:1", topic: "t", records: 5, group: "g" };
  assert.deepEqual(consumerPerfArgs({ ...opts, toolsVersion: "4.2.0" }), [
    "org.apache.kafka.tools.ConsumerPerformance",
    "--bootstrap-server",
    "b:1",
    "--topic",
    "t",
    "--group",
    "g",
    "--num-records",
    "5",
  ]);
  assert.deepEqual(consumerPerfArgs({ ...opts, toolsVersion: "3.9.1" }).slice(-2), [
    "--messages",
    "5",
  ]);
});

Deno.test("`toolsLoggingConfig()` selects Log4j 2 for 4.x and reload4j for 3.x, warnings only", () => {
  const four = toolsLoggingConfig("4.3.1");
  assert.equal(four.flag("/x/l.properties"), "-Dlog4j2.configurationFile=/x/l.properties");
  assert.match(four.text, /^rootLogger\.level = warn$/m);
  assert.match(four.text, /^appender\.err\.target = SYSTEM_ERR$/m);
  const three = toolsLoggingConfig("3.9.1");
  assert.equal(three.flag("/x/l.properties"), "-Dlog4j.configuration=file:/x/l.properties");
  assert.match(three.text, /^log4j\.rootLogger=WARN, stderr$/m);
});

Deno.test("`parseProducerPerf()` reads the summary line and skips progress lines", () => {
  assert.deepEqual(parseProducerPerf(PRODUCER_OUTPUT), {
    records: 200_000,
    recordsPerSec: 104602.51046,
    mbPerSec: 3.99,
    avgLatencyMs: 37.15,
    maxLatencyMs: 514,
    p50Ms: 18,
    p95Ms: 138,
    p99Ms: 162,
    p999Ms: 167,
  });
});

Deno.test("`parseProducerPerf()` throws PerfOutputError with the output when no summary", () => {
  const output = "98311 records sent, 19662.2 records/sec (0.43 MB/sec), 120.5 ms avg latency, " +
    "480.0 ms max latency.\n";
  assert.throws(() => parseProducerPerf(output), (error: unknown) => {
    assert.ok(error instanceof PerfOutputError);
    assert.equal(error.message, "ProducerPerformance printed no summary line");
    assert.equal(error.output, output);
    return true;
  });
});

Deno.test("`parseConsumerPerf()` reads the result row by column name", () => {
  assert.deepEqual(parseConsumerPerf(`WARN something (x)\n${CONSUMER_OUTPUT}`), {
    records: 200_000,
    recordsPerSec: 224215.2466,
    mb: 7.6294,
    mbPerSec: 8.5531,
    rebalanceMs: 383,
    fetchMs: 509,
    fetchRecordsPerSec: 392927.3084,
    fetchMbPerSec: 14.989,
  });
});

Deno.test("`parseConsumerPerf()` throws PerfOutputError without a header and row", () => {
  assert.throws(() => parseConsumerPerf(""), {
    name: "PerfOutputError",
    message: "ConsumerPerformance printed no result row",
  });
  assert.throws(() => parseConsumerPerf(CONSUMER_OUTPUT.split("\n")[0]), PerfOutputError);
  const noNumber = CONSUMER_OUTPUT.replace("392927.3084", "NaN");
  assert.throws(() => parseConsumerPerf(noNumber), {
    message: "ConsumerPerformance printed no number for fetch.nMsg.sec",
  });
});
