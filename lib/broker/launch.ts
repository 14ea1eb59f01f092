/**
 * Starting a broker: Java and Kafka's jars found, the data directory
 * configured (and formatted on first use), the JVM spawned with its pid
 * written to `<dataDir>/broker.pid`, and a wait until it answers.
 *
 * @module
 */
import { FatalError } from "../errors.ts";
import { brokerArgs, formatStorageArgs, type KafkaCommandOptions } from "./command.ts";
import { loggingConfig, newClusterId, serverProperties } from "./config.ts";
import { type DataDirFiles, dataDirFiles, readRecord, writeRecord } from "./data_dir.ts";
import { findJava } from "./java.ts";
import { type Jvm, killJvm, spawnJvm, stopJvm } from "./jvm.ts";
import { logExcerpt, logSize, logTail } from "./logs.ts";
import {
  bootstrapAddress,
  type BrokerSettings,
  brokerSettings,
  POLL_INTERVAL_MS,
  PROBE_TIMEOUT_MS,
  type StartBrokerOptions,
  STOP_TIMEOUT_MS,
} from "./options.ts";
import { brokerAnswers } from "./probe.ts";
import { resolveKafka } from "./resolve.ts";
import type { ClientFile, SecurePorts } from "./secure.ts";
import { createAppAcls, prepareSecurity, type SecureSetup } from "./secure_files.ts";
import { display, exists, ignoreNotFound, sleepUnless } from "./_util.ts";

/** A broker that answers metadata requests. */
export interface RunningBroker {
  /** The address clients bootstrap from, e.g. `127.0.0.1:9092`. */
  bootstrap: string;
  /** The Kafka version running. */
  version: string;
  /** The JVM's process id, also written to `<dataDir>/broker.pid`. */
  pid: number;
  /** The broker's data directory; its log is `<dataDir>/logs/server.log`. */
  dataDir: string;
  /** How long the start took, in milliseconds, including resolution and formatting. */
  startedMs: number;
  /** Stops the broker (SIGTERM, then SIGKILL after 30 s) and removes its pid file. */
  stop(): Promise<void>;
  /** With `secure`: the secured listeners' ports and the client files (mode 0600). */
  secure?: { ports: SecurePorts; clientFiles: Record<ClientFile, string> };
}

/** What {@linkcode launchBroker} hands back beyond the {@linkcode RunningBroker}. */
export interface LaunchedBroker {
  /** The broker, answering. */
  broker: RunningBroker;
  /** Settles when the JVM exits, for whoever waits on it in the foreground. */
  exited: Promise<Deno.CommandStatus>;
  /** Where this run's part of `server.log` begins, for {@linkcode logTail}. */
  logStart: number;
}

/**
 * Starts a single-node Kafka (broker and controller in one JVM) and resolves
 * once it answers a metadata request at `127.0.0.1:<port>`. Resolves Kafka
 * from Maven Central first if it is not cached, and formats the data
 * directory on first use. Writes the JVM's pid to `<dataDir>/broker.pid`.
 *
 * Throws a {@linkcode FatalError} when Java 17+ or Maven is missing, when a
 * broker already answers at the port, or when the broker exits or does not
 * answer in time (with the last lines of its log).
 *
 * @example
 * ```ts ignore
 * import { startBroker } from "./launch.ts";
 * const broker = await startBroker({ port: 19092 });
 * try {
 *   // use broker.bootstrap
 * } finally {
 *   await broker.stop();
 * }
 * ```
 */
export async function startBroker(opts: StartBrokerOptions = {}): Promise<RunningBroker> {
  return (await launchBroker(opts)).broker;
}

/**
 * {@linkcode startBroker}, also handing back the JVM's exit and where its log
 * begins, for a command line that keeps the broker in the foreground.
 */
export async function launchBroker(opts: StartBrokerOptions = {}): Promise<LaunchedBroker> {
  const started = Date.now();
  const settings = brokerSettings(opts);
  await refuseIfAnswering(settings.port);
  const tools = await findTools(settings);
  const prepared = await prepareBroker(settings, tools);
  return await awaitBroker(prepared, await spawnPrepared(prepared), started);
}

/** Throws a {@linkcode FatalError} when a broker already answers at `port`. */
export async function refuseIfAnswering(port: number): Promise<void> {
  const bootstrap = bootstrapAddress(port);
  if (await brokerAnswers(bootstrap)) {
    throw new FatalError(
      `a broker already answers at ${bootstrap}: stop it (lib/broker.ts --stop --port ` +
        `${port}) or choose another --port`,
    );
  }
}

/** Java and Kafka's jars, found once for every node a command starts. */
export interface KafkaTools {
  /** The `java` executable (17+). */
  java: string;
  /** The `java -cp` value of Kafka's jars. */
  classpath: string;
}

