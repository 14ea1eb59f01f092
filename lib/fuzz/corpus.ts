/**
 * The inputs of the differential fuzz, a pure function of a seed: valid
 * orders (catalog orders and edge cases: Unicode, byte order marks, NUL,
 * empty strings, special floats, non-canonical lengths), mutations of valid
 * orders (truncation, extension, bit flips, length-prefix edits, invalid
 * UTF-8) and random bytes.
 *
 * @module
 */
import { generateRecords } from "../order/generator.ts";
import { seededRandom } from "../order/random.ts";

/** How an input was made. */
export type InputKind =
  | "valid"
  | "truncate"
  | "extend"
  | "bitflip"
  | "length"
  | "utf8"
  | "random";

/** One fuzz input. */
export interface FuzzInput {
  kind: InputKind;
  bytes: Uint8Array;
}

/** The share of each kind in a corpus; they sum to 1. */
export const KIND_WEIGHTS: Readonly<Record<InputKind, number>> = {
  valid: 0.2,
  truncate: 0.12,
  extend: 0.1,
  bitflip: 0.2,
  length: 0.18,
  utf8: 0.1,
  random: 0.1,
};

/** Options for {@linkcode generateCorpus}. */
export interface CorpusOptions {
  /** How many inputs. */
  count: number;
  /** The same seed gives the same inputs. @default {1} */
  seed?: number;
}

const encoder = new TextEncoder();

/** Strings that have tripped decoders: Unicode of every width, BOM, NUL, U+FFFD, long text. */
const EDGE_STRINGS = [
  "",
  " ",
  "é",
  "Caméra",
  "日本語",
  "😀",
  "\uFEFFORD-00001",
  "\u0000",
  "a\u0000b",
  "\uFFFD",
  "e\u0301",
  "\u2028\u2029",
  "\u007F\u0080\u07FF\u0800\uFFFF",
  "\u{10000}\u{10FFFF}",
  "x".repeat(64),
  "x".repeat(65),
  "ORD-".repeat(50),
  "Ünïcödé ".repeat(12),
];

/** Prices at the edges of float32 and of the business rules. */
const EDGE_PRICES = [
  NaN,
  Infinity,
  -Infinity,
  0,
  -0,
  -1,
  0.01,
  2 ** -149,
  3.4028234663852886e38,
  100_000,
  100_000.01,
  131_072,
];

/** Byte sequences that are not UTF-8: stray continuation, cut sequences, overlong forms, surrogates, past U+10FFFF. */
const INVALID_UTF8 = [
  [0x80],
  [0xbf],
  [0xc3],
  [0xc0, 0x80],
  [0xc1, 0xbf],
  [0xe0, 0x80, 0x80],
  [0xe2, 0x82],
  [0xed, 0xa0, 0x80],
  [0xed, 0xbf, 0xbf],
  [0xf0, 0x8f, 0xbf, 0xbf],
  [0xf0, 0x9f, 0x98],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf5, 0x80, 0x80, 0x80],
  [0xfe],
  [0xff],
];

/** Avro's zigzag varint of `value` as a 64-bit long, padded with continuation bytes to `minBytes`. */
export function zigzagVarint(value: bigint, minBytes = 1): number[] {
  let n = BigInt.asUintN(64, (value << 1n) ^ (value >> 63n));
  const out: number[] = [];
  do {
    out.push(Number(n & 0x7fn));
    n >>= 7n;
  } while (n > 0n || out.length < minBytes);
  for (let i = 0; i < out.length - 1; i++) out[i] |= 0x80;
  return out;
}

/** An order's three parts as raw bytes, with the length prefixes as given. */
interface Parts {
  idPrefix: number[];
  id: Uint8Array;
  productPrefix: number[];
  product: Uint8Array;
  price: Uint8Array;
}

function join(p: Parts): Uint8Array {
  return Uint8Array.from([...p.idPrefix, ...p.id, ...p.productPrefix, ...p.product, ...p.price]);
}

function floatBytes(price: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setFloat32(0, price, true);
  return out;
}

/** A random generator with the few draws the corpus needs. */
class Draw {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = seededRandom(seed);
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  bytes(n: number): number[] {
    return Array.from({ length: n }, () => this.int(256));
  }
}

/** A valid order's parts: mostly catalog orders, a share of edge strings and prices. */
function validParts(d: Draw, catalog: ReturnType<typeof generateRecords>): Parts {
  const base = d.pick(catalog).order;
  const id = d.next() < 0.3 ? d.pick(EDGE_STRINGS) : base.orderId;
  const product = d.next() < 0.3 ? d.pick(EDGE_STRINGS) : base.product;
  const priceDraw = d.next();
  const price = priceDraw < 0.1
    ? Uint8Array.from(d.bytes(4))
    : floatBytes(priceDraw < 0.3 ? d.pick(EDGE_PRICES) : base.price);
  const idBytes = encoder.encode(id);
  const productBytes = encoder.encode(product);
  // Now and then a non-canonical (padded) but valid length encoding.
  const pad = () => (d.next() < 0.05 ? 2 + d.int(9) : 1);
  return {
    idPrefix: zigzagVarint(BigInt(idBytes.length), pad()),
    id: idBytes,
    productPrefix: zigzagVarint(BigInt(productBytes.length), pad()),
    product: productBytes,
    price,
  };
}

