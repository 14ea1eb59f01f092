/**
 * The broker launcher's command line, run by `deno task broker`: starts a
 * local Kafka broker (see `launch.ts`) in the foreground or detached, and
 * stops or reports a detached one, e.g. `deno task broker --detach`.
 *
 * @module
 */
import { FatalError } from "../errors.ts";
import { aborted, runMain, withShutdownSignal } from "../cli/main.ts";
import { dataDirFiles, readClusterRecord } from "./data_dir.ts";
import { type BrokerCommand, parseBrokerArgs } from "./flags.ts";
import { launchBroker, type LaunchedBroker } from "./launch.ts";
import { readyLine, seconds, secureLines, statusLine, stoppedLine } from "./lines.ts";
import { logTail } from "./logs.ts";
import { bootstrapAddress, DEFAULT_PORT, DEFAULT_TIMEOUT_MS } from "./options.ts";
import { brokerAnswers } from "./probe.ts";
import { clusterAtPort, clusterMain } from "./cluster_cli.ts";
import { brokerStatus, stopBroker } from "./process.ts";
import { DEFAULT_KAFKA_VERSION, OLDEST_KAFKA_VERSION } from "./version.ts";

const OLDEST = OLDEST_KAFKA_VERSION.join(".");
const TIMEOUT_S = DEFAULT_TIMEOUT_MS / 1000;

/** The script's usage text. */
export const USAGE = `Usage: deno task broker [options]

Starts a local Apache Kafka broker (KRaft, broker and controller in one JVM),
or a cluster of several, resolved from Maven Central with Maven; needs Java
17+ and, on first use of a version, Maven and network access.

Options:
  --port <n>             PLAINTEXT port on 127.0.0.1 (default ${DEFAULT_PORT})
  --controller-port <n>  KRaft controller port on 127.0.0.1 (default: port + 1)
  --data-dir <dir>       data, config and logs (default .kafka-data/<version>-<port>)
  --kafka-version <v>    Kafka release, ${OLDEST} or newer (default ${DEFAULT_KAFKA_VERSION})
  --timeout <s>          seconds to wait for the broker to answer (default ${TIMEOUT_S})
  --secure               also serve SASL_SSL (SCRAM) on port+2, SSL with client certificates on
                         port+3 and SASL_PLAINTEXT (PLAIN) on port+4, with ACLs; writes
                         ready-to-use client files into the data directory (needs openssl)
  --detach               start in the background, write <data-dir>/broker.pid, return once ready
  --stop                 stop the broker named by <data-dir>/broker.pid (SIGTERM, then SIGKILL)
  --status               report the broker at --port; exit 0 if it answers, 1 if not
  --help                 show this text

Cluster (plaintext only):
  --nodes <n>            start n nodes (2 to 9), each a broker and a controller voter in its own
                         JVM and data directory: brokers on port .. port+n-1, controllers on
                         --controller-port (default port+n) up; internal topics get replication
                         factor 3 (min.insync.replicas 2); data in .kafka-data/<version>-<port>-cluster
  --node <n>             act on one node: with --detach start it again, with --stop stop it
                         gracefully, with --kill SIGKILL it, with --status report it
  --kill                 with --node: SIGKILL the node, as when its machine dies
--stop and --status with --port find a cluster recorded for that port too.

Without --detach, --stop or --status the broker (or cluster) runs in the
foreground until Ctrl-C or SIGTERM.`;

/** Runs the script with `args`; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const command = parseBrokerArgs(args);
  if (command.mode !== "help" && (command.nodes !== undefined || command.node !== undefined)) {
    return await clusterMain(command);
  }
  // A bare --stop or --status on a port whose cluster we recorded means that cluster.
  if (command.mode === "stop" || command.mode === "status") {
    const dir = command.dataDir === undefined
      ? await clusterAtPort(command.port)
      : await readClusterRecord(command.dataDir) !== undefined
      ? command.dataDir
      : undefined;
    if (dir !== undefined) return await clusterMain({ ...command, dataDir: dir });
  }
  switch (command.mode) {
    case "help":
      console.log(USAGE);
      return 0;
    case "stop":
      return await stop(command);
    case "status":
      return await status(command);
    default:
      return await start(command);
  }
}

/** `--stop`: exits 1 only when a broker answers that no pid file of ours names. */
async function stop({ port, dataDir }: BrokerCommand): Promise<number> {
  const stopped = await stopBroker({ dataDir, port });
  if (stopped.length > 0) {
    for (const broker of stopped) console.log(stoppedLine(broker));
    return 0;
  }
  const where = dataDir ?? `.kafka-data/*-${port}`;
  const running = await brokerAnswers(bootstrapAddress(port));
  console.log(
    running
      ? `a broker answers at ${bootstrapAddress(port)} but no pid file in ${where} names it: ` +
        "not stopped"
      : `no broker running from ${where}`,
  );
  return running ? 1 : 0;
}

/** `--status`: exits 0 when a broker answers at the port, 1 when not. */
async function status({ port, dataDir }: BrokerCommand): Promise<number> {
  const report = await brokerStatus(port, dataDir);
  console.log(statusLine(report));
  return report.answers ? 0 : 1;
}

/** Starting, detached or in the foreground. */
async function start(command: BrokerCommand): Promise<number> {
  const { port, controllerPort, dataDir, kafkaVersion, timeoutMs, secure } = command;
  const detach = command.mode === "detach";
  const bootstrap = bootstrapAddress(port);
  // Detaching is idempotent, so scripts can call it without checking first.
  if (detach && (await brokerAnswers(bootstrap))) {
    const status = await brokerStatus(port, dataDir);
    const owner = status.pid !== undefined ? ` (pid ${status.pid})` : "";
    console.log(`Kafka broker already running at ${bootstrap}${owner}`);
    return 0;
  }
  const launched = await launchBroker({
    port,
    controllerPort,
    dataDir,
    kafkaVersion,
    timeoutMs,
    log: console.log,
    detach,
    secure,
  });
  const { broker } = launched;
  console.log(readyLine(broker));
  if (broker.secure !== undefined) {
    for (const line of secureLines(broker.secure)) console.log(line);
  }
  if (detach) {
    console.log(`Running in the background as pid ${broker.pid}; stop it with --stop`);
    return 0;
  }
  return await runInForeground(launched);
}

/** Keeps the broker until SIGINT or SIGTERM reaches us, or its JVM exits by itself. */
async function runInForeground({ broker, exited, logStart }: LaunchedBroker): Promise<number> {
  console.log("Press Ctrl-C to stop it.");
  return await withShutdownSignal(async (signal) => {
    const status = await Promise.race([aborted(signal).then(() => undefined), exited]);
    if (status !== undefined) {
      await broker.stop();
      // Java exits with 128 + signal number after its shutdown hooks ran, as
      // when `--stop` or a terminal's Ctrl-C reached it directly.
      if (status.code === 143 || status.code === 130) {
        console.log(`Kafka ${broker.version} broker stopped by a signal to its JVM`);
        return 0;
      }
      throw new FatalError(
        `Kafka ${broker.version} exited with code ${status.code}` +
          (await logTail(dataDirFiles(broker.dataDir), logStart)),
      );
    }
    console.log("Stopping the broker ...");
    const begin = Date.now();
    await broker.stop();
    console.log(`Stopped Kafka ${broker.version} broker in ${seconds(Date.now() - begin)}`);
    return 0;
  });
}

if (import.meta.main) {
  await runMain(main, USAGE);
}
