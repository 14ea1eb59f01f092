/**
 * Reading kafkajs's errors: one line for people, the protocol error under
 * kafkajs's wrappers, and whether it means the group is rebalancing.
 *
 * @module
 */

/**
 * `error` and the errors under it, following kafkajs's `originalError` and
 * the standard `cause`, `max` at the most (a chain may loop).
 */
export function causeChain(error: unknown, max: number): Error[] {
  const chain: Error[] = [];
  for (let current = error; current instanceof Error && chain.length < max;) {
    chain.push(current);
    current = (current as { originalError?: unknown }).originalError ??
      (current as { cause?: unknown }).cause;
  }
  return chain;
}

/** One line for an error: kafkajs's wrapped causes included, no stack. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const parts: string[] = [];
  for (const { message } of causeChain(error, 16)) {
    if (!parts.includes(message)) parts.push(message);
  }
  return parts.slice(0, 4).join(": ");
}

/**
 * The first error in the `cause`/`originalError` chain that carries a Kafka
 * error type: kafkajs's retrier wraps protocol errors, and its runner only
 * rejoins the group for the unwrapped ones.
 */
export function kafkaCause(error: unknown): unknown {
  return causeChain(error, 5).find((e) => typeof (e as { type?: unknown }).type === "string") ??
    error;
}

const REBALANCE_TYPES = new Set([
  "REBALANCE_IN_PROGRESS",
  "NOT_COORDINATOR_FOR_GROUP",
  "GROUP_COORDINATOR_NOT_AVAILABLE",
  "GROUP_LOAD_IN_PROGRESS",
  "ILLEGAL_GENERATION",
  "UNKNOWN_MEMBER_ID",
  "FENCED_INSTANCE_ID",
]);

/** Whether a (unwrapped) kafkajs error means the group is rebalancing or moving. */
export function isRebalance(error: unknown): boolean {
  return REBALANCE_TYPES.has((error as { type?: string } | null)?.type ?? "");
}
