/**
 * The broker a bench run measures: the one `--brokers` (or `KAFKA_BROKERS`)
 * names, or one the bench starts in a temporary directory and stops at the
 * end, even on SIGINT or SIGTERM.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type RunningBroker, startBroker } from "../broker/launch.ts";
import { DEFAULT_KAFKA_VERSION } from "../broker/version.ts";

/** Where the broker launcher keeps its brokers' data, as it lays it out. */
const KAFKA_DATA = fileURLToPath(new URL("../../.kafka-data/", import.meta.url));

/** The broker to measure. */
export interface BenchBrokerAddress {
  brokers: string[];
  /** Its Kafka version, or `"unknown"` for a broker we did not start and cannot identify. */
  kafkaVersion: string;
  /** For a broker the bench started secured: the client file of its SASL_SSL listener. */
  tlsConfig?: string;
}

/** Settings that choose the broker. */
export interface BrokerChoice {
  /** Brokers to use; `undefined` starts one. */
  brokers?: string[];
  /** Port of a started broker; its controller takes the next one. */
  port: number;
  /** Version of a started broker. @default {DEFAULT_KAFKA_VERSION} */
  kafkaVersion?: string;
  /** Start the broker with the launcher's secured listeners (for the `tls` step). @default {false} */
  secure?: boolean;
}

/** The bench's broker: found, or started and later stopped. */
export class BenchBroker {
  #broker?: RunningBroker;
  #dir?: string;

  /** Whether the bench started this broker. */
  get own(): boolean {
    return this.#broker !== undefined;
  }

  /** Uses `choice.brokers`, or starts a broker when there are none. */
  async open(
    choice: BrokerChoice,
    progress: (line: string) => void,
  ): Promise<BenchBrokerAddress> {
    if (choice.brokers !== undefined) {
      return {
        brokers: choice.brokers,
        kafkaVersion: await launcherVersion(choice.brokers[0]) ?? "unknown",
      };
    }
    const kafkaVersion = choice.kafkaVersion ?? DEFAULT_KAFKA_VERSION;
    this.#dir = await Deno.makeTempDir({ prefix: "bench-kafka-" });
    progress(`starting a Kafka ${kafkaVersion} broker on 127.0.0.1:${choice.port}`);
    this.#broker = await startBroker({
      port: choice.port,
      controllerPort: choice.port + 1,
      dataDir: this.#dir,
      kafkaVersion,
      log: progress,
      secure: choice.secure ?? false,
    });
    const tlsConfig = this.#broker.secure?.clientFiles.scram;
    return {
      brokers: [this.#broker.bootstrap],
      kafkaVersion,
      ...(tlsConfig === undefined ? {} : { tlsConfig }),
    };
  }

  /** Stops a broker the bench started and removes its directory; nothing otherwise. */
  async stop(): Promise<void> {
    await this.#broker?.stop();
    if (this.#dir !== undefined) await Deno.remove(this.#dir, { recursive: true }).catch(() => {});
  }

  /**
   * Stops the broker and exits 130 on SIGINT or SIGTERM: a signal must not
   * leave our broker's JVM running. Returns what removes the listeners.
   */
  stopOnSignal(): () => void {
    const onSignal = () => void this.stop().finally(() => Deno.exit(130));
    const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
    for (const s of signals) Deno.addSignalListener(s, onSignal);
    return () => {
      for (const s of signals) Deno.removeSignalListener(s, onSignal);
    };
  }
}

/**
 * The Kafka version our launcher recorded for a live broker on `bootstrap`
 * (`<root>/<version>-<port>/launcher.json`), or `undefined` for a broker it
 * did not start.
 */
export async function launcherVersion(
  bootstrap: string,
  root: string = KAFKA_DATA,
): Promise<string | undefined> {
  const match = /^(127\.0\.0\.1|localhost):(\d+)$/.exec(bootstrap);
  if (!match) return undefined;
  try {
    for await (const entry of Deno.readDir(root)) {
      if (!entry.isDirectory || !entry.name.endsWith(`-${match[2]}`)) continue;
      const dir = join(root, entry.name);
      const alive = await Deno.stat(join(dir, "broker.pid")).then(() => true, () => false);
      if (!alive) continue;
      const record = JSON.parse(await Deno.readTextFile(join(dir, "launcher.json")));
      if (record.port === Number(match[2])) return record.kafkaVersion;
    }
  } catch {
    // No launcher data: a broker started some other way.
  }
  return undefined;
}