/** A new length for a prefix: off by a little, negative, huge, overlong or unfinished. */
function editedPrefix(d: Draw, length: number): number[] {
  const choice = d.int(10);
  const big = (v: bigint) => zigzagVarint(v);
  switch (choice) {
    case 0:
      return big(BigInt(length + d.pick([-3, -2, -1, 1, 2, 3])));
    case 1:
      return big(-BigInt(1 + d.int(100)));
    case 2:
      return big(d.pick([0n, 2n ** 31n, 2n ** 31n - 1n, 2n ** 32n, 2n ** 63n - 1n, -(2n ** 63n)]));
    case 3:
      return big(BigInt.asIntN(64, BigInt(d.int(2 ** 32)) << BigInt(d.int(33))));
    case 4:
      // The same length padded to 11..14 bytes: past the 10-byte limit.
      return zigzagVarint(BigInt(length), 11 + d.int(4));
    case 5:
      // The same length in exactly 10 bytes, with garbage in the bits past 64.
      return [...zigzagVarint(BigInt(length), 10).slice(0, 9), (d.int(64) << 1) & 0x7e];
    case 6:
      // Unfinished: continuation bytes only.
      return new Array(1 + d.int(12)).fill(0x80 | d.int(128));
    case 7:
      return [d.int(256)];
    case 8:
      return zigzagVarint(BigInt(length), 2 + d.int(9));
    default:
      return [];
  }
}

function mutate(kind: InputKind, d: Draw, parts: Parts): Uint8Array {
  const bytes = join(parts);
  switch (kind) {
    case "truncate":
      return bytes.subarray(0, d.int(bytes.length));
    case "extend":
      return Uint8Array.from([...bytes, ...(d.next() < 0.5 ? d.bytes(1 + d.int(8)) : [0])]);
    case "bitflip": {
      const out = bytes.slice();
      for (let n = 1 + d.int(3); n > 0; n--) out[d.int(out.length)] ^= 1 << d.int(8);
      return out;
    }
    case "length":
      if (d.next() < 0.5) return join({ ...parts, idPrefix: editedPrefix(d, parts.id.length) });
      return join({ ...parts, productPrefix: editedPrefix(d, parts.product.length) });
    case "utf8": {
      // Invalid bytes spliced into one string, its length prefix kept right.
      const field = d.next() < 0.5 ? "id" : "product";
      const text = [...parts[field]];
      text.splice(d.int(text.length + 1), 0, ...d.pick(INVALID_UTF8));
      const prefix = zigzagVarint(BigInt(text.length));
      return field === "id"
        ? join({ ...parts, idPrefix: prefix, id: Uint8Array.from(text) })
        : join({ ...parts, productPrefix: prefix, product: Uint8Array.from(text) });
    }
    default:
      return bytes;
  }
}

function pickKind(d: Draw): InputKind {
  let draw = d.next();
  for (const [kind, weight] of Object.entries(KIND_WEIGHTS) as [InputKind, number][]) {
    draw -= weight;
    if (draw < 0) return kind;
  }
  return "random";
}

/**
 * Random bytes: a third unshaped, a third starting with a small length byte
 * (so they get past the first field), a third with right lengths around
 * random string contents (so the UTF-8 check meets random bytes).
 */
function randomBytes(d: Draw): Uint8Array {
  const shape = d.int(3);
  if (shape === 2) {
    const id = d.bytes(d.int(8));
    const product = d.bytes(d.int(8));
    return Uint8Array.from([
      ...zigzagVarint(BigInt(id.length)),
      ...id,
      ...zigzagVarint(BigInt(product.length)),
      ...product,
      ...d.bytes(4),
    ]);
  }
  const body = d.bytes(d.int(33));
  if (shape === 1 && body.length > 0) body[0] = d.int(16) * 2;
  return Uint8Array.from(body);
}

/**
 * `count` seeded fuzz inputs, in the proportions of {@linkcode KIND_WEIGHTS}.
 *
 * @example
 * ```ts
 * import { generateCorpus } from "./corpus.ts";
 * generateCorpus({ count: 3, seed: 1 }).length; // 3
 * ```
 */
export function generateCorpus(options: CorpusOptions): FuzzInput[] {
  const { count, seed = 1 } = options;
  const d = new Draw(seed);
  const catalog = generateRecords(200, { seed });
  const inputs: FuzzInput[] = [];
  for (let i = 0; i < count; i++) {
    const kind = pickKind(d);
    const bytes = kind === "random" ? randomBytes(d) : mutate(kind, d, validParts(d, catalog));
    inputs.push({ kind, bytes });
  }
  return inputs;
}
