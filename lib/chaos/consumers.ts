/**
 * The soak's consumer instances: `consumer.ts` processes in one group, each
 * in a slot that is refilled at once when its process is SIGKILLed (or
 * dies by itself, which the verdict counts against us). Their JSON lines
 * say what each committed and when it joined.
 *
 * @module
 */
import { scriptCommand } from "../cli/subprocess.ts";
import type { Commit } from "./figures.ts";
import { readLines } from "./_util.ts";

/** Where and how the instances consume. */
export interface ConsumerSettings {
  /** The bootstrap list, comma-separated. */
  brokers: string;
  topic: string;
  dlqTopic: string;
  group: string;
  /** How long a killed instance keeps its partitions. */
  sessionTimeoutMs: number;
}

/**
 * The `consumer.ts` arguments of an instance: JSON lines (one per order
 * committed), a short session so a killed member is noticed soon.
 *
 * @example
 * ```ts
 * import { consumerArgs } from "./consumers.ts";
 * consumerArgs({ brokers: "b:1", topic: "t", dlqTopic: "t-dlq", group: "g", sessionTimeoutMs: 6000 })[0];
 * // "--json"
 * ```
 */
export function consumerArgs(settings: ConsumerSettings): string[] {
  return [
    "--json",
    `--brokers=${settings.brokers}`,
    `--topic=${settings.topic}`,
    `--dlq-topic=${settings.dlqTopic}`,
    `--group=${settings.group}`,
    `--session-timeout=${settings.sessionTimeoutMs}`,
    `--heartbeat-interval=${Math.max(100, Math.floor(settings.sessionTimeoutMs / 6))}`,
  ];
}

/** What one line of an instance's stdout says, as far as the soak cares. */
export type ConsumerLine =
  | { kind: "processed"; partition: number; offset: string }
  | { kind: "joined"; partitions: number[] }
  | { kind: "other" };

/**
 * Reads one stdout line of `consumer.ts --json`.
 *
 * @example
 * ```ts
 * import { parseConsumerLine } from "./consumers.ts";
 * parseConsumerLine('{"event":"processed","orderId":"ORD-1","partition":2,"offset":"7"}');
 * // { kind: "processed", partition: 2, offset: "7" }
 * ```
 */
export function parseConsumerLine(line: string): ConsumerLine {
  if (!line.startsWith("{")) return { kind: "other" };
  let event: Record<string, unknown>;
  try {
    event = JSON.parse(line);
  } catch {
    return { kind: "other" };
  }
  if (event.event === "processed") {
    return { kind: "processed", partition: Number(event.partition), offset: String(event.offset) };
  }
  if (event.event === "joined") {
    return { kind: "joined", partitions: (event.partitions as number[] | undefined) ?? [] };
  }
  return { kind: "other" };
}

/** One running `consumer.ts`. */
interface Instance {
  slot: number;
  child: Deno.ChildProcess;
  /** Set once we signalled it: its exit is ours, not a crash. */
  signalled?: Deno.Signal;
  joins: number;
  stderr: string[];
  exited: Promise<Deno.CommandStatus>;
}

/** The instances of the soak, one per slot, each refilled when its process ends. */
export class ConsumerPool {
  /** Every `processed` line of every instance, as it arrived. */
  readonly commits: Commit[] = [];
  /** Exits we did not cause, one line each. */
  readonly unexpectedExits: string[] = [];
  readonly #settings: ConsumerSettings;
  readonly #log: (text: string) => void;
  readonly #slots: Instance[] = [];
  readonly #all: Instance[] = [];
  #stopping = false;

  constructor(settings: ConsumerSettings, log: (text: string) => void) {
    this.#settings = settings;
    this.#log = log;
  }

  /** Starts `count` instances. */
  start(count: number): void {
    for (let slot = 0; slot < count; slot++) this.#slots[slot] = this.#spawn(slot);
  }

  /** How many times each process so far joined the group. */
  get joins(): number[] {
    return this.#all.map((i) => i.joins);
  }

  /** Whether every slot's current process has joined the group at least once. */
  allJoined(): boolean {
    return this.#slots.every((i) => i.joins > 0);
  }

  /** SIGKILLs the process in `slot`, waits for it to die and starts another; returns both pids. */
  async kill(slot: number): Promise<{ killed: number; started: number }> {
    const instance = this.#slots[slot];
    instance.signalled = "SIGKILL";
    try {
      instance.child.kill("SIGKILL");
    } catch {
      // Exited on its own just now: its exit handler refills the slot.
    }
    await instance.exited;
    // The exit handler refilled the slot (unless stopping).
    return { killed: instance.child.pid, started: this.#slots[slot].child.pid };
  }

  /**
   * SIGTERMs every instance and waits for them: each commits what it has
   * done and exits 0, or the exit is counted unexpected.
   */
  async stop(): Promise<void> {
    this.#stopping = true;
    for (const instance of this.#slots) {
      instance.signalled = "SIGTERM";
      try {
        instance.child.kill("SIGTERM");
      } catch {
        // Already gone.
      }
    }
    await Promise.all(this.#slots.map((i) => i.exited));
  }

  #spawn(slot: number): Instance {
    const child = scriptCommand("consumer.ts", consumerArgs(this.#settings)).spawn();
    const instance: Instance = {
      slot,
      child,
      joins: 0,
      stderr: [],
      exited: Promise.resolve(undefined as unknown as Deno.CommandStatus),
    };
    const pumps = Promise.all([
      readLines(child.stdout, (line) => this.#stdout(instance, line)),
      readLines(child.stderr, (line) => {
        // Warnings (a batch redone, a restart after a broker's death) are
        // part of the story: pass them on.
        if (line.trim() !== "") this.#log(`consumer ${slot + 1}: ${line}`);
        instance.stderr.push(line);
        if (instance.stderr.length > 20) instance.stderr.shift();
      }),
    ]);
    instance.exited = Promise.all([child.status, pumps]).then(([status]) => {
      this.#exited(instance, status);
      return status;
    });
    this.#all.push(instance);
    return instance;
  }

  #stdout(instance: Instance, line: string): void {
    const parsed = parseConsumerLine(line);
    if (parsed.kind === "processed") {
      this.commits.push({ partition: parsed.partition, offset: parsed.offset, at: Date.now() });
    } else if (parsed.kind === "joined") {
      instance.joins += 1;
    }
  }

  #exited(instance: Instance, status: Deno.CommandStatus): void {
    const ours = instance.signalled === "SIGKILL" ||
      (instance.signalled === "SIGTERM" && status.code === 0);
    if (!ours) {
      const why = instance.stderr.filter((l) => l.trim() !== "").at(-1) ?? "no output";
      const line = `consumer ${instance.slot + 1} (pid ${instance.child.pid}) exited with code ` +
        `${status.code}${status.signal ? ` (${status.signal})` : ""}: ${why}`;
      this.unexpectedExits.push(line);
      this.#log(`UNEXPECTED: ${line}`);
    }
    if (!this.#stopping) {
      this.#slots[instance.slot] = this.#spawn(instance.slot);
    }
  }
}
