import assert from "node:assert/strict";
import {
  brokerEnv,
  createTopic,
  groundTruth,
  INTEGRATION,
  jsonLines,
  produceOrders,
  readTopic,
  type RunningScript,
  runScript,
  spawnScript,
  testBrokers,
  uniqueName,
  waitFor,
} from "./lib/testing/harness.ts";

const PARTITIONS = 6;
const ORDERS = 3000;
const GENERATOR = { seed: 23, corruptRate: 0.01, invalidRate: 0.01 };

/** The partitions `run` said it holds in its latest `joined` line; `undefined` before any. */
function assigned(run: RunningScript): number[] | undefined {
  const joins = jsonLines(run.stdout()).filter((l) => l.event === "joined");
  return joins.at(-1)?.partitions as number[] | undefined;
}

/** What each group's instances last said they hold, for a failure message. */
function holdings(groups: { count: number; instances: RunningScript[] }[]): string {
  return groups.map((g) =>
    `${g.count}: ${g.instances.map((run) => JSON.stringify(assigned(run) ?? null)).join(" ")}`
  ).join("; ");
}

/**
 * Rejects as soon as one of `runs` exits while `running()` still holds, with
 * its exit code and last lines: a consumer that died never settles, and
 * waiting for it would only end in a timeout that hides why.
 */
function firstExit(runs: RunningScript[], running: () => boolean): Promise<never> {
  return Promise.race(runs.map((run, i) =>
    run.done.then((r) => {
      if (!running()) return new Promise<never>(() => {});
      throw new Error(
        `consumer ${i + 1} of ${runs.length} exited with ${r.code} during the test: ${
          r.stderr.trim().split("\n").slice(-5).join("\n")
        }`,
      );
    })
  ));
}

/** Whether `instances` hold all six partitions between them, 6 / their number each. */
function stable(instances: RunningScript[]): boolean {
  const held = instances.map(assigned);
  if (held.some((p) => p?.length !== PARTITIONS / instances.length)) return false;
  return new Set(held.flat()).size === PARTITIONS;
}

Deno.test({
  name:
    "one, two and three consumer instances on a 6-partition topic give the same exact aggregate",
  ...INTEGRATION,
  async fn() {
    const topic = uniqueName("orders");
    const brokers = await testBrokers();
    await createTopic(brokers, topic, PARTITIONS);
    // One group per instance count, each with its own DLQ; all consume the same orders.
    const groups = [1, 2, 3].map((count) => ({
      count,
      group: uniqueName(`scale${count}`),
      dlq: `${topic}-dlq-${count}`,
      instances: [] as RunningScript[],
    }));
    const env = await brokerEnv();
    let running = true;
    try {
      for (const g of groups) {
        const args = [
          "--json",
          `--topic=${topic}`,
          `--dlq-topic=${g.dlq}`,
          `--group=${g.group}`,
          `--partitions=${PARTITIONS}`,
        ];
        for (let i = 0; i < g.count; i++) g.instances.push(spawnScript("consumer.ts", args, env));
      }
      const all = groups.flatMap((g) => g.instances);
      const died = firstExit(all, () => running);
      // The orders arrive only once every group has settled: each instance holds its share.
      await Promise.race([
        waitFor(() => groups.every((g) => stable(g.instances)), {
          timeoutMs: 90_000,
          message: "1, 2 and 3 instances holding 6, 3 and 2 partitions each",
        }).catch((error) => {
          throw new Error(`${error.message}; they hold ${holdings(groups)}`);
        }),
        died,
      ]);
      await produceOrders(topic, ORDERS, GENERATOR, [`--partitions=${PARTITIONS}`]);
      const truth = groundTruth(ORDERS, GENERATOR);
      const poison = truth.deadLetters.deserialization + truth.deadLetters.validation;
      // Every order reaches exactly one instance of each group, which commits it.
      await Promise.race([
        waitFor(
          () =>
            groups.every((g) =>
              g.instances.reduce(
                (n, run) =>
                  n +
                  jsonLines(run.stdout()).filter((l) =>
                    /^(processed|dead-lettered)$/.test(String(l.event))
                  ).length,
                0,
              ) === ORDERS
            ),
          { timeoutMs: 90_000, message: `each group to commit all ${ORDERS} orders` },
        ),
        died,
      ]);
      running = false;
      for (const g of groups) for (const run of g.instances) run.child.kill("SIGTERM");
      for (const g of groups) {
        const results = await Promise.all(g.instances.map((run) => run.done));
        const summaries = results.map((r) => {
          assert.equal(r.code, 0, r.stderr);
          return jsonLines(r.stdout).find((l) => l.event === "summary")!;
        });
        const sum = (field: string) => summaries.reduce((n, s) => n + (s[field] as number), 0);
        // Nothing was processed twice: no rebalance happened once the orders came.
        assert.deepEqual(
          [sum("processed"), sum("sentToDlq")],
          [truth.aggregate.count, poison],
          `${g.count} instances`,
        );
        // Each instance did its part.
        for (const s of summaries) assert.ok((s.processed as number) > 0, `${g.count} instances`);
        for (const s of summaries) assert.deepEqual(s.aggregate, truth.aggregate);
        const stats = await runScript("stats.ts", [
          "--json",
          `--topic=${topic}`,
          `--group=${g.group}`,
        ], env);
        assert.equal(stats.code, 0, stats.stderr);
        assert.deepEqual(JSON.parse(stats.stdout), truth.aggregate, `${g.count} instances`);
        assert.equal((await readTopic(brokers, g.dlq)).length, poison, `${g.count} instances`);
      }
    } finally {
      running = false;
      for (const g of groups) {
        for (const run of g.instances) {
          try {
            run.child.kill("SIGKILL");
          } catch {
            // Already exited.
          }
        }
      }
    }
  },
});
