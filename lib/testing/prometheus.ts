/**
 * A real Prometheus server for tests: Debian's `prometheus` binary, started
 * on a free loopback port with a config that scrapes the given targets
 * every second, queried through its HTTP API, and stopped with its data
 * directory removed.
 *
 * @module
 */
import { freePorts } from "./ports.ts";
import { waitFor } from "./harness.ts";

/** One series of an instant query's result. */
export interface PromSample {
  labels: Record<string, string>;
  value: number;
}

/** A running Prometheus. */
export interface PrometheusServer {
  /** `http://127.0.0.1:port`. */
  url: string;
  /** Runs an instant query; throws when Prometheus answers with an error. */
  query(expr: string): Promise<PromSample[]>;
  /** What it has logged so far. */
  log(): string;
  /** Stops it and removes its data. */
  stop(): Promise<void>;
}

/**
 * The configuration that scrapes `targets` (`host:port`, path `/metrics`)
 * every `intervalS` seconds as job `pipeline`.
 *
 * @example
 * ```ts
 * import { prometheusConfig } from "./prometheus.ts";
 * prometheusConfig(["127.0.0.1:9464"], 1).includes("127.0.0.1:9464"); // true
 * ```
 */
export function prometheusConfig(targets: string[], intervalS: number): string {
  return [
    "global:",
    `  scrape_interval: ${intervalS}s`,
    `  evaluation_interval: ${intervalS}s`,
    "scrape_configs:",
    "  - job_name: pipeline",
    "    static_configs:",
    `      - targets: [${targets.map((t) => JSON.stringify(t)).join(", ")}]`,
    "",
  ].join("\n");
}

/** Starts Prometheus scraping `targets` every `intervalS` seconds and waits until it is ready. */
export async function startPrometheus(
  targets: string[],
  intervalS = 1,
): Promise<PrometheusServer> {
  const dir = await Deno.makeTempDir({ prefix: "prometheus-test-" });
  await Deno.writeTextFile(`${dir}/prometheus.yml`, prometheusConfig(targets, intervalS));
  const [port] = freePorts(1);
  const url = `http://127.0.0.1:${port}`;
  const child = new Deno.Command("prometheus", {
    args: [
      `--config.file=${dir}/prometheus.yml`,
      `--storage.tsdb.path=${dir}/data`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let log = "";
  const decoder = new TextDecoder();
  const pumps = Promise.all([child.stdout, child.stderr].map(async (stream) => {
    for await (const chunk of stream) log += decoder.decode(chunk, { stream: true });
  }));
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch {
      // Already gone.
    }
    await Promise.all([child.status, pumps]);
    await Deno.remove(dir, { recursive: true });
  };
  try {
    await waitFor(async () => {
      const response = await fetch(`${url}/-/ready`);
      await response.body?.cancel();
      return response.ok;
    }, {
      timeoutMs: 30_000,
      message: `Prometheus ready at ${url}`,
    });
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${log}`);
  }
  return {
    url,
    query: (expr) => instantQuery(url, expr),
    log: () => log,
    stop,
  };
}

async function instantQuery(url: string, expr: string): Promise<PromSample[]> {
  const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = await response.json();
  if (body.status !== "success") throw new Error(`query ${expr} failed: ${body.error}`);
  return (body.data.result as { metric: Record<string, string>; value: [number, string] }[])
    .map((r) => ({ labels: r.metric, value: Number(r.value[1]) }));
}
