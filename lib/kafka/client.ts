/**
 * Thin kafkajs wiring shared by the programs: one client factory with our
 * defaults, the bounded-retry idempotent producer, and a bounded connect
 * that fails with one clear line.
 *
 * @module
 */
import process from "node:process";
import { Kafka, logLevel, Partitioners, type Producer } from "kafkajs";
import { FatalError } from "../errors.ts";
import { CLIENT_RETRY, kafkajsRetry } from "../retry.ts";
import { describeError } from "./errors.ts";
import { installFastPaths } from "./kafkajs_patch.ts";
import { registerSnappy } from "./snappy.ts";

/** Options for {@linkcode createKafka}. */
export interface KafkaOptions {
  brokers: string[];
  /** @default {"order-pipeline"} */
  clientId?: string;
  /** TCP connect timeout for one attempt, in ms. @default {3000} */
  connectionTimeoutMs?: number;
  /** kafkajs log level; the scripts print their own concise lines. @default {logLevel.NOTHING} */
  level?: logLevel;
}

/**
 * Creates a kafkajs client with snappy registered, our produce encoder and
 * fetch decoder installed (`kafkajs_patch.ts`) and kafkajs's own logging
 * silenced: connection retries and rebalances are reported by our scripts
 * in one line each instead of kafkajs's multi-line JSON.
 */
export function createKafka(options: KafkaOptions): Kafka {
  registerSnappy();
  installFastPaths();
  quietTimeoutWarnings();
  return new Kafka({
    clientId: options.clientId ?? "order-pipeline",
    brokers: options.brokers,
    connectionTimeout: options.connectionTimeoutMs ?? 3000,
    logLevel: options.level ?? logLevel.NOTHING,
  });
}

let warningsPatched = false;

/**
 * Exported for clients built without createKafka (the launcher's probe).
 * kafkajs's request queue schedules `setTimeout(throttledUntil - Date.now())`
 * with `throttledUntil` 0 when the broker never throttled, and Node's timers
 * print a TimeoutNegativeWarning for it. The timeout is clamped to 1 ms
 * anyway, so the warning is noise: drop just that one.
 */
export function quietTimeoutWarnings(): void {
  if (warningsPatched) return;
  warningsPatched = true;
  const emit = process.emitWarning.bind(process);
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const name = typeof warning === "string" ? rest[0] : warning.name;
    const type = typeof name === "object" && name !== null
      ? (name as { type?: string }).type
      : name;
    if (type === "TimeoutNegativeWarning") return;
    // deno-lint-ignore no-explicit-any
    (emit as any)(warning, ...rest);
  }) as typeof process.emitWarning;
}

/**
 * An idempotent, `acks=all`-capable producer whose kafkajs retries are
 * bounded. kafkajs retries an idempotent send forever by default: a dead
 * broker or an unwritable topic would then hang the caller (and its
 * shutdown) instead of reaching our own attempts, the DLQ, or a clean
 * failure. Send through it one request at a time (see lib/producer/queue.ts).
 */
export function idempotentProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: kafkajsRetry(CLIENT_RETRY),
  });
}

/**
 * Connects `client` or throws {@linkcode FatalError} within `timeoutMs`:
 * kafkajs would otherwise keep retrying an unreachable broker for a long time.
 */
export async function connectWithin(
  client: { connect(): Promise<void>; disconnect(): Promise<void> },
  brokers: string[],
  timeoutMs: number,
): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${(timeoutMs / 1000).toFixed(0)} s`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([client.connect(), deadline]);
  } catch (error) {
    throw new FatalError(
      `cannot reach Kafka at ${brokers.join(",")}: ${
        describeError(error)
      }; start one with 'deno task broker' or point --brokers / KAFKA_BROKERS at a running broker`,
    );
  } finally {
    clearTimeout(timer);
  }
}
