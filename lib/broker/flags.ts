/**
 * The broker launcher's flags: what `deno task broker` is asked to do, read
 * and checked once, before anything starts or stops.
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import { parseCli, parseNumber } from "../cli/args.ts";
import { defaultClusterDir, defaultDataDir } from "./data_dir.ts";
import { DEFAULT_PORT, DEFAULT_TIMEOUT_MS, MAX_NODES } from "./options.ts";
import { checkKafkaVersion } from "./version.ts";

/** What the command line asks for; see {@linkcode parseBrokerArgs}. */
export interface BrokerCommand {
  /** `start` runs the broker in the foreground; `kill` SIGKILLs one node of a cluster. */
  mode: "help" | "start" | "detach" | "stop" | "status" | "kill";
  /** `--port`, the PLAINTEXT port. @default {9092} */
  port: number;
  /** `--controller-port`. @default {port + 1} */
  controllerPort: number;
  /** `--timeout`, in milliseconds. @default {90000} */
  timeoutMs: number;
  /** `--secure`: add the SASL_SSL, SSL and SASL_PLAINTEXT listeners and ACLs. @default {false} */
  secure: boolean;
  /** `--kafka-version`; unset means `DEFAULT_KAFKA_VERSION`. */
  kafkaVersion?: string;
  /**
   * Unset, without `--kafka-version`, means: the default data directory when
   * starting, and every data directory of the port when stopping or reporting.
   * For a cluster, the cluster directory.
   */
  dataDir?: string;
  /** `--nodes`, when above 1: a cluster of that many nodes, ports from `port` up. */
  nodes?: number;
  /** `--node`: the one node of the cluster to start, stop, kill or report. */
  node?: number;
}

/** `--help`, whatever else is given: nothing is checked. */
const HELP: BrokerCommand = {
  mode: "help",
  port: DEFAULT_PORT,
  controllerPort: DEFAULT_PORT + 1,
  timeoutMs: DEFAULT_TIMEOUT_MS,
  secure: false,
};

/**
 * Reads and checks the flags. Throws a {@linkcode UsageError} naming the bad
 * flag and value; `--help` wins over every other flag.
 *
 * @example
 * ```ts
 * import { parseBrokerArgs } from "./flags.ts";
 * parseBrokerArgs(["--stop", "--port", "19092"]).mode; // "stop"
 * ```
 */
export function parseBrokerArgs(args: string[]): BrokerCommand {
  const { values } = parseCli(args, {
    options: {
      port: { type: "string" },
      "controller-port": { type: "string" },
      "data-dir": { type: "string" },
      "kafka-version": { type: "string" },
      timeout: { type: "string" },
      nodes: { type: "string" },
      node: { type: "string" },
      detach: { type: "boolean" },
      secure: { type: "boolean" },
      stop: { type: "boolean" },
      kill: { type: "boolean" },
      status: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  const modes = (["detach", "stop", "status", "kill"] as const).filter((mode) => values[mode]);
  if (values.help) return HELP;
  if (modes.length > 1) {
    throw new UsageError(`--${modes.join(" and --")} cannot be combined`);
  }
  const port = parseNumber("port", values.port, DEFAULT_PORT, {
    min: 1,
    max: 65534,
    integer: true,
  });
  const cluster = clusterFlags(values, modes[0] ?? "start");
  const controllerPort = parseNumber(
    "controller-port",
    values["controller-port"],
    port + (cluster.nodes ?? 1),
    { min: 1, max: 65535, integer: true },
  );
  if (controllerPort === port) {
    throw new UsageError(`--controller-port must differ from --port: both are ${port}`);
  }
  const secure = values.secure ?? false;
  if (secure && (cluster.nodes !== undefined || cluster.node !== undefined)) {
    throw new UsageError(
      "--secure serves a single broker: a cluster (--nodes, --node) is plaintext only",
    );
  }
  if (secure && (modes[0] === "stop" || modes[0] === "status")) {
    throw new UsageError(`--secure starts a broker: it cannot be combined with --${modes[0]}`);
  }
  if (secure && port + 4 > 65535) {
    throw new UsageError(`--secure needs ports up to --port + 4: current --port is ${port}`);
  }
  if (secure && controllerPort >= port + 2 && controllerPort <= port + 4) {
    throw new UsageError(
      `--secure takes ports ${port + 2} to ${
        port + 4
      } for its listeners: --controller-port is ${controllerPort}`,
    );
  }
  const timeoutMs = 1000 * parseNumber("timeout", values.timeout, DEFAULT_TIMEOUT_MS / 1000, {
    min: 1,
  });
  const kafkaVersion = values["kafka-version"];
  if (kafkaVersion !== undefined) {
    try {
      checkKafkaVersion(kafkaVersion);
    } catch (error) {
      throw new UsageError(`--kafka-version: ${(error as Error).message}`);
    }
  }
  const clustered = cluster.nodes !== undefined || cluster.node !== undefined;
  const dataDir = values["data-dir"] ??
    (kafkaVersion === undefined
      ? undefined
      : clustered
      ? defaultClusterDir(kafkaVersion, port)
      : defaultDataDir(kafkaVersion, port));
  return {
    mode: modes[0] ?? "start",
    port,
    controllerPort,
    timeoutMs,
    secure,
    kafkaVersion,
    dataDir,
    ...(cluster.nodes === undefined ? {} : { nodes: cluster.nodes }),
    ...(cluster.node === undefined ? {} : { node: cluster.node }),
  };
}

/**
 * Reads `--nodes` and `--node`: `--nodes 1` is a single broker, as without
 * it; `--kill` needs `--node`, and `--node` starts a node only with
 * `--detach`.
 */
function clusterFlags(
  values: { nodes?: string; node?: string },
  mode: BrokerCommand["mode"],
): { nodes?: number; node?: number } {
  const nodes = parseNumber("nodes", values.nodes, 1, { min: 1, max: MAX_NODES, integer: true });
  const node = values.node === undefined
    ? undefined
    : parseNumber("node", values.node, 1, { min: 1, max: MAX_NODES, integer: true });
  if (node !== undefined && values.nodes !== undefined && node > nodes) {
    throw new UsageError(
      `--node must be in [1, ${nodes}] for --nodes ${nodes}: current value is ${node}`,
    );
  }
  if (mode === "kill" && node === undefined) {
    throw new UsageError("--kill SIGKILLs one node of a cluster: give --node N");
  }
  if (mode === "start" && node !== undefined) {
    throw new UsageError("--node N starts one node of a running cluster: add --detach");
  }
  return { ...(nodes > 1 ? { nodes } : {}), ...(node === undefined ? {} : { node }) };
}
