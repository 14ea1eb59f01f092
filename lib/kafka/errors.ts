/**
 * Reading kafkajs's errors: one line for people, the protocol error under
 * kafkajs's wrappers, and whether it means the group is rebalancing.
 *
 * @module
 */

/** One line for an error: kafkajs's wrapped causes included, no stack. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const parts = [error.message];
  let cause = (error as { cause?: unknown; originalError?: unknown }).originalError ??
    (error as { cause?: unknown }).cause;
  while (cause instanceof Error && parts.length < 4) {
    if (!parts.includes(cause.message)) parts.push(cause.message);
    cause = (cause as { originalError?: unknown }).originalError ??
      (cause as { cause?: unknown }).cause;
  }
  return parts.join(": ");
}

/**
 * The first error in the `cause`/`originalError` chain that carries a Kafka
 * error type: kafkajs's retrier wraps protocol errors, and its runner only
 * rejoins the group for the unwrapped ones.
 */
export function kafkaCause(error: unknown): unknown {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    if (typeof (current as { type?: unknown }).type === "string") return current;
    const next = (current as { originalError?: unknown }).originalError ??
      (current as { cause?: unknown }).cause;
    if (next === undefined) break;
    current = next;
  }
  return error;
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
