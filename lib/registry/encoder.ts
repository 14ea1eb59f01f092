/**
 * Writing framed orders: the producer registers our schema under the topic's
 * subject once (TopicNameStrategy: `<topic>-value`), keeps the id, and frames
 * every order with it. A registry that refuses the schema (incompatible with
 * the subject's latest under its compatibility level) stops the producer
 * before it sends anything, with the registry's own words.
 *
 * @module
 */
import type { Buffer } from "node:buffer";
import { FatalError } from "../errors.ts";
import { encodeOrder, type Order, ORDER_SCHEMA } from "../order/codec.ts";
import { frame } from "../order/wire.ts";
import { REGISTRY_RETRY, RetriesExhaustedError, retryWithBackoff } from "../retry.ts";
import { RegistryError, type SchemaRegistry } from "./client.ts";

/**
 * The subject of a topic's values under Confluent's default
 * TopicNameStrategy.
 *
 * @example
 * ```ts
 * import { valueSubject } from "./encoder.ts";
 * valueSubject("orders"); // "orders-value"
 * ```
 */
export function valueSubject(topic: string): string {
  return `${topic}-value`;
}

/** Options of {@linkcode registerOrderEncoder}. */
export interface RegisterOptions {
  /** The schema to register. @default {ORDER_SCHEMA} */
  schema?: unknown;
  /** Waits between attempts; tests fake it. @default {setTimeout} */
  sleep?: (ms: number) => Promise<void>;
}

/** Encodes orders in the wire format under one registered schema id. */
export interface OrderEncoder {
  /** The id the registry gave our schema. */
  schemaId: number;
  /** The subject it is registered under. */
  subject: string;
  /** `order` as a framed record value. */
  encode(order: Order): Buffer;
}

/**
 * Registers the order schema under `<topic>-value` (retrying a registry that
 * does not answer, under {@linkcode REGISTRY_RETRY}) and returns an encoder
 * that frames with its id. Throws a {@linkcode FatalError} with the
 * registry's message when it refuses the schema or stays unreachable.
 *
 * @example
 * ```ts ignore
 * import { registerOrderEncoder } from "./encoder.ts";
 * const encoder = await registerOrderEncoder(registry, "orders");
 * encoder.encode({ orderId: "ORD-00001", product: "Mouse", price: 29.99 })[0]; // 0
 * ```
 */
export async function registerOrderEncoder(
  registry: SchemaRegistry,
  topic: string,
  opts: RegisterOptions = {},
): Promise<OrderEncoder> {
  const { schema = ORDER_SCHEMA, sleep } = opts;
  const subject = valueSubject(topic);
  let schemaId: number;
  try {
    ({ value: schemaId } = await retryWithBackoff(
      () => registry.register(subject, JSON.stringify(schema)),
      { ...REGISTRY_RETRY, sleep },
    ));
  } catch (error) {
    throw new FatalError(refusalLine(subject, error));
  }
  return { schemaId, subject, encode: (order) => frame(schemaId, encodeOrder(order)) };
}

/**
 * The one line a producer stops with when registering under `subject`
 * failed with `error`.
 *
 * @example
 * ```ts
 * import { refusalLine } from "./encoder.ts";
 * import { RegistryError } from "./client.ts";
 * refusalLine("orders-value", new RegistryError(409, 409, "Incompatible artifact", "refused"));
 * // "Cannot start producer as the schema registry refused the schema for subject orders-value: Incompatible artifact (HTTP 409)"
 * ```
 */
export function refusalLine(subject: string, error: unknown): string {
  const last = error instanceof RetriesExhaustedError ? error.cause : error;
  if (last instanceof RegistryError) {
    return `Cannot start producer as the schema registry refused the schema for subject ` +
      `${subject}: ${last.registryMessage} (HTTP ${last.status})`;
  }
  return `Cannot start producer as the schema registry could not register subject ${subject}: ` +
    (last instanceof Error ? last.message : String(last));
}
