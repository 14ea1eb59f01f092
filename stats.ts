/**
 * Prints the consumer group's exact global aggregate without consuming
 * orders: the merge of every partition's state, read from the committed
 * offsets' metadata.
 *
 * Usage: `deno task stats -- [--json] [--topic NAME] [--group ID]`.
 *
 * @module
 */
import { parseCli } from "./lib/cli/args.ts";
import { commonFlags, CONNECTION_USAGE, connectionSettings } from "./lib/cli/flags.ts";
import { runMain } from "./lib/cli/main.ts";
import { CONSUMER_DEFAULTS } from "./lib/consumer/options.ts";
import { readCommittedAggregate } from "./lib/consumer/committed.ts";
import { aggregateLines, rule } from "./lib/consumer/report.ts";
import { FatalError } from "./lib/errors.ts";
import { ensureTopics } from "./lib/kafka/topics.ts";
import { fetchTopicLayout, layoutLines, type TopicLayout } from "./lib/kafka/layout.ts";
import { KafkaSession } from "./lib/kafka/session.ts";
import { summarize } from "./lib/order/aggregate.ts";
import { formatMoney } from "./lib/order/money.ts";

/** The command-line help. */
export const USAGE = `Usage: deno task stats -- [flags]

Prints the consumer group's exact aggregate from its committed offsets, and
the topic's layout (leader and replicas per partition).

  --brokers LIST            bootstrap brokers (default $KAFKA_BROKERS or 127.0.0.1:9092)
${CONNECTION_USAGE}
  --topic NAME              consumed topic (default orders)
  --group ID                consumer group (default order-processors)
  --connect-timeout S       give up on an unreachable broker after S seconds (default 30)
  --json                    print {"count","average","min","max","revenue"}
  --help                    show this help`;

/** The stats CLI. Returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const { values } = parseCli(args, {
    options: {
      ...commonFlags("brokers", "topic", "group", "connect-timeout", "json", "help"),
      ...commonFlags("config", "property"),
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const connection = connectionSettings(values);
  const topic = values.topic ?? CONSUMER_DEFAULTS.topic;
  const group = values.group ?? CONSUMER_DEFAULTS.group;
  const session = await KafkaSession.open(connection, "order-stats");
  let committed;
  let layout: TopicLayout | undefined;
  try {
    await ensureTopics(session.admin, [{ topic }]);
    committed = await readCommittedAggregate(session.admin, group, topic);
    if (!values.json) layout = await fetchTopicLayout(session.admin, topic);
  } finally {
    await session.close();
  }
  const problems: string[] = [];
  const rows: string[] = [];
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
  const view = summarize(committed.aggregate);
  if (values.json) {
    console.log(JSON.stringify(view));
  } else {
    console.log([
      rule(),
      `AGGREGATION RESULTS (group ${group}, topic ${topic})`,
      rule(),
      ...aggregateLines(view),
      "Per partition:",
      ...rows,
      rule(),
      ...layoutLines(layout!),
    ].join("\n"));
  }
  if (problems.length > 0) {
    throw new FatalError(`the aggregate is incomplete: ${problems.join("; ")}`);
  }
  return 0;
}

if (import.meta.main) runMain(main, USAGE);