/** Finds Java and resolves Kafka's jars (from Maven Central on first use). */
export async function findTools(
  settings: Pick<BrokerSettings, "kafkaVersion" | "log">,
): Promise<KafkaTools> {
  const java = await findJava();
  const kafka = await resolveKafka(settings.kafkaVersion, { log: settings.log });
  return { java, classpath: kafka.classpath };
}

/** A broker whose data directory is configured and formatted: ready to spawn. */
export interface PreparedBroker {
  settings: BrokerSettings;
  java: string;
  files: DataDirFiles;
  command: KafkaCommandOptions;
  secure?: SecureSetup;
}

/**
 * Writes the broker's configuration into its data directory and formats its
 * storage on first use.
 */
export async function prepareBroker(
  settings: BrokerSettings,
  tools: KafkaTools,
): Promise<PreparedBroker> {
  const files = dataDirFiles(settings.dataDir);
  const { clusterId, loggingFlag, secure } = await configureDataDir(settings, files);
  const command: KafkaCommandOptions = { classpath: tools.classpath, files, loggingFlag };
  // Formatting starts a JVM, so skip it once storage is formatted;
  // --ignore-formatted keeps it harmless if the check ever misses.
  if (!(await exists(files.formatted))) {
    settings.log(
      `Formatting KRaft storage in ${display(settings.dataDir)} (cluster id ${clusterId})`,
    );
    // A secured broker's SCRAM users are created with its storage (KIP-900).
    const extraArgs = secure === undefined ? [] : await secure.scramArguments();
    await formatStorage(
      tools.java,
      formatStorageArgs({ ...command, clusterId, extraArgs }),
      settings.dataDir,
    );
  }
  return { settings, java: tools.java, files, command, secure };
}

/** A spawned broker JVM and where this run's part of its log begins. */
export interface SpawnedBroker {
  jvm: Jvm;
  logStart: number;
}

/** Spawns the prepared broker's JVM and writes its pid file; does not wait for it. */
export async function spawnPrepared(prepared: PreparedBroker): Promise<SpawnedBroker> {
  const { settings, files, command, java } = prepared;
  const logStart = await logSize(files.serverLog);
  const args = brokerArgs({ ...command, jvmOptions: settings.jvmOptions });
  const jvm = await spawnJvm({
    java,
    args,
    cwd: settings.dataDir,
    outFile: files.jvmOut,
    pidFile: files.pid,
    detach: settings.detach,
  });
  return { jvm, logStart };
}

/**
 * Waits until the spawned broker answers (see {@linkcode waitUntilAnswers}),
 * grants a secured broker's ACLs, and hands it back running; `started` is
 * when its start began, for `startedMs`.
 */
export async function awaitBroker(
  prepared: PreparedBroker,
  { jvm, logStart }: SpawnedBroker,
  started: number,
): Promise<LaunchedBroker> {
  const { settings, files, secure } = prepared;
  const bootstrap = bootstrapAddress(settings.port);
  await waitUntilAnswers(jvm, files, logStart, settings);
  if (secure !== undefined) await grantAcls(jvm, files, bootstrap);
  const broker = runningBroker(jvm, files.pid, {
    bootstrap,
    version: settings.kafkaVersion,
    pid: jvm.child.pid,
    dataDir: settings.dataDir,
    startedMs: Date.now() - started,
    ...(secure === undefined
      ? {}
      : { secure: { ports: secure.ports, clientFiles: secure.clientFiles } }),
  });
  return { broker, exited: jvm.exited, logStart };
}

/**
 * Writes the broker's configuration into its data directory: the
 * `launcher.json` record (keeping the cluster id of an earlier start),
 * `server.properties` (mode 0600 when secured: it holds the PLAIN users'
 * passwords), the logging configuration and, when secured, the certificates
 * and client files. Throws a {@linkcode FatalError} when the directory holds
 * another version's data, or was secured and now is not, or the reverse.
 */
