/**
 * Reading framed orders: each record's writer schema is fetched by id from
 * the registry once, and resolved to ours (`schema/order.avsc`) once, so a
 * record written with a newer compatible schema (say, an added `currency`
 * with a default) reads as an order. Fetching is async and happens before a
 * batch is processed ({@linkcode RegistryOrderDecoder.prepare}); decoding
 * stays synchronous, a map lookup per record.
 *
 * @module
 */
import avro from "avsc";
import { Buffer } from "node:buffer";
import { AvroDecodeError, decodeOrder, type Order, ORDER_SCHEMA } from "../order/codec.ts";
import { framedSchemaId, plainOnFramedReason, WIRE_HEADER_BYTES } from "../order/wire.ts";
import type { RecordOrigin } from "../order/codec.ts";
import { REGISTRY_RETRY, RetriesExhaustedError, retryWithBackoff } from "../retry.ts";
import { RegistryError, type SchemaRegistry } from "./client.ts";

/** avsc's resolver of one writer type into ours (its class is not exported by name). */
type Resolver = ReturnType<avro.Type["createResolver"]>;

/** How one writer schema id reads. */
type Reader =
  /** Same schema as ours: the codec reads the body. */
  | { kind: "same" }
  /** Another schema: avsc resolves it to ours. */
  | { kind: "resolve"; resolver: Resolver }
  /** Not readable: every record with this id is a deserialization failure. */
  | { kind: "unreadable"; reason: string };

/** Options of {@linkcode RegistryOrderDecoder.prepare}. */
export interface PrepareOptions {
  /** Waits between attempts; the consumer heartbeats in it. @default {setTimeout} */
  sleep?: (ms: number) => Promise<void>;
  /** Called before each wait. */
  onRetry?: (error: unknown, attempt: number, attempts: number, delayMs: number) => void;
}

/**
 * Decodes Confluent-framed orders. Call {@linkcode prepare} with a batch's
 * values first; then {@linkcode decode} reads any of them synchronously.
 *
 * @example
 * ```ts ignore
 * import { RegistryOrderDecoder } from "./decoder.ts";
 * const decoder = new RegistryOrderDecoder(registry);
 * await decoder.prepare(batch.messages.map((m) => m.value));
 * const order = decoder.decode(batch.messages[0].value, {});
 * ```
 */
export class RegistryOrderDecoder {
  readonly #registry: SchemaRegistry;
  readonly #readerType: avro.Type;
  readonly #readers = new Map<number, Reader>();

  constructor(registry: SchemaRegistry, readerSchema: avro.Schema = ORDER_SCHEMA) {
    this.#registry = registry;
    this.#readerType = avro.Type.forSchema(readerSchema);
  }

  /** The schema ids among `values` that are not known yet, each once. */
  missing(values: Iterable<Uint8Array | null>): number[] {
    const ids = new Set<number>();
    for (const value of values) {
      const id = framedSchemaId(value);
      if (id >= 0 && !this.#readers.has(id)) ids.add(id);
    }
    return [...ids];
  }

  /**
   * Fetches the writer schemas of `values` not known yet, retrying under
   * {@linkcode REGISTRY_RETRY}. An id the registry still does not know after
   * the retries, or a schema that cannot be read as an order, is remembered
   * as unreadable. Throws the retriable error (nothing remembered) when the
   * registry does not answer: the caller redoes the batch later, and no
   * record is dead-lettered because of the registry.
   */
  async prepare(values: Iterable<Uint8Array | null>, opts: PrepareOptions = {}): Promise<void> {
    for (const id of this.missing(values)) {
      try {
        const { value } = await retryWithBackoff(() => this.#registry.schemaById(id), {
          ...REGISTRY_RETRY,
          sleep: opts.sleep,
          onRetry: opts.onRetry,
        });
        this.#readers.set(id, this.#readerFor(id, value));
      } catch (error) {
        const last = error instanceof RetriesExhaustedError ? error.cause : error;
        if (!(last instanceof RegistryError)) throw last;
        this.#readers.set(id, { kind: "unreadable", reason: unknownIdReason(id, last) });
      }
    }
  }

  /** How records written with `schemaText` (id `id`) read as orders. */
  #readerFor(id: number, schemaText: string): Reader {
    let writer: avro.Type;
    try {
      writer = avro.Type.forSchema(JSON.parse(schemaText));
    } catch (error) {
      return {
        kind: "unreadable",
        reason: `writer schema ${id} is not valid Avro: ${message(error)}`,
      };
    }
    if (writer.equals(this.#readerType)) return { kind: "same" };
    try {
      return { kind: "resolve", resolver: this.#readerType.createResolver(writer) };
    } catch (error) {
      return {
        kind: "unreadable",
        reason: `writer schema ${id} cannot be read as ${this.#readerType.name}: ${message(error)}`,
      };
    }
  }

  /**
   * Decodes one framed order; throws {@linkcode AvroDecodeError}, carrying
   * the framed bytes, for a plain record, an unreadable schema id or a body
   * that does not decode. Synchronous: ids must have been prepared.
   */
  readonly decode = (bytes: Uint8Array | null, origin: RecordOrigin): Order => {
    if (bytes === null) return decodeOrder(bytes, origin);
    const id = framedSchemaId(bytes);
    if (id < 0) throw new AvroDecodeError(bytes, plainOnFramedReason(bytes), origin);
    const reader = this.#readers.get(id);
    if (reader === undefined) {
      throw new AvroDecodeError(bytes, `schema id ${id} was not fetched before decoding`, origin);
    }
    if (reader.kind === "unreadable") throw new AvroDecodeError(bytes, reader.reason, origin);
    const buf = Buffer.isBuffer(bytes)
      ? bytes
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    if (reader.kind === "same") {
      try {
        return decodeOrder(buf.subarray(WIRE_HEADER_BYTES), origin);
      } catch (error) {
        if (!(error instanceof AvroDecodeError)) throw error;
        throw new AvroDecodeError(bytes, `schema id ${id}: ${error.reason}`, origin);
      }
    }
    return this.#resolve(buf, id, reader.resolver, origin);
  };

  #resolve(buf: Buffer, id: number, resolver: Resolver, origin: RecordOrigin): Order {
    let decoded: { value: { orderId: string; product: string; price: number }; offset: number };
    try {
      decoded = this.#readerType.decode(buf, WIRE_HEADER_BYTES, resolver);
    } catch (error) {
      throw new AvroDecodeError(buf, `schema id ${id}: ${message(error)}`, origin);
    }
    if (decoded.offset !== buf.length) {
      const what = decoded.offset < 0 ? "truncated buffer" : "trailing data";
      throw new AvroDecodeError(buf, `schema id ${id}: ${what}`, origin);
    }
    const { orderId, product, price } = decoded.value;
    return { orderId, product, price };
  }
}

/** Why records with `id` cannot be read, from the registry's last answer. */
function unknownIdReason(id: number, error: RegistryError): string {
  return error.status === 404
    ? `unknown schema id ${id}: the registry answered ${error.registryMessage} (HTTP 404)`
    : `schema id ${id}: ${error.message}`;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
