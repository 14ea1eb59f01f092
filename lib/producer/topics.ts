/**
 * The producer's topics before it sends: created if missing (replicated as
 * the cluster allows), their real partition counts taken into the config,
 * and with `--verbose` the orders topic's layout printed.
 *
 * @module
 */
import type { Admin } from "kafkajs";
import { ensurePipelineTopics } from "../kafka/topics.ts";
import type { ProducerConfig } from "./options.ts";

/**
 * Makes sure of `config.topic` and `config.dlqTopic`, and sets
 * `config.partitions` and `config.dlqPartitions` to their real counts: an
 * existing topic keeps its own, and the partitioner must use it. With
 * `config.verbose`, `print`s the topic's layout.
 */
export async function prepareTopics(
  admin: Admin,
  config: ProducerConfig,
  print: (line: string) => void = console.log,
): Promise<void> {
  const { partitions, layout } = await ensurePipelineTopics(admin, config);
  config.partitions = partitions.get(config.topic)!;
  config.dlqPartitions = partitions.get(config.dlqTopic)!;
  for (const line of layout ?? []) print(line);
}