async function configureDataDir(
  settings: BrokerSettings,
  files: DataDirFiles,
): Promise<{ clusterId: string; loggingFlag: string; secure?: SecureSetup }> {
  const { port, controllerPort, dataDir, kafkaVersion } = settings;
  await Deno.mkdir(files.logs, { recursive: true });
  const record = await readRecord(dataDir);
  if (record !== undefined && record.kafkaVersion !== kafkaVersion) {
    throw new FatalError(
      `${display(dataDir)} holds data of Kafka ${record.kafkaVersion}, not ${kafkaVersion}: ` +
        "choose another --data-dir or delete it",
    );
  }
  if (record !== undefined && (record.secure ?? false) !== settings.secure) {
    throw new FatalError(
      `${display(dataDir)} holds a broker started ${record.secure ? "with" : "without"} ` +
        `--secure: start it ${
          record.secure ? "with" : "without"
        } --secure, or choose another --data-dir`,
    );
  }
  if (
    record !== undefined && settings.clusterId !== undefined &&
    record.clusterId !== settings.clusterId
  ) {
    throw new FatalError(
      `${
        display(dataDir)
      } holds a node of cluster ${record.clusterId}, not ${settings.clusterId}: ` +
        "delete the cluster's directory to start afresh",
    );
  }
  const clusterId = settings.clusterId ?? record?.clusterId ?? newClusterId();
  const secure = settings.secure
    ? await prepareSecurity(dataDir, port, await exists(files.formatted))
    : undefined;
  await writeRecord(dataDir, {
    kafkaVersion,
    clusterId,
    port,
    controllerPort,
    secure: settings.secure,
    ...(settings.voters.length > 1 ? { node: settings.nodeId } : {}),
  });
  await writePrivate(
    files.properties,
    serverProperties({
      port,
      controllerPort,
      dataDir,
      kafkaVersion,
      extraListeners: secure?.listeners,
      extraProperties: secure?.properties,
      nodeId: settings.nodeId,
      voters: settings.voters,
    }),
    secure !== undefined,
  );
  const logging = loggingConfig(kafkaVersion, dataDir);
  await Deno.writeTextFile(logging.path, logging.text);
  return { clusterId, loggingFlag: logging.flag, secure };
}

/** Writes `text` to `path`, readable by the owner only when `private_`. */
async function writePrivate(path: string, text: string, private_: boolean): Promise<void> {
  await Deno.writeTextFile(path, text);
  if (private_) await Deno.chmod(path, 0o600);
}

/**
 * Creates the application user's ACLs on a broker that just answered; kills
 * it and throws a {@linkcode FatalError} when that fails, since a secured
 * broker without them refuses everything on its secured listeners.
 */
async function grantAcls(jvm: Jvm, files: DataDirFiles, bootstrap: string): Promise<void> {
  try {
    await createAppAcls(bootstrap);
  } catch (error) {
    await killJvm(jvm, files.pid);
    throw new FatalError(
      `could not create the ACLs at ${bootstrap}: ${
        error instanceof Error ? error.message : error
      }`,
    );
  }
}

/** Runs the storage tool; throws a {@linkcode FatalError} with its output when it fails. */
async function formatStorage(java: string, args: string[], dataDir: string): Promise<void> {
  const format = await new Deno.Command(java, {
    args,
    cwd: dataDir,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!format.success) {
    const decoder = new TextDecoder();
    const output = (decoder.decode(format.stdout) + decoder.decode(format.stderr)).trim();
    throw new FatalError(
      `could not format KRaft storage in ${display(dataDir)}:\n${logExcerpt(output)}`,
    );
  }
}

/**
 * Probes the broker until it answers. Throws a {@linkcode FatalError} with
 * this run's log when the JVM exits first or the timeout passes (then the JVM
 * is killed); either way its pid file is removed.
 */
async function waitUntilAnswers(
  jvm: Jvm,
  files: DataDirFiles,
  logStart: number,
  settings: BrokerSettings,
): Promise<void> {
  const { kafkaVersion, timeoutMs } = settings;
  const bootstrap = bootstrapAddress(settings.port);
  // The deadline starts now: a slow first download must not eat the broker's time.
  const deadline = Date.now() + timeoutMs;
  while (!(await brokerAnswers(bootstrap, PROBE_TIMEOUT_MS))) {
    if (jvm.status !== undefined) {
      await Deno.remove(files.pid).catch(ignoreNotFound);
      throw new FatalError(
        `Kafka ${kafkaVersion} exited with code ${jvm.status.code} before it answered at ` +
          bootstrap + (await logTail(files, logStart)),
      );
    }
    if (Date.now() >= deadline) {
      await killJvm(jvm, files.pid);
      throw new FatalError(
        `Kafka ${kafkaVersion} did not answer at ${bootstrap} within ${timeoutMs / 1000} s` +
          (await logTail(files, logStart)),
      );
    }
    await sleepUnless(POLL_INTERVAL_MS, jvm.exited);
  }
}

/** The {@linkcode RunningBroker} of `jvm`; its `stop()` runs once, however often called. */
function runningBroker(
  jvm: Jvm,
  pidFile: string,
  fields: Omit<RunningBroker, "stop">,
): RunningBroker {
  let stopping: Promise<void> | undefined;
  return {
    ...fields,
    stop() {
      stopping ??= stopJvm(jvm, pidFile, STOP_TIMEOUT_MS);
      return stopping;
    },
  };
}
