import assert from "node:assert/strict";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { parseUiArgs } from "./ui.ts";
import {
  brokerEnv,
  INTEGRATION,
  jsonLines,
  type RunningScript,
  runScript,
  spawnScript,
  testBrokers,
  testKafka,
  uniqueName,
  waitFor,
} from "./lib/testing/harness.ts";
import { hasCommand, needs } from "./lib/testing/tools.ts";

Deno.test("parseUiArgs() serves 127.0.0.1:8080 by default and takes the pipeline's names", () => {
  assert.deepEqual(parseUiArgs(["--brokers=b:1"]), {
    brokers: ["b:1"],
    connectTimeoutMs: 30_000,
    host: "127.0.0.1",
    port: 8080,
    topic: "orders",
    dlqTopic: "orders-dlq",
    group: "order-processors",
    replayGroup: "orders-dlq-replayer",
  });
  const config = parseUiArgs([
    "--",
    "--brokers=b:1",
    "--port=0",
    "--host=0.0.0.0",
    "--topic=t",
    "--dlq-topic=d",
    "--group=g",
    "--replay-group=r",
  ]);
  assert.ok(config !== "help");
  assert.deepEqual([
    config.port,
    config.host,
    config.topic,
    config.dlqTopic,
    config.group,
    config.replayGroup,
  ], [
    0,
    "0.0.0.0",
    "t",
    "d",
    "g",
    "r",
  ]);
});

Deno.test("parseUiArgs() names a bad port and an empty name", () => {
  assert.throws(() => parseUiArgs(["--port=70000"]), {
    name: "UsageError",
    message: "--port must be in [0, 65535]: current value is 70000",
  });
  assert.throws(() => parseUiArgs(["--group="]), {
    name: "UsageError",
    message: "--group must not be empty",
  });
});

/** Chromium's path: `CHROMIUM_PATH`, else `chromium` (Debian's package) or `chromium-browser` on `PATH`. */
function chromiumPath(): string | undefined {
  const given = Deno.env.get("CHROMIUM_PATH");
  if (given !== undefined) return given;
  for (const dir of (Deno.env.get("PATH") ?? "").split(":").filter((d) => d !== "")) {
    for (const name of ["chromium", "chromium-browser"]) {
      if (hasCommand(name)) {
        try {
          if (Deno.statSync(`${dir}/${name}`).isFile) return `${dir}/${name}`;
        } catch {
          // Not in this directory.
        }
      }
    }
  }
  return undefined;
}

const CHROMIUM = chromiumPath();

/** Where the browser test leaves its screenshot (git-ignored). */
const SCREENSHOT = ".cache/ui-test/dashboard.png";

/** The flags Chromium needs as root on a machine without a network. */
const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** The `data-value` of the element `selector` selects, as a number. */
async function dataValue(page: Page, selector: string): Promise<number | undefined> {
  const value = await page.$eval(selector, (el) => el.getAttribute("data-value")).catch(() =>
    undefined
  );
  return value === undefined ? undefined : Number(value);
}

async function pageAggregate(page: Page) {
  return {
    count: await dataValue(page, "#agg-count"),
    average: await dataValue(page, "#agg-average"),
    min: await dataValue(page, "#agg-min"),
    max: await dataValue(page, "#agg-max"),
    revenue: await dataValue(page, "#agg-revenue"),
  };
}

async function produce(env: Record<string, string>, topic: string, args: string[]) {
  const result = await runScript("producer.ts", [
    `--topic=${topic}`,
    `--dlq-topic=${topic}-dlq`,
    "--json",
    ...args,
  ], env);
  assert.equal(result.code, 0, result.stderr);
  return jsonLines(result.stdout);
}

