import assert from "node:assert/strict";
import { parseBenchArgs } from "./bench.ts";
import { STEPS } from "./lib/bench/options.ts";
import type { BenchResults } from "./lib/bench/report.ts";
import { LAUNCHER_PERMISSIONS } from "./lib/cli/subprocess.ts";
import { brokerEnv, INTEGRATION, runScript } from "./lib/testing/harness.ts";
import { secureTestBroker } from "./lib/testing/secure_broker.ts";
import { hasCommand, needs } from "./lib/testing/tools.ts";

Deno.test("`parseBenchArgs()` has defaults that finish in minutes and adds 1M on --with-1m", () => {
  const config = parseBenchArgs(["--brokers=b:1"]);
  assert.ok(config !== "help" && !("profile" in config));
  assert.deepEqual(
    { ...config, steps: [...config.steps] },
    {
      brokers: ["b:1"],
      security: undefined,
      tls: undefined,
      orders: 200_000,
      runs: 3,
      e2eRate: 1000,
      e2eSeconds: 30,
      scaling: [10_000, 100_000],
      instancesOrders: 1_000_000,
      java: true,
      // Every step, in order; the next test's message pins their names.
      steps: [...STEPS],
      out: ".bench/results.json",
      port: 49092,
      kafkaVersion: undefined,
      partitions: 3,
      seed: 42,
      keepTopics: false,
    },
  );
  const big = parseBenchArgs(["--brokers=b:1", "--with-1m", "--scaling=500", "--no-java"]);
  assert.ok(big !== "help" && !("profile" in big));
  assert.deepEqual(big.scaling, [500, 1_000_000]);
  assert.equal(big.java, false);
});

Deno.test("`parseBenchArgs()` rejects an unknown step and a bad size, naming them", () => {
  assert.throws(() => parseBenchArgs(["--only=produce,warp"]), {
    name: "UsageError",
    message:
      "--only must list steps of produce,consume,metrics,reference,e2e,scaling,instances,memory,tls: current value has 'warp'",
  });
  assert.throws(() => parseBenchArgs(["--scaling=10,0"]), {
    name: "UsageError",
    message: "--scaling must be >= 1: current value is 0",
  });
  assert.throws(() => parseBenchArgs(["--kafka-version=3.8.0"]), { name: "UsageError" });
});

/** The number in a table cell: `1,234`, `5.0 / 9.0 / 12.0` (its first), `61 MB`. */
function firstNumber(cell: string): number {
  const match = /[\d,]+(\.\d+)?/.exec(cell);
  assert.ok(match, `no number in '${cell}'`);
  return Number(match[0].replaceAll(",", ""));
}

