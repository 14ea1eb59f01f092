/**
 * The bench's second reference system: confluent-kafka (librdkafka) with
 * fastavro, run by `reference_stack.py` in a pinned Python environment under
 * `.cache/python/reference-stack`, made on first use. Its producer makes the
 * same seeded orders as ours and its consumer does our consumer's work
 * (decode, validate, aggregate, commit the aggregate with the offsets), so
 * whole processes can be set side by side.
 *
 * @module
 */
import { FatalError } from "../errors.ts";
import { CATALOG } from "../order/generator.ts";
import { ensureVenv } from "../python/venv.ts";
import { type MeasuredOutput, type ProcessFigures, runMeasured } from "./process.ts";

/**
 * The reference stack, pinned: the versions the registry interop test and
 * the fuzz already use.
 */
export const REFERENCE_REQUIREMENTS: readonly string[] = [
  "confluent-kafka==2.16.1",
  "fastavro==1.13.1",
];

const SCRIPT = new URL("./reference_stack.py", import.meta.url).pathname;
const SCHEMA = new URL("../../schema/order.avsc", import.meta.url).pathname;

/** How to run the reference stack. */
export interface ReferenceStack {
  /** The environment's python. */
  python: string;
  /** `confluent-kafka x, librdkafka y, fastavro z`. */
  versions: string;
}

/** Makes (or reuses) the environment and reads the versions it runs. */
export async function prepareReferenceStack(
  progress: (line: string) => void,
): Promise<ReferenceStack> {
  const python = await ensureVenv({
    name: "reference-stack",
    requirements: REFERENCE_REQUIREMENTS,
    log: progress,
  });
  const { success, stdout, stderr } = await new Deno.Command(python, {
    args: [
      "-c",
      "import confluent_kafka, fastavro; print(f'confluent-kafka {confluent_kafka.__version__}, " +
      "librdkafka {confluent_kafka.libversion()[0]}, fastavro {fastavro.__version__}')",
    ],
  }).output();
  if (!success) {
    throw new FatalError(
      `the reference stack does not import: ${new TextDecoder().decode(stderr)}`,
    );
  }
  return { python, versions: new TextDecoder().decode(stdout).trim() };
}

/** What the reference producer printed. */
export interface ReferenceProduced {
  delivered: number;
  failed: number;
  /** From the first order to the last acknowledgement. */
  elapsedMs: number;
}

/** What the reference consumer printed. */
export interface ReferenceConsumed {
  consumed: number;
  aggregated: number;
  sumCents: number;
  /** From the first record received to the last commit. */
  elapsedMs: number;
  /** From subscribing to the last commit. */
  elapsedWithJoinMs: number;
}

/**
 * The JSON line of `event` in a run's stdout.
 *
 * @example
 * ```ts
 * import { eventLine } from "./reference.ts";
 * eventLine('noise\n{"event": "produced", "delivered": 3}\n', "produced").delivered; // 3
 * ```
 */
export function eventLine(stdout: string, event: string): Record<string, unknown> {
  for (const line of stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    const parsed = JSON.parse(line);
    if (parsed.event === event) return parsed;
  }
  throw new FatalError(`the reference stack printed no '${event}' line:\n${stdout}`);
}

async function runReference(
  ref: ReferenceStack,
  args: string[],
): Promise<MeasuredOutput> {
  const run = await runMeasured(
    new Deno.Command(ref.python, {
      args: [SCRIPT, ...args, "--schema", SCHEMA],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }),
  );
  if (run.code !== 0) {
    throw new FatalError(`reference_stack.py ${args[0]} exited with ${run.code}:\n${run.stderr}`);
  }
  return run;
}

/** Where a reference run connects and what it reads or writes. */
export interface ReferenceRun {
  brokers: string[];
  topic: string;
  orders: number;
}

/** One run of the reference producer: `orders` orders of `seed` into `run.topic`. */
export async function referenceProduce(
  ref: ReferenceStack,
  run: ReferenceRun,
  seed: number,
): Promise<{ process: ProcessFigures; produced: ReferenceProduced }> {
  const out = await runReference(ref, [
    "produce",
    "--bootstrap",
    run.brokers.join(","),
    "--topic",
    run.topic,
    "--count",
    String(run.orders),
    "--seed",
    String(seed),
    "--catalog",
    JSON.stringify(CATALOG),
  ]);
  const produced = eventLine(out.stdout, "produced") as unknown as ReferenceProduced;
  if (produced.delivered !== run.orders) {
    throw new FatalError(
      `the reference producer delivered ${produced.delivered} of ${run.orders} orders`,
    );
  }
  return { process: out, produced };
}

/** One run of the reference consumer over `run.orders` orders of `run.topic` in group `group`. */
export async function referenceConsume(
  ref: ReferenceStack,
  run: ReferenceRun,
  group: string,
): Promise<{ process: ProcessFigures; consumed: ReferenceConsumed }> {
  const out = await runReference(ref, [
    "consume",
    "--bootstrap",
    run.brokers.join(","),
    "--topic",
    run.topic,
    "--dlq-topic",
    `${run.topic}-dlq`,
    "--group",
    group,
    "--count",
    String(run.orders),
  ]);
  const consumed = eventLine(out.stdout, "consumed") as unknown as ReferenceConsumed;
  if (consumed.aggregated !== run.orders) {
    throw new FatalError(
      `the reference consumer aggregated ${consumed.aggregated} of ${run.orders} orders`,
    );
  }
  return { process: out, consumed };
}
