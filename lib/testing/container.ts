/**
 * Kafka in a container for the test harness, through Testcontainers'
 * `KafkaContainer` (Confluent's `cp-kafka` contract): the image comes from
 * `KAFKA_TC_IMAGE`, its port is published on 127.0.0.1 only, the broker gets
 * the launcher's single-node settings through its environment, and the
 * container is removed when the test process ends, however it ends.
 *
 * The harness imports it only when a Docker engine answers, so a test run
 * without Docker never loads Testcontainers (`deno check` still type-checks
 * it, from the versions pinned in `deno.json`).
 *
 * @module
 */
import { KafkaContainer } from "@testcontainers/kafka";
import { Wait } from "testcontainers";
import { serverProperties } from "../broker/config.ts";
import { POLL_INTERVAL_MS, PROBE_TIMEOUT_MS } from "../broker/options.ts";
import { brokerAnswers } from "../broker/probe.ts";
import { sleepUnless } from "../broker/_util.ts";
import { DEFAULT_KAFKA_VERSION } from "../broker/version.ts";
import { propertiesEnvironment } from "../docker/properties.ts";

/** The image when `KAFKA_TC_IMAGE` is not set: Confluent's, pulled from Docker Hub. */
export const DEFAULT_TC_IMAGE = "confluentinc/cp-kafka:8.0.0";
/** The label every container of the harness carries, for `docker ps --filter label=…`. */
export const HARNESS_LABEL = "org.order-pipeline.harness";

/** The image the harness runs Kafka from: `KAFKA_TC_IMAGE`, else {@linkcode DEFAULT_TC_IMAGE}. */
export function testcontainersImage(): string {
  return Deno.env.get("KAFKA_TC_IMAGE") ?? DEFAULT_TC_IMAGE;
}
/** The label naming the test process a container belongs to. */
export const SESSION_LABEL = "org.order-pipeline.session";
/** The container port of `KafkaContainer`'s listener for clients on the host. */
const CLIENT_PORT = 9093;
/** How long the broker may take to start, from `docker create` to answering. */
const START_TIMEOUT_MS = 120_000;

/**
 * The properties `KafkaContainer` sets itself (listeners, KRaft roles and
 * quorum) or that belong to an image (where data goes): not passed on.
 */
const SET_BY_CONTAINER = [
  "process.roles",
  "node.id",
  "controller.quorum.voters",
  "listeners",
  "advertised.listeners",
  "listener.security.protocol.map",
  "controller.listener.names",
  "inter.broker.listener.name",
  "log.dirs",
];

/**
 * The `KAFKA_*` environment that gives a containerised broker the settings
 * of the launcher's (`serverProperties()` in `lib/broker/config.ts`), such as
 * a transaction log with one replica and no topic auto-creation, so tests
 * see the same broker whichever way it runs.
 *
 * @example
 * ```ts
 * import { containerEnvironment } from "./container.ts";
 * containerEnvironment().KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR; // "1"
 * ```
 */
export function containerEnvironment(): Record<string, string> {
  const properties = serverProperties({
    port: 9092,
    controllerPort: 9093,
    dataDir: "/var/lib/kafka",
    kafkaVersion: DEFAULT_KAFKA_VERSION,
  });
  return propertiesEnvironment(properties, SET_BY_CONTAINER);
}

/**
 * `KafkaContainer` with its ports published on 127.0.0.1 only: the broker is
 * for this machine's tests, never for its network.
 */
class LocalKafkaContainer extends KafkaContainer {
  protected override async beforeContainerCreated(): Promise<void> {
    await super.beforeContainerCreated();
    for (const bindings of Object.values(this.hostConfig.PortBindings ?? {})) {
      for (const binding of bindings as { HostIp?: string }[]) binding.HostIp = "127.0.0.1";
    }
  }
}

/** A broker running in a container. */
export interface KafkaInContainer {
  /** `127.0.0.1:<mapped port>`. */
  bootstrap: string;
  /** The container's id. */
  id: string;
  /** The image it runs. */
  image: string;
  /** How long it took from `start()` until the broker answered, in milliseconds. */
  startMs: number;
}

