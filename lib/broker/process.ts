/**
 * Control of brokers by their data directory: whether the process a pid file
 * names is still a Kafka JVM, stopping it (SIGTERM, then SIGKILL), and the
 * status that `--status` reports. Works for brokers started by another
 * process, such as a detached one.
 *
 * @module
 */
import { dataDirFiles, dataDirsForPort, readRecord } from "./data_dir.ts";
import { bootstrapAddress, DEFAULT_PORT, STOP_TIMEOUT_MS } from "./options.ts";
import { isProcessOf, readPid, stopByPidFile } from "./pid_file.ts";
import { brokerAnswers } from "./probe.ts";

/** What a Kafka JVM's command line holds: its main class. */
const KAFKA_MARK = "kafka.Kafka";

/** Options of {@linkcode stopBroker}. */
export interface StopBrokerOptions {
  /** The data directory whose `broker.pid` names the broker. */
  dataDir?: string;
  /**
   * Without `dataDir`: stop the brokers whose pid files are in
   * `<repo root>/.kafka-data/<any version>-<port>`.
   *
   * @default {9092}
   */
  port?: number;
  /** How long to wait after SIGTERM before SIGKILL. @default {30000} */
  timeoutMs?: number;
  /**
   * SIGKILL at once: no controlled shutdown, as when a machine dies. The
   * chaos soak and `--node N --kill` use it.
   *
   * @default {false}
   */
  kill?: boolean;
}

/** What {@linkcode stopBroker} stopped. */
export interface StoppedBroker {
  /** The process id that was stopped. */
  pid: number;
  /** The data directory whose pid file named it. */
  dataDir: string;
  /** The Kafka version recorded in the data directory, if any. */
  version?: string;
  /** The broker's PLAINTEXT port recorded in the data directory, if any. */
  port?: number;
  /** How long the broker took to exit, in milliseconds. */
  stoppedMs: number;
  /** Whether it ignored SIGTERM and needed SIGKILL. */
  killed: boolean;
}

/**
 * Stops brokers started with `detach` (or from another process) through
 * their pid file: SIGTERM, then SIGKILL if the JVM has not exited within the
 * timeout. Removes the pid file. A pid file whose process is gone, or is no
 * longer Kafka, is removed without signalling anything.
 *
 * @example
 * ```ts ignore
 * import { stopBroker } from "./process.ts";
 * const stopped = await stopBroker({ port: 19092 });
 * ```
 *
 * @returns the brokers stopped, empty when none ran.
 */
export async function stopBroker(opts: StopBrokerOptions = {}): Promise<StoppedBroker[]> {
  const { timeoutMs = STOP_TIMEOUT_MS, kill = false } = opts;
  const dataDirs = opts.dataDir !== undefined
    ? [opts.dataDir]
    : await dataDirsForPort(opts.port ?? DEFAULT_PORT);
  const stopped: StoppedBroker[] = [];
  for (const dataDir of dataDirs) {
    const broker = await stopDataDir(dataDir, timeoutMs, kill);
    if (broker !== undefined) stopped.push(broker);
  }
  return stopped;
}

/** Stops the broker that the pid file of `dataDir` names, if it runs. */
async function stopDataDir(
  dataDir: string,
  timeoutMs: number,
  kill: boolean,
): Promise<StoppedBroker | undefined> {
  const pidFile = dataDirFiles(dataDir).pid;
  const stopped = await stopByPidFile(pidFile, { mark: KAFKA_MARK, timeoutMs, kill });
  if (stopped === undefined) return undefined;
  const record = await readRecord(dataDir);
  return {
    pid: stopped.pid,
    dataDir,
    version: record?.kafkaVersion,
    port: record?.port,
    stoppedMs: stopped.stoppedMs,
    killed: stopped.killed,
  };
}

/** A broker's state as `--status` reports it. */
export interface BrokerStatus {
  /** The address probed. */
  bootstrap: string;
  /** Whether a broker answered there. */
  answers: boolean;
  /** The process id of our broker on that port, when a pid file names a live one. */
  pid?: number;
  /** The data directory of that pid file. */
  dataDir?: string;
  /** The Kafka version recorded in that data directory. */
  version?: string;
}

/**
 * Whether a broker answers on `port`, and which of our brokers it is: the
 * first live one named by the pid file of `dataDir`, or of any data
 * directory for `port` when `dataDir` is not given.
 */
export async function brokerStatus(
  port: number,
  dataDir: string | undefined,
): Promise<BrokerStatus> {
  const bootstrap = bootstrapAddress(port);
  const answers = await brokerAnswers(bootstrap);
  const dirs = dataDir !== undefined ? [dataDir] : await dataDirsForPort(port);
  for (const dir of dirs) {
    const pid = await readPid(dataDirFiles(dir).pid);
    if (pid !== undefined && (await isKafkaProcess(pid))) {
      const record = await readRecord(dir);
      return { bootstrap, answers, pid, dataDir: dir, version: record?.kafkaVersion };
    }
  }
  return { bootstrap, answers };
}

/** Whether `pid` is a live Kafka JVM; see {@linkcode isProcessOf}. */
export function isKafkaProcess(pid: number): Promise<boolean> {
  return isProcessOf(pid, KAFKA_MARK);
}
