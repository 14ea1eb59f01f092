/**
 * kafkajs 2.2.4's produce path, made fast at run time, and nothing else of
 * kafkajs touched. Two hot paths are replaced:
 *
 * - the produce request's encoder (`protocol/requests/produce`, versions 3 to
 *   7): kafkajs's allocates Buffers per record and per varint, which under
 *   Deno's Node `Buffer` layer was two thirds of the producer's CPU. Ours
 *   (`produce_request.ts`) writes the same bytes in one pass, and hands any
 *   argument it does not take back to kafkajs's encoder.
 * - the grouping of a batch by partition (`groupMessagesPerPartition`), which
 *   copies a partition's array for every message: quadratic in the batch.
 *   kafkajs binds that function when it loads, so it cannot be swapped;
 *   instead {@linkcode groupedByPartition} gives our batches a `reduce` that
 *   returns the grouping made in one pass.
 *
 * The patch applies to kafkajs 2.2.4 only (the version `deno.json` pins);
 * `fast_produce_test.ts` fails when the version or the source of any
 * function relied on changes, and checks the request bytes against
 * kafkajs's own encoder.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import pkg from "kafkajs/package.json" with { type: "json" };
import produceRequests from "kafkajs/src/protocol/requests/produce/index.js";
import compression from "kafkajs/src/protocol/message/compression/index.js";
import Encoder from "kafkajs/src/protocol/encoder.js";
import {
  type CompressorFor,
  encodeProduceRequest,
  type ProduceRequestArgs,
} from "./produce_request.ts";

/** The kafkajs version the replaced functions were read from. */
export const KAFKAJS_VERSION = "2.2.4";

/** The produce request versions whose body `produce_request.ts` writes. */
const FAST_VERSIONS = new Set([3, 4, 5, 6, 7]);

/** What kafkajs's request lookup returns for one version: a request and its response parser. */
type BuildRequest = (args: ProduceRequestArgs) => {
  request: { encode(): Promise<unknown> };
  response: unknown;
};

let installed = false;

/** Whether {@linkcode installFastProduce} has replaced kafkajs's produce encoder. */
export function fastProduceInstalled(): boolean {
  return installed;
}

/**
 * Replaces kafkajs's produce request encoder with ours, once; later calls
 * do nothing. Leaves kafkajs alone and returns `false` when it is not
 * version {@linkcode KAFKAJS_VERSION}. Brokers look the request up on every
 * send, so clients made before the call use it too.
 */
export function installFastProduce(): boolean {
  if (installed) return true;
  if (pkg.version !== KAFKAJS_VERSION) return false;
  const original = produceRequests.protocol as (o: { version: number }) => BuildRequest;
  produceRequests.protocol = ({ version }: { version: number }) => {
    const build = original({ version });
    if (!FAST_VERSIONS.has(version)) return build;
    return (args: ProduceRequestArgs) => {
      const built = build(args);
      const kafkajsEncode = built.request.encode;
      built.request.encode = async () => {
        const bytes = await encodeProduceRequest(args, compressorFor);
        return bytes === undefined ? await kafkajsEncode() : encoderOver(bytes);
      };
      return built;
    };
  };
  installed = true;
  return true;
}

/** A kafkajs `Encoder` holding `bytes`, as kafkajs's request framing and codecs take one. */
export function encoderOver(bytes: Uint8Array): InstanceType<typeof Encoder> {
  const encoder = new Encoder(0);
  encoder.buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  encoder.offset = bytes.length;
  return encoder;
}

/**
 * The codec kafkajs would use for `type` (snappy once registered), as a
 * function of the records' bytes; `undefined` when kafkajs has none, so its
 * own encoder runs and fails as it would.
 */
export const compressorFor: CompressorFor = (type) => {
  let codec: { compress(encoder: unknown): Promise<Uint8Array> } | null;
  try {
    codec = compression.lookupCodec(type);
  } catch {
    return undefined;
  }
  if (codec === null || codec === undefined) return undefined;
  const { compress } = codec;
  return (records) => compress.call(codec, encoderOver(records));
};

/**
 * Returns `messages`, able to group themselves by their `partition` in one
 * pass when kafkajs's `groupMessagesPerPartition` reduces them (with its
 * callback and an empty object). Only while the patch is installed and every
 * message carries an integer partition; otherwise `messages` are returned
 * as they are. The producer's partitioner must return a message's own
 * partition when it has one, as kafkajs's default and legacy ones do.
 */
export function groupedByPartition<T extends { partition?: number }>(messages: T[]): T[] {
  if (!installed) return messages;
  const groups: Record<number, T[]> = {};
  for (const m of messages) {
    const p = m.partition;
    if (typeof p !== "number" || !Number.isInteger(p)) return messages;
    (groups[p] ??= []).push(m);
  }
  const reduce = messages.reduce;
  Object.defineProperty(messages, "reduce", {
    configurable: true,
    writable: true,
    value: function (this: T[], ...args: unknown[]) {
      const [callback, initial] = args;
      const isGrouping = args.length === 2 && typeof callback === "function" &&
        callback.length === 2 && isEmptyObject(initial);
      // A fresh object each time, as each of kafkajs's attempts groups anew.
      if (isGrouping) return { ...groups };
      return (reduce as (...a: unknown[]) => unknown).apply(this, args);
    },
  });
  return messages;
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === "object" && value !== null &&
    Object.getPrototypeOf(value) === Object.prototype && Object.keys(value).length === 0;
}
