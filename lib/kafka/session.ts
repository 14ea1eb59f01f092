/**
 * Connect and teardown, written once: a session owns one kafkajs client, its
 * admin and whatever producers and consumers a program opens on it, connects
 * each within the program's bound (failing at once, in one line, on a
 * certificate, handshake or login problem), and disconnects them all, newest
 * first, whatever happened. It also remembers who its clients are, so that a
 * denial further down can say who was refused.
 *
 * @module
 */
import type { Admin, Consumer, ConsumerConfig, Kafka, Producer } from "kafkajs";
import type { ConnectionSettings } from "../cli/flags.ts";
import { guard } from "./access.ts";
import { connectWithin, createKafka, idempotentProducer } from "./client.ts";
import { SocketFailures } from "./socket.ts";

/** Who each client of a session is, by client object. */
const identities = new WeakMap<object, string>();

/**
 * Who the broker sees behind `client` (a session's admin, producer or
 * consumer): `user app (SCRAM-SHA-512)`, `client certificate CN=app`;
 * `undefined` for an anonymous connection or a client no session made.
 */
export function identityOf(client: object): string | undefined {
  return identities.get(client);
}

/** The clients of one program run. */
export class KafkaSession {
  /** The kafkajs client every other client is made from. */
  readonly kafka: Kafka;
  /** The admin client, connected when {@linkcode KafkaSession.open} returns. */
  readonly admin: Admin;
  readonly #connection: ConnectionSettings;
  readonly #failures: SocketFailures;
  readonly #opened: { disconnect(): Promise<void> }[] = [];

  private constructor(connection: ConnectionSettings, clientId: string) {
    this.#connection = connection;
    this.#failures = new SocketFailures();
    this.kafka = createKafka({
      brokers: connection.brokers,
      clientId: connection.clientId ?? clientId,
      security: connection.security,
      failures: this.#failures,
    });
    this.admin = this.#remember(this.kafka.admin());
  }

  /**
   * Makes the client and connects its admin within `connectTimeoutMs`, or
   * throws a FatalError that says where and why it could not connect.
   * `connection.clientId` (the `client.id` property) wins over `clientId`.
   */
  static async open(connection: ConnectionSettings, clientId: string): Promise<KafkaSession> {
    const session = new KafkaSession(connection, clientId);
    const { admin } = session;
    // kafkajs's connect sends no request that needs a login; a listener that
    // expects SASL closes the connection on the first one. Asking for the
    // cluster here puts that failure inside the connect's bound and line.
    await session.#connect({
      connect: async () => {
        await admin.connect();
        await admin.describeCluster();
      },
      disconnect: () => admin.disconnect(),
    });
    return session;
  }

  /** Who the broker sees, for messages; `undefined` when anonymous. */
  get identity(): string | undefined {
    return this.#connection.security?.identity;
  }

  /**
   * A connected idempotent producer with bounded retries (see
   * `idempotentProducer`). Connecting asks for a producer id, which the
   * broker refuses to a principal that may write to no topic: that is one
   * `AccessDeniedError` line.
   */
  async producer(): Promise<Producer> {
    const producer = this.#remember(idempotentProducer(this.kafka));
    await guard(
      { cluster: { operation: "IdempotentWrite", resource: "cluster" } },
      this.identity,
      () => this.#connect(producer),
    );
    return producer;
  }

  /** A connected consumer. */
  async consumer(config: ConsumerConfig): Promise<Consumer> {
    const consumer = this.#remember(this.kafka.consumer(config));
    await this.#connect(consumer);
    return consumer;
  }

  /** Disconnects every client, newest first; never throws. */
  async close(): Promise<void> {
    for (const client of this.#opened.splice(0).reverse()) {
      await client.disconnect().catch(() => {});
    }
  }

  #remember<T extends object>(client: T): T {
    const identity = this.identity;
    if (identity !== undefined) identities.set(client, identity);
    return client;
  }

  async #connect(client: { connect(): Promise<void>; disconnect(): Promise<void> }) {
    // Registered before connecting: a connect that times out may still be trying.
    this.#opened.push(client);
    await connectWithin(client, this.#connection, this.#failures);
  }
}
