import assert from "node:assert/strict";
import { type BenchResults, checkTargets, formatReport } from "./report.ts";
import { metricsCost } from "./report_metrics.ts";
import { listenerPair, tlsReport } from "./tls_report.ts";

const RESULTS: Omit<BenchResults, "targets"> = {
  environment: {
    startedAt: "2026-11-22T22:00:00.000Z",
    kafkaVersion: "4.4.0",
    toolsVersion: "4.3.1",
    deno: "2.9.6",
    v8: "15.0",
    typescript: "6.0.3",
    cores: 2,
    os: "linux x86_64",
    brokers: "127.0.0.1:49092",
    ownBroker: true,
    command: "deno task bench",
  },
  settings: {
    orders: 200_000,
    recordSizeBytes: 23.3,
    keySizeBytes: 9.5,
    partitions: 3,
    e2eRate: 1000,
    e2eSeconds: 30,
    scalingSizes: [10_000, 1_000_000],
  },
  produce: {
    ours: { ordersPerSec: 60_000, mbPerSec: 1.33, p50Ms: 150, p99Ms: 250 },
    java: { ordersPerSec: 150_000, mbPerSec: 3.33, p50Ms: 5, p99Ms: 20 },
    ratio: 0.4,
    runs: {
      ours: [{ ordersPerSec: 60_000, mbPerSec: 1.33, p50Ms: 150, p99Ms: 250 }],
      java: [{ ordersPerSec: 150_000, mbPerSec: 3.33, p50Ms: 5, p99Ms: 20 }],
    },
  },
  consume: {
    ours: { ordersPerSec: 400_000, ordersPerSecWithJoin: 150_000 },
    java: { ordersPerSec: 500_000, ordersPerSecWithJoin: 300_000 },
    ratio: 0.8,
    ratioWithJoin: 0.5,
    runs: {
      ours: [{ ordersPerSec: 400_000, ordersPerSecWithJoin: 150_000 }],
      java: [{ ordersPerSec: 500_000, ordersPerSecWithJoin: 300_000 }],
    },
  },
  endToEnd: { orders: 30_000, p50Ms: 4, p95Ms: 8, p99Ms: 16, maxMs: 40 },
  scaling: [
    { orders: 10_000, elapsedMs: 25, usPerOrder: 2.5 },
    { orders: 1_000_000, elapsedMs: 2400, usPerOrder: 2.4 },
  ],
  memory: { orders: 1_000_000, peakRssMb: 146.4, elapsedMs: 3000 },
};

Deno.test("`checkTargets()` checks each measured figure against its target", () => {
  assert.deepEqual(checkTargets(RESULTS), [
    { target: "producer ≥ 0.5× ProducerPerformance orders/s", value: "0.40×", met: false },
    { target: "consumer ≥ 100,000 orders/s", value: "400,000 orders/s", met: true },
    { target: "consumer ≥ 0.5× ConsumerPerformance orders/s", value: "0.80×", met: true },
    { target: "end-to-end p99 < 50 ms at 1,000 orders/s", value: "16.0 ms", met: true },
    { target: "consumer peak RSS < 200 MB at 1,000,000 orders", value: "146 MB", met: true },
    {
      target: "consumer cost per order flat from 10,000 → 1,000,000 (≤ 1.5×)",
      value: "2.50 → 2.40 µs",
      met: true,
    },
  ]);
});

Deno.test("`checkTargets()` leaves out what was not measured and names a smaller memory run", () => {
  const { produce: _p, consume: _c, endToEnd: _e, ...rest } = RESULTS;
  assert.deepEqual(
    checkTargets({ ...rest, memory: { orders: 200_000, peakRssMb: 240, elapsedMs: 1 } }),
    [{
      target: "consumer peak RSS < 200 MB at 1,000,000 orders (measured at 200,000)",
      value: "240 MB",
      met: false,
    }, {
      target: "consumer cost per order flat from 10,000 → 1,000,000 (≤ 1.5×)",
      value: "2.50 → 2.40 µs",
      met: true,
    }],
  );
});

