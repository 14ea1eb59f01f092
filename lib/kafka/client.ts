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
import { deniedResource } from "./access.ts";
import { connectFailureLine } from "./failures.ts";
import { type ClientSecurity, kafkajsSecurity } from "./security.ts";
import { type SocketFailure, SocketFailures, watchedSocketFactory } from "./socket.ts";
import { installFastPaths } from "./kafkajs_patch.ts";
import { registerSnappy } from "./snappy.ts";
import { passOverDeadBrokers } from "./dead_broker.ts";

/** Options for {@linkcode createKafka}. */
export interface KafkaOptions {
  brokers: string[];
  /** @default {"order-pipeline"} */
  clientId?: string;
  /** TCP connect timeout for one attempt, in ms. @default {3000} */
  connectionTimeoutMs?: number;
  /** kafkajs log level; the scripts print their own concise lines. @default {logLevel.NOTHING} */
  level?: logLevel;
  /** TLS and SASL (see `security.ts`). @default {plaintext} */
  security?: ClientSecurity;
  /**
   * Where the client's sockets report failures no retry can fix, for
   * {@linkcode connectWithin} to fail on at once.
   *
   * @default {a new SocketFailures nobody listens to}
   */
  failures?: SocketFailures;
}

/**
 * Creates a kafkajs client with snappy registered, our produce encoder and
 * fetch decoder installed (`kafkajs_patch.ts`), kafkajs's own logging
 * silenced (connection retries and rebalances are reported by our scripts in
 * one line each instead of kafkajs's multi-line JSON), a dead broker passed
 * over where kafkajs would fail on it (`dead_broker.ts`), and TLS and SASL as
 * `options.security` says. This is the one kafkajs client factory.
 */
export function createKafka(options: KafkaOptions): Kafka {
  registerSnappy();
  installFastPaths();
  quietTimeoutWarnings();
  passOverDeadBrokers();
  return new Kafka({
    clientId: options.clientId ?? "order-pipeline",
    brokers: options.brokers,
    connectionTimeout: options.connectionTimeoutMs ?? 3000,
    logLevel: options.level ?? logLevel.NOTHING,
    ...kafkajsSecurity(options.security),
    socketFactory: watchedSocketFactory(options.failures ?? new SocketFailures()),
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

/** Where and how a client connects, for {@linkcode connectWithin}: `ConnectionSettings` fits. */
export interface ConnectTarget {
  brokers: string[];
  /** Give up after this long. */
  connectTimeoutMs: number;
  /** TLS and SASL, for the failure line. @default {plaintext} */
  security?: ClientSecurity;
}

/**
 * Connects `client` or throws {@linkcode FatalError} with one line that says
 * why (see `connectFailureLine`) within `connectTimeoutMs`: kafkajs would
 * otherwise keep retrying an unreachable broker for a long time. A failure
 * `failures` reports (a certificate, a handshake, TLS on a plaintext port)
 * ends the wait at once. An authorization denial passes through unchanged,
 * for the caller to name what was refused.
 */
export async function connectWithin(
  client: { connect(): Promise<void>; disconnect(): Promise<void> },
  target: ConnectTarget,
  failures?: SocketFailures,
): Promise<void> {
  const timeoutMs = target.connectTimeoutMs;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${(timeoutMs / 1000).toFixed(0)} s`)),
      timeoutMs,
    );
  });
  const fatal = failures?.next();
  const socketFailure = fatal?.failure.then((failure) => Promise.reject(failure));
  try {
    await Promise.race([client.connect(), deadline, ...(socketFailure ? [socketFailure] : [])]);
  } catch (error) {
    if (deniedResource(error) !== undefined) throw error;
    const failure = isSocketFailure(error) ? error : undefined;
    throw new FatalError(
      connectFailureLine(failure?.error ?? error, {
        brokers: target.brokers,
        security: target.security,
        timeoutMs,
        broker: failure?.broker,
      }),
      { cause: failure?.error ?? error },
    );
  } finally {
    clearTimeout(timer);
    fatal?.cancel();
  }
}

function isSocketFailure(value: unknown): value is SocketFailure {
  return typeof value === "object" && value !== null && "broker" in value && "error" in value &&
    !(value instanceof Error);
}
