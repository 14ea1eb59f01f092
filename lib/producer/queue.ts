/**
 * Batching for the producer: orders are collected into batches of up to
 * `batchSize` (or whatever arrived within `lingerMs`), one batch may wait
 * while one is sent, so generating the next batch overlaps the network, and
 * batches are sent strictly one at a time.
 *
 * @module
 */

/** Options for {@linkcode SendQueue}. */
export interface SendQueueOptions {
  /** Most items in one batch. @default {2000} */
  batchSize?: number;
  /** How long a batch waits to fill, in ms. @default {5} */
  lingerMs?: number;
  /**
   * Batches sent or waiting before {@linkcode SendQueue.room} holds the
   * caller. Two is double buffering: one batch on the wire, the next one
   * full and waiting. More only holds more orders in memory (every one of
   * them outlives the young generation) without sending any sooner, since
   * sends are one at a time. @default {2}
   */
  maxQueued?: number;
}

/**
 * Collects items into batches and hands each batch to `send`, one batch at a
 * time, in order.
 *
 * Sends are strictly one at a time. When a request fails on the client side
 * kafkajs rolls its sequence numbers back and releases its per-broker lock
 * before retrying: a second send waiting on that lock would reuse the same
 * sequence numbers, and if the broker had stored the first request it would
 * take the second for a duplicate, store nothing and still acknowledge it.
 * One send at a time, retried with the same records, is what idempotence
 * actually de-duplicates.
 */
export class SendQueue<T> {
  readonly #send: (batch: T[]) => Promise<void>;
  readonly #batchSize: number;
  readonly #lingerMs: number;
  readonly #maxQueued: number;
  #pending: T[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  #sendChain: Promise<void> = Promise.resolve();
  #lingerTimer: ReturnType<typeof setTimeout> | undefined;

  /** `send` is expected never to reject: every item must end somewhere. */
  constructor(send: (batch: T[]) => Promise<void>, options: SendQueueOptions = {}) {
    this.#send = send;
    this.#batchSize = options.batchSize ?? 2000;
    this.#lingerMs = options.lingerMs ?? 5;
    this.#maxQueued = options.maxQueued ?? 2;
  }

  /** Adds one item: a full batch is queued for sending now, a first item starts the linger. */
  add(item: T): void {
    this.#pending.push(item);
    if (this.#pending.length >= this.#batchSize) this.#dispatch();
    else if (this.#lingerTimer === undefined) {
      this.#lingerTimer = setTimeout(() => this.#dispatch(), this.#lingerMs);
    }
  }

  /**
   * Whether fewer than `maxQueued` batches are sent or waiting: the caller
   * may add without waiting on {@linkcode SendQueue.room}, whose promise
   * would otherwise cost an allocation and a turn per item.
   */
  get hasRoom(): boolean {
    return this.#inFlight.size < this.#maxQueued;
  }

  /** Resolves once fewer than `maxQueued` batches are sent or waiting. */
  async room(): Promise<void> {
    while (this.#inFlight.size >= this.#maxQueued) await Promise.race(this.#inFlight);
  }

  /** Queues what is pending and resolves once every batch has been sent. */
  async drain(): Promise<void> {
    this.#dispatch();
    while (this.#inFlight.size > 0) await Promise.race(this.#inFlight);
  }

  #dispatch(): void {
    clearTimeout(this.#lingerTimer);
    this.#lingerTimer = undefined;
    if (this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    const sending = this.#sendChain.then(() => this.#send(batch))
      .finally(() => this.#inFlight.delete(sending));
    this.#sendChain = sending;
    this.#inFlight.add(sending);
  }
}