Deno.test("`formatReport()` prints one table row per figure, with ratios and targets", () => {
  const text = formatReport({ ...RESULTS, targets: checkTargets(RESULTS) });
  const rows = text.split("\n").filter((line) => line.startsWith("| ")).map((line) =>
    line.split("|").slice(1, -1).map((cell) => cell.trim())
  );
  assert.deepEqual(rows.slice(2), [
    ["produce: orders/s", "60,000", "150,000", "0.40×"],
    ["produce: MB/s (values)", "1.33", "3.33", "0.40×"],
    ["produce: ack latency p50 / p99 (ms)", "150.0 / 250.0", "5.0 / 20.0", ""],
    ["consume: orders/s, without group join ¹", "400,000", "500,000", "0.80×"],
    ["consume: orders/s, with connect and group join ²", "150,000", "300,000", "0.50×"],
    ["end to end at 1,000/s for 30 s: p50 / p95 / p99 (ms) ³", "4.0 / 8.0 / 16.0", "–", ""],
    ["scaling: consume 10,000 orders, µs/order ¹", "2.50 (400,000/s)", "–", ""],
    ["scaling: consume 1,000,000 orders, µs/order ¹", "2.40 (416,667/s)", "–", ""],
    ["memory: consumer peak RSS, 1,000,000 orders ⁴", "146 MB", "–", ""],
  ]);
  assert.match(
    text,
    /^Kafka 4\.4\.0 broker at 127\.0\.0\.1:49092 \(started by the bench\), kafka-tools 4\.3\.1, Deno 2\.9\.6/,
  );
  assert.match(text, /; produce and consume: medians of 1 run$/m);
  assert.match(text, /^- MISSED: producer ≥ 0\.5× ProducerPerformance orders\/s: 0\.40×$/m);
  assert.match(text, /^- met: consumer ≥ 100,000 orders\/s: 400,000 orders\/s$/m);
});

Deno.test("`formatReport()` shows dashes for the Java column when the tools did not run", () => {
  const { java: _j, ratio: _r, ...produce } = RESULTS.produce!;
  const { toolsVersion: _t, ...environment } = RESULTS.environment;
  const text = formatReport({ ...RESULTS, environment, produce, targets: [] });
  assert.match(text, /^\| produce: orders\/s +\| +60,000 \| +– \| +– \|$/m);
  assert.match(text, /, kafka-tools not run, /);
  assert.match(text, /\(\+ 9\.5 B key\), 3 partitions/);
});

Deno.test("tlsReport() says what was compared and tabulates orders/s and the ratio", () => {
  assert.deepEqual(
    tlsReport({
      listener: "SASL_SSL as user app (SCRAM-SHA-512)",
      brokers: "127.0.0.1:49094",
      orders: 200_000,
      produce: listenerPair([80_000, 82_000], [60_000, 62_000]),
      consume: listenerPair([120_000], [90_000]),
    }),
    [
      "Cost of TLS: 200,000 orders over SASL_SSL as user app (SCRAM-SHA-512) at 127.0.0.1:49094 next to PLAINTEXT on the same broker; medians of 2 runs, listeners alternating",
      "",
      "|                     | PLAINTEXT | SASL_SSL | SASL_SSL/PLAINTEXT |",
      "| ------------------- | --------: | -------: | -----------------: |",
      "| produce: orders/s   |    81,000 |   61,000 |              0.75× |",
      "| consume: orders/s ¹ |   120,000 |   90,000 |              0.75× |",
    ],
  );
});

Deno.test("`formatReport()` leaves out the main table when only the tls step ran", () => {
  const tls = {
    listener: "SASL_SSL as user app (SCRAM-SHA-512)",
    brokers: "127.0.0.1:19122",
    orders: 1000,
    produce: listenerPair([100], [90]),
    consume: listenerPair([200], [150]),
  };
  const text = formatReport({
    environment: RESULTS.environment,
    settings: RESULTS.settings,
    tls,
    targets: [],
  });
  const lines = text.split("\n");
  assert.equal(lines.filter((line) => line.startsWith("| ")).length, 4);
  assert.equal(lines[2], "");
  assert.match(lines[3], /^Cost of TLS: 1,000 orders over SASL_SSL/);
  assert.ok(lines.includes("| consume: orders/s ¹ |       200 |      150 |              0.75× |"));
});

Deno.test("`metricsCost()` takes the median of each side and their ratio", () => {
  assert.deepEqual(metricsCost([100, 120, 110], [99, 104, 108]), {
    offOrdersPerSec: 110,
    onOrdersPerSec: 104,
    ratio: 104 / 110,
    runs: { off: [100, 120, 110], on: [99, 104, 108] },
  });
});

Deno.test("`checkTargets()` and `formatReport()` show the cost of /metrics against 0.95×", () => {
  const metrics = metricsCost([200_000], [194_000]);
  const targets = checkTargets({ ...RESULTS, metrics });
  assert.deepEqual(targets.find((t) => t.target.includes("/metrics")), {
    target: "consumer with /metrics on ≥ 0.95× off",
    value: "0.970×",
    met: true,
  });
  const text = formatReport({ ...RESULTS, metrics, targets });
  assert.match(
    text,
    /^\| consume with \/metrics on: orders\/s \(on\/off\) ⁷ +\| +194,000 \(0\.970× of 200,000\) \| +– \| +\|$/m,
  );
  assert.match(text, /^- met: consumer with \/metrics on ≥ 0\.95× off: 0\.970×$/m);
});
