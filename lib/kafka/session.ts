/**
 * Connect and teardown, written once: a session owns one kafkajs client, its
 * admin and whatever producers and consumers a program opens on it, connects
 * each within the program's bound, and disconnects them all, newest first,
 * whatever happened.
 *
 * @module
 */
import type { Admin, Consumer, ConsumerConfig, Kafka, Producer } from "kafkajs";
import type { ConnectionSettings } from "../cli/flags.ts";
import { connectWithin, createKafka, idempotentProducer } from "./client.ts";

/** The clients of one program run. */
export class KafkaSession {
  /** The kafkajs client every other client is made from. */
  readonly kafka: Kafka;
  /** The admin client, connected when {@linkcode KafkaSession.open} returns. */
  readonly admin: Admin;
  readonly #connection: ConnectionSettings;
  readonly #opened: { disconnect(): Promise<void> }[] = [];

  private constructor(kafka: Kafka, connection: ConnectionSettings) {
    this.kafka = kafka;
    this.admin = kafka.admin();
    this.#connection = connection;
  }

  /**
   * Makes the client and connects its admin within `connectTimeoutMs`, or
   * throws a FatalError that says where it could not connect.
   */
  static async open(connection: ConnectionSettings, clientId: string): Promise<KafkaSession> {
    const session = new KafkaSession(
      createKafka({ brokers: connection.brokers, clientId }),
      connection,
    );
    await session.#connect(session.admin);
    return session;
  }

  /** A connected idempotent producer with bounded retries (see `idempotentProducer`). */
  async producer(): Promise<Producer> {
    const producer = idempotentProducer(this.kafka);
    await this.#connect(producer);
    return producer;
  }

  /** A connected consumer. */
  async consumer(config: ConsumerConfig): Promise<Consumer> {
    const consumer = this.kafka.consumer(config);
    await this.#connect(consumer);
    return consumer;
  }

  /** Disconnects every client, newest first; never throws. */
  async close(): Promise<void> {
    for (const client of this.#opened.splice(0).reverse()) {
      await client.disconnect().catch(() => {});
    }
  }

  async #connect(client: { connect(): Promise<void>; disconnect(): Promise<void> }) {
    // Registered before connecting: a connect that times out may still be trying.
    this.#opened.push(client);
    await connectWithin(client, this.#connection.brokers, this.#connection.connectTimeoutMs);
  }
}
