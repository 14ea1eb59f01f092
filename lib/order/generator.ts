/**
 * The order generator: a pure, seeded function the producer and the tests
 * share, so a test can compute exactly what a run produced. It also makes the
 * poison pills used to exercise the consumer's dead-letter path.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { encodeOrder, type Order } from "./codec.ts";
import { seededRandom } from "./random.ts";

/** A catalog entry: a product and its plausible price range in dollars. */
export interface Product {
  name: string;
  min: number;
  max: number;
}

/** The catalog, each product priced in its own range (a laptop near 800, a mouse near 30). */
export const CATALOG: readonly Product[] = [
  { name: "Laptop", min: 649, max: 1199 },
  { name: "Mouse", min: 14.99, max: 49.99 },
  { name: "Keyboard", min: 39.99, max: 149.99 },
  { name: "Monitor", min: 149.99, max: 499.99 },
  { name: "Headphones", min: 49.99, max: 299.99 },
  { name: "Tablet", min: 249.99, max: 699.99 },
  { name: "Smartphone", min: 399.99, max: 1099.99 },
  { name: "Camera", min: 299.99, max: 1499.99 },
  { name: "USB-C Hub", min: 19.99, max: 79.99 },
  { name: "Webcam", min: 39.99, max: 129.99 },
  { name: "External SSD", min: 59.99, max: 219.99 },
  { name: "Printer", min: 89.99, max: 349.99 },
  { name: "Desk Lamp", min: 14.99, max: 59.99 },
  { name: "Router", min: 59.99, max: 249.99 },
  { name: "Smartwatch", min: 149.99, max: 449.99 },
];

/** What kind of record the generator made. */
export type RecordKind = "valid" | "corrupt" | "invalid";

/** One generated record: the order it stands for and the value bytes to send. */
export interface GeneratedRecord {
  /** 1-based sequence number. */
  seq: number;
  kind: RecordKind;
  /** The order; for a corrupt record, the order whose bytes were mangled. */
  order: Order;
  /** Record key: the orderId. */
  key: string;
  /**
   * Record value: Avro for valid and invalid records, garbage for corrupt
   * ones. Always a Buffer: kafkajs writes any other value as `String(value)`.
   */
  value: Buffer;
}

/** Options for {@linkcode createRecordGenerator}. */
export interface GeneratorOptions {
  /** Seed; the same seed gives the same records. @default {42} */
  seed?: number;
  /** Probability in [0, 1] that a record is bytes that are not valid Avro. @default {0} */
  corruptRate?: number;
  /** Probability in [0, 1] that a record is valid Avro with a bad price or empty id. @default {0} */
  invalidRate?: number;
  /**
   * Turns an order into value bytes: plain Avro, or the wire format of a
   * schema registry (`lib/registry/encoder.ts`). @default {encodeOrder}
   */
  encode?: (order: Order) => Buffer;
}

/** Formats the 1-based sequence number as an order id: `ORD-00001`. */
export function orderId(seq: number): string {
  return `ORD-${String(seq).padStart(5, "0")}`;
}

function roundCents(dollars: number): number {
  return Math.round(dollars * 100) / 100;
}

/**
 * Returns a function that makes the next record each time it is called. Each
 * record draws a fixed number of random values, so the valid orders of a seed
 * do not depend on the poison-pill rates.
 *
 * @example
 * ```ts
 * import { createRecordGenerator } from "./generator.ts";
 * const next = createRecordGenerator({ seed: 7 });
 * next().key; // "ORD-00001"
 * ```
 */
export function createRecordGenerator(options: GeneratorOptions = {}): () => GeneratedRecord {
  const { seed = 42, corruptRate = 0, invalidRate = 0, encode = encodeOrder } = options;
  const random = seededRandom(seed);
  let seq = 0;
  return () => {
    seq += 1;
    const product = CATALOG[Math.floor(random() * CATALOG.length)];
    const price = roundCents(product.min + random() * (product.max - product.min));
    const kindDraw = random();
    const flavourDraw = random();
    const order: Order = { orderId: orderId(seq), product: product.name, price };
    const key = order.orderId;
    if (kindDraw < corruptRate) {
      return { seq, kind: "corrupt", order, key, value: corruptBytes(order, flavourDraw, encode) };
    }
    if (kindDraw < corruptRate + invalidRate) {
      const bad = invalidOrder(order, flavourDraw);
      return { seq, kind: "invalid", order: bad, key, value: encode(bad) };
    }
    return { seq, kind: "valid", order, key, value: encode(order) };
  };
}

/**
 * Bytes that can never decode as an order: a text marker (its first byte reads
 * as a string length far past the end) or an Avro encoding cut short.
 */
function corruptBytes(order: Order, draw: number, encode: (order: Order) => Buffer): Buffer {
  if (draw < 0.5) return Buffer.from(`CORRUPT:${order.orderId}`);
  const full = encode(order);
  return full.subarray(0, full.length - 2);
}

/** A well-formed Avro order that validation must reject. */
function invalidOrder(order: Order, draw: number): Order {
  const flavours: Order[] = [
    { ...order, price: -order.price },
    { ...order, price: 0 },
    { ...order, price: Number.NaN },
    { ...order, orderId: "" },
  ];
  return flavours[Math.floor(draw * flavours.length)];
}

/** Makes `count` records at once; the tests use it to compute the ground truth of a run. */
export function generateRecords(count: number, options: GeneratorOptions = {}): GeneratedRecord[] {
  const next = createRecordGenerator(options);
  return Array.from({ length: count }, () => next());
}
