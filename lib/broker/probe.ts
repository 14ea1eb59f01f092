/**
 * The readiness probe: whether a Kafka broker answers at an address, asked
 * the way a client would, without retries and without leaving anything open.
 *
 * @module
 */
import { Kafka, logLevel } from "kafkajs";
import { quietTimeoutWarnings } from "../kafka/client.ts";

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
  quietTimeoutWarnings();
  const kafka = new Kafka({
    clientId: "broker-probe",
    brokers: [bootstrap],
    logLevel: logLevel.NOTHING,
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  });
  const admin = kafka.admin({ retry: { retries: 0 } });
  const probe = admin.connect()
    .then(() => admin.describeCluster())
    .then((cluster) => cluster.brokers.length > 0)
    .catch(() => false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
    await admin.disconnect().catch(() => {});
    await probe;
  }
}