Deno.test({
  name:
    "dashboard in Chromium: stats' aggregate, lag down to 0, a new dead letter, a replay preview",
  ...INTEGRATION,
  ...needs({
    name: "chromium",
    available: CHROMIUM !== undefined,
    install: "apt-get install -y chromium",
  }),
  async fn() {
    const env = await brokerEnv();
    const topic = uniqueName("orders");
    const dlqTopic = `${topic}-dlq`;
    const group = uniqueName("group");
    const replayGroup = uniqueName("replayer");
    const running: RunningScript[] = [];
    const userDataDir = await Deno.makeTempDir({ prefix: "chromium-" });
    let browser: Browser | undefined;
    try {
      const ui = spawnScript("ui.ts", [
        "--port=0",
        `--topic=${topic}`,
        `--dlq-topic=${dlqTopic}`,
        `--group=${group}`,
        `--replay-group=${replayGroup}`,
      ], env);
      running.push(ui);
      const url = await waitFor(() => /Dashboard at (http:\/\/\S+)/.exec(ui.stdout())?.[1], {
        message: `the dashboard's address (stderr: ${ui.stderr()})`,
      });
      browser = await puppeteer.launch({
        executablePath: CHROMIUM!,
        args: [...CHROMIUM_FLAGS, `--user-data-dir=${userDataDir}`],
      });
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      await page.setViewport({ width: 1440, height: 1400 });
      await page.goto(url, { waitUntil: "load" });

      // Orders waiting with no consumer: the lag is exactly what was produced.
      await produce(env, topic, ["300", "--seed=5", "--corrupt-rate=0.03", "--invalid-rate=0.03"]);
      await waitFor(async () => (await dataValue(page, "#lag-total")) === 300, {
        message: "the page to show a lag of 300",
      });

      // A consumer and a second producer at once; the lag falls to 0 once it catches up.
      const consumer = spawnScript("consumer.ts", [
        `--topic=${topic}`,
        `--dlq-topic=${dlqTopic}`,
        `--group=${group}`,
        "--fail-rate=0.2",
        "--retries=1",
        "--backoff-ms=5",
        "--quiet",
      ], env);
      running.push(consumer);
      await produce(env, topic, ["200", "--seed=6", "--rate=100"]);
      await waitFor(async () => {
        const lags = await page.$$eval(
          "tr[data-partition] td.lag",
          (tds) => tds.map((td) => td.getAttribute("data-value")),
        );
        return (await dataValue(page, "#lag-total")) === 0 && lags.length === 3 &&
          lags.every((l) => l === "0");
      }, { timeoutMs: 60_000, message: "the page to show the lag at 0 on every partition" });
      const stats = await runScript(
        "stats.ts",
        ["--json", `--topic=${topic}`, `--group=${group}`],
        env,
      );
      assert.equal(stats.code, 0, stats.stderr);
      const expected = JSON.parse(stats.stdout);
      await waitFor(
        async () => JSON.stringify(await pageAggregate(page)) === JSON.stringify(expected),
        {
          message: `the page to show the aggregate of stats --json ${stats.stdout}`,
        },
      );
      assert.deepEqual(await pageAggregate(page), expected);
      assert.equal(
        await page.$eval("#agg-count", (el) => el.textContent),
        expected.count.toLocaleString("en-US"),
      );
      assert.equal(
        await page.$eval("#group-status", (el) => el.getAttribute("data-state")),
        "stable",
      );
      assert.equal(
        await page.$eval("#broker-status", (el) => el.getAttribute("data-state")),
        "reachable",
      );

      // A poison pill shows up in the dead letters.
      const [pill] = (await produce(env, topic, ["1", "--corrupt-rate=1", "--seed=77"])).filter((
        l,
      ) => l.event === "delivered");
      const origin = `${topic}[${pill.partition}]@${pill.offset}`;
      const records = async (of: string) => {
        const admin = testKafka(await testBrokers()).admin();
        await admin.connect();
        try {
          const ends = await admin.fetchTopicOffsets(of);
          return ends.reduce((sum, p) => sum + Number(p.high), 0);
        } finally {
          await admin.disconnect();
        }
      };
      await waitFor(
        async () =>
          (await page.$(`#dlq tr[data-origin="${origin}"][data-type="deserialization"]`)) ??
            undefined,
        { timeoutMs: 30_000, message: `the dead letter of ${origin} in the list` },
      );
      // Every dead letter is counted (the DLQ's partitions are read side by side).
      const deadLetters = await records(dlqTopic);
      await waitFor(
        async () =>
          (await page.$eval("#dlq-types", (el) => el.getAttribute("data-total"))) ===
            String(deadLetters),
        { message: `the page to count all ${deadLetters} dead letters` },
      );
      assert.equal(
        await page.$eval("#dlq tbody tr", (tr) => tr.getAttribute("data-origin")),
        origin,
        "the newest dead letter is listed first",
      );
      // The replay's dry run shows what would be replayed: the processing failures, nothing sent.
      const processing = await page.$eval(
        "#dlq-types .chip[data-type=processing] b",
        (b) => Number(b.textContent),
      );
      assert.ok(processing > 0, "the simulated failures left processing dead letters");
      await page.click("#replay-preview");
      await page.waitForSelector("#replay-result[data-state=previewed]", { timeout: 60_000 });
      const wouldReplay = await page.$eval(
        ".replay-summary",
        (p) => Number(p.getAttribute("data-replays")),
      );
      const rows = await page.$$eval("#replay-rows tr.would-replay", (trs) => trs.length);
      assert.equal(wouldReplay, processing);
      assert.equal(rows, processing);
      assert.equal(
        await page.$eval("#replay-run", (b) => b.hasAttribute("disabled")),
        false,
      );
      assert.equal(await page.$eval("#replay-run", (b) => b.textContent), `Replay ${processing}`);
      const admin = testKafka(await testBrokers()).admin();
      await admin.connect();
      try {
        const [committed] = await admin.fetchOffsets({ groupId: replayGroup, topics: [dlqTopic] });
        assert.ok(
          committed.partitions.every((p) => p.offset === "-1"),
          "a dry run commits nothing",
        );
      } finally {
        await admin.disconnect();
      }

      await Deno.mkdir(".cache/ui-test", { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });

      // And the replay itself sends exactly those back to the topic.
      const before = await records(topic);
      await page.click("#replay-run");
      await page.waitForSelector("#replay-result[data-state=replayed]", { timeout: 60_000 });
      const replayed = await page.$eval(
        ".replay-summary",
        (p) => Number(p.getAttribute("data-replays")),
      );
      assert.equal(replayed, processing);
      assert.equal(await records(topic), before + processing);

      assert.deepEqual(errors, []);
      console.log(
        `browser: aggregate ${
          JSON.stringify(expected)
        } on the page; lag 0 on 3 partitions; dead letter ${origin} listed; dry run would replay ${wouldReplay} (= processing dead letters), replay sent ${replayed}; screenshot ${SCREENSHOT}`,
      );
    } finally {
      await browser?.close();
      for (const script of running) {
        script.child.kill("SIGTERM");
        await script.done;
      }
      await Deno.remove(userDataDir, { recursive: true });
    }
  },
});
