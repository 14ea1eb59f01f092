/**
 * Prints the consumer group's exact global aggregate without consuming
 * orders: the merge of every partition's state, read from the committed
 * offsets' metadata.
 *
 * Usage: `deno task stats -- [--json] [--topic NAME] [--group ID]`.
 *
 * @module
 */
import { FatalError } from "./lib/errors.ts";
import { parseCli, parseNumber } from "./lib/cli/args.ts";
import { resolveBrokers } from "./lib/cli/flags.ts";
import { runMain } from "./lib/cli/main.ts";
import { type Aggregate, summarize } from "./lib/order/aggregate.ts";
import { formatMoney } from "./lib/order/money.ts";
import { connectWithin, createKafka } from "./lib/kafka/client.ts";
import { ensureTopics } from "./lib/kafka/topics.ts";
import { readCommittedAggregate } from "./consumer.ts";

/** The command-line help. */
export const USAGE = `Usage: deno task stats -- [flags]

Prints the consumer group's exact aggregate from its committed offsets.

  --brokers LIST            bootstrap brokers (default $KAFKA_BROKERS or 127.0.0.1:9092)
  --topic NAME              consumed topic (default orders)
  --group ID                consumer group (default order-processors)
  --connect-timeout S       give up on an unreachable broker after S seconds (default 30)
  --json                    print {"count","average","min","max","revenue"}
  --help                    show this help`;

/** The stats CLI. Returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const { values } = parseCli(args, {
    options: {
      brokers: { type: "string" },
      topic: { type: "string" },
      group: { type: "string" },
      "connect-timeout": { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const brokers = resolveBrokers(values.brokers);
  const topic = values.topic ?? "orders";
  const group = values.group ?? "order-processors";
  const timeout = parseNumber("connect-timeout", values["connect-timeout"], 30, { min: 0.1 });
  const admin = createKafka({ brokers, clientId: "order-stats" }).admin();
  await connectWithin(admin, brokers, timeout * 1000);
  const problems: string[] = [];
  const rows: string[] = [];
  let aggregate: Aggregate;
  try {
    await ensureTopics(admin, [{ topic }]);
    const committed = await readCommittedAggregate(admin, group, topic);
    aggregate = committed.aggregate;
    for (const { partition, offset, agg, problem } of committed.partitions) {
      const where = `${topic}[${partition}]`;
      if (problem !== undefined) {
        problems.push(`${where}: ${problem}`);
      } else if (agg === undefined) {
        rows.push(`  ${where}: nothing committed yet`);
      } else {
        const s = summarize(agg);
        rows.push(
          `  ${where}: offset ${offset}, count ${s.count}, revenue ${formatMoney(s.revenue)}`,
        );
      }
    }
  } finally {
    await admin.disconnect();
  }
  const view = summarize(aggregate);
  if (values.json) {
    console.log(JSON.stringify(view));
  } else {
    const rule = "=".repeat(70);
    console.log([
      rule,
      `AGGREGATION RESULTS (group ${group}, topic ${topic})`,
      rule,
      `Total orders aggregated: ${view.count}`,
      `Running average price: ${formatMoney(view.average)}`,
      `Min price: ${formatMoney(view.min)}`,
      `Max price: ${formatMoney(view.max)}`,
      `Total revenue: ${formatMoney(view.revenue)}`,
      "Per partition:",
      ...rows,
      rule,
    ].join("\n"));
  }
  if (problems.length > 0) {
    throw new FatalError(`the aggregate is incomplete: ${problems.join("; ")}`);
  }
  return 0;
}

if (import.meta.main) runMain(main, USAGE);
