/**
 * The readiness probe: whether a Kafka broker answers at an address, asked
 * the way a client would, without retries and without leaving anything open.
 *
 * @module
 */
import { Kafka, logLevel } from "kafkajs";
import { quietTimeoutWarnings } from "../kafka/client.ts";
import { sleepUnless } from "./_util.ts";

/**
 * Whether a Kafka broker answers a metadata request at `bootstrap`
 * (`host:port`) within `timeoutMs`. Never retries, and closes its connection
 * and timers before it resolves.
 *
 * @example
 * ```ts ignore
 * import { brokerAnswers } from "./probe.ts";
 * import { startBroker } from "./launch.ts";
 * if (!(await brokerAnswers("127.0.0.1:9092"))) await startBroker();
 * ```
 */
export async function brokerAnswers(bootstrap: string, timeoutMs = 3000): Promise<boolean> {
  return ((await brokerIds(bootstrap, timeoutMs))?.length ?? 0) > 0;
}

/**
 * The node ids of the brokers the cluster at `bootstrap` (one `host:port`
 * or a comma-separated list) reports as alive, sorted; `undefined` when none
 * answers within `timeoutMs`. Same rules as {@linkcode brokerAnswers}.
 *
 * @example
 * ```ts ignore
 * import { brokerIds } from "./probe.ts";
 * await brokerIds("127.0.0.1:39200,127.0.0.1:39201,127.0.0.1:39202"); // [1, 2, 3]
 * ```
 */
export async function brokerIds(
  bootstrap: string,
  timeoutMs = 3000,
): Promise<number[] | undefined> {
  quietTimeoutWarnings();
  const kafka = new Kafka({
    clientId: "broker-probe",
    brokers: bootstrap.split(","),
    logLevel: logLevel.NOTHING,
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  });
  const admin = kafka.admin({ retry: { retries: 0 } });
  const deadline = Date.now() + timeoutMs;
  // Connecting asks the bootstrap broker itself for metadata: that is the
  // answer. describeCluster then asks a broker kafkajs picks at random from
  // that metadata, which may list one that just died: ask again.
  const describe = async (): Promise<number[]> => {
    for (;;) {
      try {
        const cluster = await admin.describeCluster();
        return cluster.brokers.map((broker) => broker.nodeId).sort((a, b) => a - b);
      } catch (error) {
        if (Date.now() >= deadline) throw error;
        await sleepUnless(20);
      }
    }
  };
  const probe = admin.connect().then(describe).catch(() => undefined);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
  });
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
    await admin.disconnect().catch(() => {});
    await probe;
  }
}
