/**
 * What `deno task broker` prints about a single broker: that it is ready,
 * where its secured listeners are, that it stopped, and its `--status`.
 * Pure but for the working directory that paths are shown relative to.
 *
 * @module
 */
import { dataDirFiles } from "./data_dir.ts";
import type { RunningBroker } from "./launch.ts";
import { bootstrapAddress } from "./options.ts";
import type { BrokerStatus, StoppedBroker } from "./process.ts";
import { display } from "./_util.ts";

/**
 * `ms` in seconds, to a tenth, as the launchers print durations.
 *
 * @example
 * ```ts
 * import { seconds } from "./lines.ts";
 * seconds(12_340); // "12.3 s"
 * ```
 */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * The line printed once `broker` answers.
 *
 * @example
 * ```ts
 * import { readyLine } from "./lines.ts";
 * readyLine({ version: "4.4.0", bootstrap: "127.0.0.1:9092", dataDir: "/d", startedMs: 4_210 });
 * // "Kafka 4.4.0 broker ready at 127.0.0.1:9092 (started in 4.2 s, logs: /d/logs/server.log)"
 * ```
 */
export function readyLine(
  broker: Pick<RunningBroker, "version" | "bootstrap" | "dataDir" | "startedMs">,
): string {
  const logFile = display(dataDirFiles(broker.dataDir).serverLog);
  return `Kafka ${broker.version} broker ready at ${broker.bootstrap} ` +
    `(started in ${seconds(broker.startedMs)}, logs: ${logFile})`;
}

/**
 * The lines that tell where the secured listeners are and which client file
 * connects to each; the files hold the secrets, the lines never do.
 *
 * @example
 * ```ts
 * import { secureLines } from "./lines.ts";
 * const clientFiles = { scram: "/d/s", mtls: "/d/m", plain: "/d/p", denied: "/d/x" };
 * secureLines({ ports: { saslSsl: 2, ssl: 3, saslPlaintext: 4 }, clientFiles })[1];
 * // "  SASL_SSL       127.0.0.1:2  SCRAM-SHA-256/512  /d/s (user app)"
 * ```
 */
export function secureLines(secure: NonNullable<RunningBroker["secure"]>): string[] {
  const { ports, clientFiles: f } = secure;
  const at = (port: number) => bootstrapAddress(port);
  return [
    "Secured listeners (client files are mode 0600; use them with --config, kcat -F or confluent-kafka):",
    `  SASL_SSL       ${at(ports.saslSsl)}  SCRAM-SHA-256/512  ${display(f.scram)} (user app)`,
    `  SASL_SSL       ${at(ports.saslSsl)}  SCRAM-SHA-512      ${
      display(f.denied)
    } (user denied: no ACLs)`,
    `  SSL (mTLS)     ${at(ports.ssl)}  client certificate ${display(f.mtls)} (CN=app)`,
    `  SASL_PLAINTEXT ${at(ports.saslPlaintext)}  PLAIN              ${
      display(f.plain)
    } (user app)`,
    "ACLs: User:app may use topics orders* and groups order*; PLAINTEXT stays open (super user).",
  ];
}

/**
 * The line `--stop` prints for `broker`.
 *
 * @example
 * ```ts
 * import { stoppedLine } from "./lines.ts";
 * stoppedLine({ pid: 7, dataDir: "/d", version: "4.4.0", stoppedMs: 450, killed: false });
 * // "Stopped Kafka 4.4.0 broker (pid 7) in 0.5 s"
 * ```
 */
export function stoppedLine(broker: StoppedBroker): string {
  const what = broker.version !== undefined ? `Kafka ${broker.version} broker` : "broker";
  const how = broker.killed ? " with SIGKILL" : "";
  return `Stopped ${what} (pid ${broker.pid}) in ${seconds(broker.stoppedMs)}${how}`;
}

/**
 * The line `--status` prints for `status`.
 *
 * @example
 * ```ts
 * import { statusLine } from "./lines.ts";
 * statusLine({ bootstrap: "127.0.0.1:9092", answers: false });
 * // "no broker running at 127.0.0.1:9092"
 * ```
 */
export function statusLine(status: BrokerStatus): string {
  const owner = status.pid !== undefined
    ? `pid ${status.pid}, data ${display(status.dataDir!)}`
    : "no pid file of ours";
  if (status.answers) {
    const version = status.version !== undefined ? `Kafka ${status.version} ` : "";
    return `${version}broker running at ${status.bootstrap} (${owner})`;
  }
  return status.pid !== undefined
    ? `broker not answering at ${status.bootstrap} (${owner}: starting, or stuck?)`
    : `no broker running at ${status.bootstrap}`;
}
