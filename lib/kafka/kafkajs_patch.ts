/**
 * kafkajs 2.2.4's hot paths, replaced at run time by ours, and nothing else
 * of kafkajs touched. Under Deno, kafkajs's per-record `Buffer`s go through
 * the slow Node `Buffer` layer; three paths are replaced:
 *
 * - the produce request's encoder (`protocol/requests/produce`, versions 3
 *   to 7), two thirds of the producer's CPU. Ours (`produce_request.ts`)
 *   writes the same bytes in one pass.
 * - the fetch response's decoder (`protocol/requests/fetch`, version 11),
 *   about 2.7 KB of garbage per record. Ours (`fetch_response.ts`) makes the
 *   same objects.
 * - the grouping of a batch by partition (`groupMessagesPerPartition`),
 *   which copies a partition's array for every message: quadratic in the
 *   batch. kafkajs binds that function when it loads, so it cannot be
 *   swapped; instead {@linkcode groupedByPartition} gives our batches a
 *   `reduce` that returns the grouping made in one pass.
 *
 * Requests and responses are looked up on kafkajs's request table on every
 * call, which is why replacing `protocol` there reaches every client,
 * whenever it was made. Ours hands anything it does not take back to
 * kafkajs's code. The patch applies to kafkajs 2.2.4 only (the version
 * `deno.json` pins); `kafkajs_patch_test.ts` fails when the version or the
 * source of any function relied on changes, and checks ours against
 * kafkajs's own output byte for byte and object for object.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import produceRequests from "kafkajs/src/protocol/requests/produce/index.js";
import fetchRequests from "kafkajs/src/protocol/requests/fetch/index.js";
import compression from "kafkajs/src/protocol/message/compression/index.js";
import Encoder from "kafkajs/src/protocol/encoder.js";
import {
  type CompressorFor,
  encodeProduceRequest,
  type ProduceRequestArgs,
} from "./produce_request.ts";
import { decodeFetchResponse, type DecompressFor } from "./fetch_response.ts";
import { isPatchableKafkajs } from "./kafkajs_version.ts";

/** The produce request versions whose body `produce_request.ts` writes. */
const PRODUCE_VERSIONS = new Set([3, 4, 5, 6, 7]);
/** The fetch response version `fetch_response.ts` reads (the newest kafkajs speaks). */
const FETCH_VERSION = 11;

/** What kafkajs's request table builds for one version: a request and its response parser. */
type BuildRequest = (args: never) => {
  request: { encode(): Promise<unknown> };
  response: { decode(raw: Buffer): Promise<unknown>; parse(data: unknown): Promise<unknown> };
};

/** A request table entry of kafkajs: `protocol({ version })` gives the builder of that version. */
type Protocol = (options: { version: number }) => BuildRequest;

let installed = false;

/** Whether {@linkcode installFastPaths} has replaced kafkajs's produce and fetch codecs. */
export function fastPathsInstalled(): boolean {
  return installed;
}

/**
 * Replaces kafkajs's produce request encoder and fetch response decoder with
 * ours, once; later calls do nothing. Leaves kafkajs alone and returns
 * `false` when it is not the version `kafkajs_version.ts` pins.
 */
export function installFastPaths(): boolean {
  if (installed) return true;
  if (!isPatchableKafkajs()) return false;
  produceRequests.protocol = wrap(produceRequests.protocol, PRODUCE_VERSIONS, (built, args) => {
    const kafkajsEncode = built.request.encode;
    built.request.encode = async () => {
      const bytes = await encodeProduceRequest(args as ProduceRequestArgs, compressorFor);
      return bytes === undefined ? await kafkajsEncode() : encoderOver(bytes);
    };
  });
  fetchRequests.protocol = wrap(fetchRequests.protocol, new Set([FETCH_VERSION]), (built) => {
    const response = built.response;
    built.response = {
      ...response,
      decode: (raw: Buffer) =>
        // Whatever ours does not decode, kafkajs's decodes (or fails on) as always.
        decodeFetchResponse(raw, decompressFor).catch(() => response.decode(raw)),
    };
  });
  installed = true;
  return true;
}

/** `protocol`, with `patch` applied to what it builds for the given versions. */
function wrap(
  protocol: Protocol,
  versions: Set<number>,
  patch: (built: ReturnType<BuildRequest>, args: unknown) => void,
): Protocol {
  return ({ version }) => {
    const build = protocol({ version });
    if (!versions.has(version)) return build;
    return ((args: never) => {
      const built = build(args);
      patch(built, args);
      return built;
    }) as BuildRequest;
  };
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
 * The codec kafkajs would decompress a batch with `attributes` with, or
 * `undefined` for an uncompressed batch. Throws as kafkajs's lookup does for
 * a codec it does not implement.
 */
export const decompressFor: DecompressFor = (attributes) => {
  const codec = compression.lookupCodecByAttributes(attributes) as
    | { decompress(bytes: Buffer): Promise<Buffer> }
    | null;
  if (codec === null || codec === undefined) return undefined;
  return (bytes) => codec.decompress(bytes);
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