/**
 * Starts Kafka in a container from `image` and resolves once the broker
 * answers at its mapped port. Before anything is created, its removal is
 * arranged for however the tests end (see {@linkcode removeOnExit}).
 *
 * Testcontainers' Ryuk is off unless `TESTCONTAINERS_RYUK_DISABLED` says
 * otherwise (its image comes from Docker Hub, and the watchdog does its job),
 * and the host is 127.0.0.1 unless `TESTCONTAINERS_HOST_OVERRIDE` is set,
 * since that is where the port is published.
 */
export async function startKafkaContainer(image: string): Promise<KafkaInContainer> {
  setDefault("TESTCONTAINERS_RYUK_DISABLED", "true");
  setDefault("TESTCONTAINERS_HOST_OVERRIDE", "127.0.0.1");
  const session = crypto.randomUUID();
  removeOnExit(session);
  const started = performance.now();
  const container = await new LocalKafkaContainer(image)
    .withLabels({ [HARNESS_LABEL]: "kafka", [SESSION_LABEL]: session })
    .withEnvironment(containerEnvironment())
    // Testcontainers 12 would return once the starter script runs, before Kafka listens.
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .withStartupTimeout(START_TIMEOUT_MS)
    .start();
  const bootstrap = `127.0.0.1:${container.getMappedPort(CLIENT_PORT)}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  // The log line comes a moment before the listener takes clients.
  while (!(await brokerAnswers(bootstrap, PROBE_TIMEOUT_MS))) {
    if (Date.now() > deadline) {
      throw new Error(`Kafka in container ${container.getId()} did not answer at ${bootstrap}`);
    }
    await sleepUnless(POLL_INTERVAL_MS);
  }
  return { bootstrap, id: container.getId(), image, startMs: performance.now() - started };
}

function setDefault(name: string, value: string): void {
  if (Deno.env.get(name) === undefined) Deno.env.set(name, value);
}

const watchdogs: Deno.ChildProcess[] = [];

/**
 * The shell script of the watchdog: it blocks reading its stdin, a pipe from
 * this process that only closes when this process is gone, then removes
 * every container of the session named by `$0`.
 */
export const WATCHDOG_SCRIPT = 'read -r _ || true; ids="$(docker ps -aq --filter "label=' +
  SESSION_LABEL + '=$0")"; [ -z "$ids" ] || docker rm -f -v $ids >/dev/null 2>&1';

/**
 * Removes the containers of `session` when its tests end:
 *
 * - on a normal end (tests passed or failed), synchronously in the `unload`
 *   event, which Deno fires when a test file's isolate is done, so none is
 *   left when `deno test` returns;
 * - on Ctrl-C, SIGTERM, SIGKILL or a crash, through a watchdog process in its
 *   own session (Ctrl-C does not reach it) that outlives this one. A signal
 *   listener would not do: `deno test` handles SIGINT itself and exits
 *   without running listeners or `unload`.
 */
export function removeOnExit(session: string): void {
  const watchdog = new Deno.Command("sh", {
    args: ["-c", WATCHDOG_SCRIPT, session],
    stdin: "piped",
    stdout: "null",
    stderr: "null",
    detached: true,
  }).spawn();
  // Never written or closed: the pipe closes when this process exits. Kept
  // referenced so that nothing collects and closes it sooner.
  watchdog.unref();
  watchdogs.push(watchdog);
  globalThis.addEventListener("unload", () => removeSessionSync(session));
}

/** Removes the containers of `session` now, without waiting on the event loop. */
export function removeSessionSync(session: string): void {
  try {
    const listed = new Deno.Command("docker", {
      args: ["ps", "-aq", "--filter", `label=${SESSION_LABEL}=${session}`],
      stdout: "piped",
      stderr: "null",
    }).outputSync();
    const ids = new TextDecoder().decode(listed.stdout).split("\n").filter(Boolean);
    if (ids.length === 0) return;
    new Deno.Command("docker", { args: ["rm", "-f", "-v", ...ids], stdout: "null", stderr: "null" })
      .outputSync();
  } catch {
    // The watchdog removes them once this process is gone.
  }
}
