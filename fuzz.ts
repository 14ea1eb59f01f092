/**
 * The differential fuzz of the order codec: decodes a seeded corpus of valid,
 * mutated and random inputs with our codec and with fastavro's
 * `schemaless_reader` in strict mode, and reports every input on which the
 * two disagree on accept/reject or on the values read. Exits 1 on any
 * disagreement; each one found becomes a fixed vector in
 * `lib/order/codec_test.ts`.
 *
 * Usage: `deno task fuzz -- [--count N] [--seed N]`; see {@linkcode USAGE}.
 *
 * @module
 */
import { parseCli, parseNumber } from "./lib/cli/args.ts";
import { runMain, writeLine } from "./lib/cli/main.ts";
import { generateCorpus } from "./lib/fuzz/corpus.ts";
import { compareAll, formatReport } from "./lib/fuzz/differential.ts";
import { FASTAVRO_REQUIREMENTS, fastavroPython, referenceVerdicts } from "./lib/fuzz/reference.ts";

/** The command-line help. */
export const USAGE = `Usage: deno task fuzz -- [flags]

Compares our Avro order decoder with fastavro (${FASTAVRO_REQUIREMENTS.join(", ")}, installed
on first use into .cache/python/fastavro) on seeded valid, mutated and random inputs.

  --count N                 inputs to try (default 100000)
  --seed N                  corpus seed (default 1)
  --help                    show this help`;

/** The fuzz CLI. Returns the exit code: 0 when there is no disagreement. */
export async function main(args: string[]): Promise<number> {
  const { values } = parseCli(args, {
    options: { count: { type: "string" }, seed: { type: "string" }, help: { type: "boolean" } },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const count = parseNumber("count", values.count, 100_000, { min: 1, integer: true });
  const seed = parseNumber("seed", values.seed, 1, { integer: true });
  const python = await fastavroPython((text) => console.error(text));
  const started = performance.now();
  const inputs = generateCorpus({ count, seed });
  const reference = await referenceVerdicts(python, inputs.map((i) => i.bytes));
  const report = compareAll(inputs, reference);
  writeLine(`fuzz seed ${seed}: our decoder vs fastavro schemaless_reader (strict)`);
  for (const line of formatReport(report, performance.now() - started)) writeLine(line);
  return report.disagreements.length === 0 ? 0 : 1;
}

if (import.meta.main) runMain(main, USAGE);
