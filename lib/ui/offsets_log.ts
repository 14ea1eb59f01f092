/**
 * Reading the broker's offset-commit log (`__consumer_offsets`): which
 * partition of it holds a group's commits, and what one record says (group,
 * topic, partition, offset, commit time). The dashboard follows it to learn
 * exactly when the consumer group committed past each order: the end of
 * that order's end-to-end latency. Pure: no Kafka.
 *
 * The record formats are Kafka's `OffsetCommitKey` (versions 0-1) and
 * `OffsetCommitValue` (versions 0-4; 4 is the flexible version Kafka 4
 * writes); other record kinds in the log (group metadata, the new consumer
 * protocol's records) are skipped.
 *
 * @module
 */

/** The internal topic of committed offsets. */
export const OFFSETS_TOPIC = "__consumer_offsets";

/** One offset commit, as the log records it. */
export interface OffsetCommit {
  group: string;
  topic: string;
  partition: number;
  offset: bigint;
  /** When the coordinator stored it, in ms since the epoch. */
  commitTimestamp: number;
}

/**
 * Java's `String.hashCode()`: what the coordinator hashes a group id with.
 *
 * @example
 * ```ts
 * import { javaHash } from "./offsets_log.ts";
 * javaHash("orders"); // -1008770331
 * ```
 */
export function javaHash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h;
}

/**
 * The partition of `__consumer_offsets` holding `group`'s commits, as the
 * coordinator picks it: `Utils.abs(group.hashCode()) % partitions`.
 *
 * @example
 * ```ts
 * import { offsetsPartition } from "./offsets_log.ts";
 * offsetsPartition("order-processors", 50); // 30
 * ```
 */
export function offsetsPartition(group: string, partitions: number): number {
  const h = javaHash(group);
  return (h === -2147483648 ? 0 : Math.abs(h)) % partitions;
}

/** A cursor over a record's bytes. */
class Reader {
  #at = 0;
  readonly #view: DataView;
  readonly #bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  int16(): number {
    const v = this.#view.getInt16(this.#at);
    this.#at += 2;
    return v;
  }

  int32(): number {
    const v = this.#view.getInt32(this.#at);
    this.#at += 4;
    return v;
  }

  int64(): bigint {
    const v = this.#view.getBigInt64(this.#at);
    this.#at += 8;
    return v;
  }

  uvarint(): number {
    let value = 0;
    for (let shift = 0;; shift += 7) {
      const byte = this.#bytes[this.#at++];
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
  }

  /** A string: int16 length (-1 null) or, when `compact`, uvarint length + 1 (0 null). */
  string(compact = false): string {
    const length = compact ? this.uvarint() - 1 : this.int16();
    if (length < 0) return "";
    const text = new TextDecoder().decode(this.#bytes.subarray(this.#at, this.#at + length));
    this.#at += length;
    return text;
  }
}

/**
 * Decodes one record of `__consumer_offsets`: the commit, or `undefined`
 * for a record of another kind, a deleted offset (null value), or a format
 * this code does not know.
 */
export function decodeOffsetCommit(
  key: Uint8Array | null,
  value: Uint8Array | null,
): OffsetCommit | undefined {
  if (key === null || value === null || key.length < 2 || value.length < 2) return undefined;
  try {
    const k = new Reader(key);
    const keyVersion = k.int16();
    if (keyVersion !== 0 && keyVersion !== 1) return undefined;
    const group = k.string();
    const topic = k.string();
    const partition = k.int32();
    const v = new Reader(value);
    const version = v.int16();
    if (version < 0 || version > 4) return undefined;
    const offset = v.int64();
    if (version >= 3) v.int32(); // leader epoch
    v.string(version >= 4); // metadata
    const commitTimestamp = Number(v.int64());
    return { group, topic, partition, offset, commitTimestamp };
  } catch {
    // A truncated record (RangeError from the view): not a commit we can use.
    return undefined;
  }
}