Deno.test({
  name: "bench runs every step with small sizes and reports positive figures in its table and JSON",
  ...INTEGRATION,
  // The reference step runs confluent-kafka and fastavro in a Python venv.
  ...needs({
    name: "python3",
    available: hasCommand("python3"),
    install: "apt-get install -y python3 python3-venv python3-pip",
  }),
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "bench_test_" });
    try {
      const out = `${dir}/results.json`;
      const result = await runScript(
        "bench.ts",
        [
          "--orders=300",
          "--runs=2",
          "--e2e-rate=200",
          "--e2e-seconds=2",
          "--scaling=100,300",
          "--instances-orders=600",
          `--out=${out}`,
        ],
        await brokerEnv(),
        LAUNCHER_PERMISSIONS,
      );
      assert.equal(result.code, 0, result.stderr);

      const rows = new Map(
        result.stdout.split("\n").filter((line) => line.startsWith("| ")).map((line) => {
          const [name, ...cells] = line.split("|").slice(1, -1).map((cell) => cell.trim());
          return [name, cells] as const;
        }),
      );
      for (
        const [name, withJava] of [
          ["produce: orders/s", true],
          ["produce: MB/s (values)", true],
          ["produce: ack latency p50 / p99 (ms)", true],
          ["consume: orders/s, without group join ¹", true],
          ["consume: orders/s, with connect and group join ²", true],
          ["consume with /metrics on: orders/s (on/off) ⁷", false],
          ["end to end at 200/s for 2 s: p50 / p95 / p99 (ms) ³", false],
          ["scaling: consume 100 orders, µs/order ¹", false],
          ["scaling: consume 300 orders, µs/order ¹", false],
          ["memory: consumer peak RSS, 300 orders ⁴", false],
          ["scaling: produce 300 orders, µs/order (CPU µs/order, peak RSS) ⁵", false],
          ["process: producer, 300 orders: orders/s ⁵", true],
          ["process: producer, 300 orders: peak RSS ⁵", true],
          ["process: consumer, 300 orders: peak RSS ⁶", true],
        ] as const
      ) {
        const cells = rows.get(name);
        assert.ok(cells, `no row '${name}' in:\n${result.stdout}`);
        assert.ok(firstNumber(cells[0]) > 0, `${name}: ours is '${cells[0]}'`);
        if (withJava) assert.ok(firstNumber(cells[1]) > 0, `${name}: Java is '${cells[1]}'`);
        if (name.startsWith("process:")) {
          assert.ok(firstNumber(cells[3]) > 0, `${name}: the reference is '${cells[3]}'`);
        }
      }
      for (const n of [1, 2, 3]) {
        const name = `consume 600 orders, ${n} instance${n === 1 ? "" : "s"}, 6 partitions ⁵`;
        const cells = rows.get(name);
        assert.ok(cells, `no row '${name}' in:\n${result.stdout}`);
        // So few orders are often all consumed before the group settles: only the wall time counts.
        assert.ok(Number(/([\d.]+) s in all/.exec(cells[0])?.[1]) > 0, `${name}: '${cells[0]}'`);
      }
      assert.match(result.stdout, /^Targets:$/m);

      const json: BenchResults = JSON.parse(await Deno.readTextFile(out));
      const { environment: env, settings } = json;
      assert.equal(env.deno, Deno.version.deno);
      assert.ok(env.cores > 0);
      assert.match(env.kafkaVersion, /^(\d+\.\d+\.\d+|unknown)$/);
      assert.match(env.toolsVersion ?? "", /^\d+\.\d+\.\d+$/);
      assert.equal(settings.orders, 300);
      assert.ok(settings.recordSizeBytes > 10 && settings.recordSizeBytes < 40);
      const positive = {
        "produce.ours.ordersPerSec": json.produce?.ours.ordersPerSec,
        "produce.ours.p99Ms": json.produce?.ours.p99Ms,
        "produce.java.ordersPerSec": json.produce?.java?.ordersPerSec,
        "produce.ratio": json.produce?.ratio,
        "consume.ours.ordersPerSec": json.consume?.ours.ordersPerSec,
        "consume.ours.ordersPerSecWithJoin": json.consume?.ours.ordersPerSecWithJoin,
        "consume.java.ordersPerSec": json.consume?.java?.ordersPerSec,
        "consume.ratio": json.consume?.ratio,
        "metrics.onOrdersPerSec": json.metrics?.onOrdersPerSec,
        "metrics.ratio": json.metrics?.ratio,
        "endToEnd.p99Ms": json.endToEnd?.p99Ms,
        "scaling[1].usPerOrder": json.scaling?.[1]?.usPerOrder,
        "memory.peakRssMb": json.memory?.peakRssMb,
        "scaling[1].produce.peakRssMb": json.scaling?.[1]?.produce?.peakRssMb,
        "reference.sizes[0].produce.reference.ordersPerSec": json.reference?.sizes[0].produce
          .reference.ordersPerSec,
        "reference.sizes[0].consume.ours.peakRssMb": json.reference?.sizes[0].consume.ours
          .peakRssMb,
        "produce.java.peakRssMb": json.produce?.java?.peakRssMb,
      };
      for (const [field, value] of Object.entries(positive)) {
        assert.ok(typeof value === "number" && value > 0, `${field} is ${value}`);
      }
      assert.equal(json.endToEnd?.orders, 400);
      assert.deepEqual(json.scaling?.map((s) => s.orders), [100, 300]);
      assert.equal(json.memory?.orders, 300);
      assert.equal(json.produce?.runs.ours.length, 2);
      assert.equal(json.consume?.runs.java.length, 2);
      assert.equal(json.metrics?.runs.on.length, 2);
      assert.equal(json.reference?.sizes[0].orders, 300);
      assert.equal(json.reference?.sizes[0].produce.runs.reference.length, 2);
      // Issue 6's five, the metrics cost, issue 16's two at 300 orders and four of flat cost.
      assert.equal(json.targets.length, 12);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "bench's tls step compares our producer and consumer over SASL_SSL and PLAINTEXT on one broker",
  ...INTEGRATION,
  ...needs(
    { name: "openssl", available: hasCommand("openssl"), install: "apt-get install openssl" },
    {
      name: "java",
      available: hasCommand("java"),
      install: "apt-get install openjdk-17-jre-headless",
    },
  ),
  async fn() {
    const broker = await secureTestBroker();
    const dir = await Deno.makeTempDir({ prefix: "bench_test_" });
    try {
      const out = `${dir}/results.json`;
      const result = await runScript(
        "bench.ts",
        [
          "--only=tls",
          "--orders=300",
          "--runs=2",
          `--brokers=${broker.bootstrap}`,
          `--tls-config=${broker.clientFiles.scram}`,
          `--out=${out}`,
        ],
        {},
        LAUNCHER_PERMISSIONS,
      );
      assert.equal(result.code, 0, result.stderr);
      assert.match(
        result.stdout,
        new RegExp(
          `^Cost of TLS: 300 orders over SASL_SSL as user app \\(SCRAM-SHA-512\\) at 127\\.0\\.0\\.1:${broker.ports.saslSsl} next to PLAINTEXT on the same broker; medians of 2 runs, listeners alternating$`,
          "m",
        ),
      );
      assert.match(
        result.stdout,
        /^\| produce: orders\/s +\| +[\d,]+ \| +[\d,]+ \| +\d+\.\d\d× \|$/m,
      );
      assert.match(
        result.stdout,
        /^\| consume: orders\/s ¹ +\| +[\d,]+ \| +[\d,]+ \| +\d+\.\d\d× \|$/m,
      );
      const json: BenchResults = JSON.parse(await Deno.readTextFile(out));
      for (const pair of [json.tls?.produce, json.tls?.consume]) {
        assert.equal(pair?.runs.plaintext.length, 2);
        assert.equal(pair?.runs.tls.length, 2);
        assert.ok(pair!.plaintext > 0 && pair!.tls > 0 && pair!.ratio > 0, JSON.stringify(pair));
      }
      for (const secret of broker.secrets) {
        assert.ok(!result.stdout.includes(secret) && !result.stderr.includes(secret));
        assert.ok(!(await Deno.readTextFile(out)).includes(secret));
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
