/**
 * What the demo starts around its steps: a local broker when none answers
 * (never in place of a secured cluster, which is someone's), and the
 * dashboard.
 *
 * @module
 */
import { type RunningBroker, startBroker } from "../broker/launch.ts";
import { brokerAnswers } from "../broker/probe.ts";
import type { ConnectionSettings } from "../cli/flags.ts";
import { spawnScript, waitForOutput } from "../cli/subprocess.ts";
import { describeSecurity } from "../kafka/security.ts";
import type { DemoNames } from "./steps.ts";

/** The broker at `connection`, or a local one started for the demo when none answers. */
export async function brokerFor(
  connection: ConnectionSettings,
): Promise<RunningBroker | undefined> {
  const { brokers, security } = connection;
  if (security !== undefined) {
    console.log(`Using the cluster at ${brokers.join(",")} (${describeSecurity(security)})`);
    return undefined;
  }
  if (await brokerAnswers(brokers[0])) {
    console.log(`Using the broker at ${brokers.join(",")}`);
    return undefined;
  }
  const port = Number(brokers[0].split(":").pop());
  console.log(
    `No broker answers at ${brokers[0]}: starting a local Apache Kafka on port ${port}...`,
  );
  return await startBroker({ port, log: (line) => console.log(`  ${line}`) });
}

/** A dashboard the demo started: its address (unset when it did not start) and how to stop it. */
export interface DemoDashboard {
  url?: string;
  stop(): Promise<void>;
}

/** Starts the dashboard on `port` for `names` and says where; the demo goes on if it cannot. */
export async function openDashboard(
  port: number,
  names: DemoNames,
  env: Record<string, string>,
  connection: string[],
): Promise<DemoDashboard> {
  const ui = spawnScript("ui.ts", [
    `--port=${port}`,
    `--topic=${names.topic}`,
    `--dlq-topic=${names.dlq}`,
    `--group=${names.group}`,
    ...connection,
  ], env);
  const url = await waitForOutput(ui, /Dashboard at (\S+)/);
  console.log(
    url === undefined
      ? `\nThe dashboard did not start (${ui.stderr().trim()}); the demo goes on without it`
      : `\nDashboard: ${url} — open it to watch the run`,
  );
  const stop = async () => {
    try {
      ui.child.kill("SIGTERM");
    } catch {
      // It did not start, or stopped by itself.
    }
    await ui.done;
  };
  return { url, stop };
}
