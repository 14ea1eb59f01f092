/**
 * The reference decoder of the differential fuzz: fastavro's
 * `schemaless_reader` in strict mode, run by `fastavro_reader.py` in a
 * project-local Python environment. One process reads every input from
 * stdin and answers with one JSON line per input, so 100,000 inputs take
 * seconds.
 *
 * @module
 */
import { ensureVenv } from "../python/venv.ts";
import type { Order } from "../order/codec.ts";

/** fastavro as the second reference system uses it, pinned. */
export const FASTAVRO_REQUIREMENTS: readonly string[] = ["fastavro==1.13.1"];

/** What a decoder made of one input. */
export type Verdict =
  | { ok: true; order: Order }
  | {
    ok: false;
    /** Why it was refused. */
    reason: string;
    /** Set when fastavro alone accepted it and strict mode refused it. */
    strictOnly?: boolean;
  };

const READER = new URL("./fastavro_reader.py", import.meta.url).pathname;
const SCHEMA = new URL("../../schema/order.avsc", import.meta.url).pathname;

/**
 * The python of the `fastavro` environment, made on first use (a few
 * seconds; it needs PyPI once).
 */
export function fastavroPython(log?: (text: string) => void): Promise<string> {
  return ensureVenv({ name: "fastavro", requirements: FASTAVRO_REQUIREMENTS, log });
}

/** The inputs as one stdin stream: each a 4-byte big-endian length, then its bytes. */
export function frameInputs(inputs: readonly Uint8Array[]): Uint8Array {
  const total = inputs.reduce((sum, b) => sum + 4 + b.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const bytes of inputs) {
    view.setUint32(at, bytes.length);
    out.set(bytes, at + 4);
    at += 4 + bytes.length;
  }
  return out;
}

/** Reads one line of `fastavro_reader.py` as a verdict; the price comes as the hex of its double. */
export function parseVerdict(line: string): Verdict {
  const v = JSON.parse(line);
  if (!v.ok) {
    return { ok: false, reason: v.error, ...(v.fastavro === "accept" && { strictOnly: true }) };
  }
  const bits = new DataView(new ArrayBuffer(8));
  bits.setBigUint64(0, BigInt(`0x${v.price}`));
  return { ok: true, order: { orderId: v.orderId, product: v.product, price: bits.getFloat64(0) } };
}

/** fastavro's strict verdict on each input, in order, with the python of {@linkcode fastavroPython}. */
export async function referenceVerdicts(
  python: string,
  inputs: readonly Uint8Array[],
): Promise<Verdict[]> {
  const child = new Deno.Command(python, {
    args: [READER, SCHEMA],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // Written while the output is read, so neither pipe can fill and stall.
  const writing = (async () => {
    const writer = child.stdin.getWriter();
    await writer.write(frameInputs(inputs));
    await writer.close();
  })();
  const [output] = await Promise.all([child.output(), writing]);
  if (output.code !== 0) {
    const err = new TextDecoder().decode(output.stderr).trim().split("\n").slice(-1)[0];
    throw new Error(`fastavro_reader.py exited with ${output.code}: ${err}`);
  }
  const lines = new TextDecoder().decode(output.stdout).split("\n").filter((l) => l !== "");
  if (lines.length !== inputs.length) {
    throw new Error(`fastavro_reader.py answered ${lines.length} of ${inputs.length} inputs`);
  }
  return lines.map(parseVerdict);
}
