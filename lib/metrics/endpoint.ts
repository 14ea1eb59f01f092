/**
 * A program's metrics endpoint, opened in one call from its
 * `--metrics-port`/`--metrics-host` settings: a registry with the process
 * metrics, served at `/metrics`. The program then registers its own
 * metrics in `registry`; they are read only when scraped.
 *
 * @module
 */
import type { Registry } from "prom-client";
import { isLoopback, type MetricsSettings } from "../cli/flags.ts";
import { FatalError } from "../errors.ts";
import { registerProcessMetrics } from "./process.ts";
import { newRegistry } from "./registry.ts";
import { serveMetrics } from "./server.ts";

/** An open endpoint. */
export interface MetricsEndpoint {
  /** Where the program registers its metrics. */
  registry: Registry;
  /** `http://host:port/metrics`. */
  url: string;
  /** Stops serving. */
  close(): Promise<void>;
}

/** The warning printed when `/metrics` listens beyond loopback; none on loopback. */
export function exposureWarning(host: string): string | undefined {
  if (isLoopback(host)) return undefined;
  return `WARNING: --metrics-host ${host} serves /metrics beyond this machine: anyone who reaches it sees topic and group names and order figures (never credentials); keep 127.0.0.1 unless a scraper elsewhere needs it`;
}

/**
 * Opens the endpoint of `program` (the `program` label of
 * `order_pipeline_up`), passing `log` the exposure warning, if any, and the
 * line that says where it listens. Throws a FatalError when the port is
 * taken.
 */
export async function openMetrics(
  settings: MetricsSettings,
  program: string,
  log: (line: string) => void,
): Promise<MetricsEndpoint> {
  const warning = exposureWarning(settings.host);
  if (warning !== undefined) log(warning);
  const registry = newRegistry();
  const stopSampler = registerProcessMetrics(registry, program);
  let server;
  try {
    server = await serveMetrics({ host: settings.host, port: settings.port, registry });
  } catch (error) {
    stopSampler();
    throw new FatalError(
      `cannot serve metrics on ${settings.host}:${settings.port}: ${(error as Error).message}`,
    );
  }
  log(`Metrics at ${server.url}`);
  return {
    registry,
    url: server.url,
    close: async () => {
      stopSampler();
      await server.close();
    },
  };
}

/**
 * Runs `run` with the program's metrics hooks when `settings` asks for an
 * endpoint (registered by `register` on an open endpoint, closed when `run`
 * settles), else with none: the one call each program's `main` makes.
 */
export async function withMetrics<H extends object, T>(
  settings: MetricsSettings | undefined,
  program: string,
  register: (registry: Registry) => H,
  run: (hooks: Partial<H>) => Promise<T>,
  log: (line: string) => void = (line) => console.error(line),
): Promise<T> {
  if (settings === undefined) return await run({});
  const endpoint = await openMetrics(settings, program, log);
  try {
    return await run(register(endpoint.registry));
  } finally {
    await endpoint.close();
  }
}
