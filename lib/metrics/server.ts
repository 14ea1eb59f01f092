/**
 * The `/metrics` endpoint every program serves on `--metrics-port`: the
 * registry in the Prometheus text format, on 127.0.0.1 unless
 * `--metrics-host` widens it.
 *
 * @module
 */
import type { Registry } from "prom-client";

/** Where the endpoint listens. */
export interface MetricsServerOptions {
  /** @default {"127.0.0.1"} */
  host?: string;
  /** 0 picks a free port; the server's `url` says which. */
  port: number;
  registry: Registry;
}

/** A running endpoint. */
export interface MetricsServer {
  /** `http://host:port/metrics`. */
  url: string;
  /** Stops listening and waits for the requests in flight. */
  close(): Promise<void>;
}

/**
 * Answers `GET /metrics` (and `HEAD`) from `registry`, 404 elsewhere. A
 * collector that fails makes that scrape a 500 with its message, so
 * Prometheus marks the target down instead of storing half a scrape.
 */
export function metricsHandler(registry: Registry): (request: Request) => Promise<Response> {
  return async (request) => {
    const { pathname } = new URL(request.url);
    if (pathname !== "/metrics") {
      return new Response("not found: the metrics are at /metrics\n", { status: 404 });
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      return new Response("method not allowed\n", { status: 405, headers: { allow: "GET, HEAD" } });
    }
    try {
      const body = await registry.metrics();
      return new Response(request.method === "HEAD" ? null : body, {
        headers: { "content-type": registry.contentType },
      });
    } catch (error) {
      return new Response(`collecting the metrics failed: ${(error as Error)?.message}\n`, {
        status: 500,
      });
    }
  };
}

/** Serves `registry` at `/metrics` until `close()`. */
export async function serveMetrics(options: MetricsServerOptions): Promise<MetricsServer> {
  const hostname = options.host ?? "127.0.0.1";
  let resolveAddr!: (addr: Deno.NetAddr) => void;
  const listening = new Promise<Deno.NetAddr>((r) => (resolveAddr = r));
  const server = Deno.serve(
    { hostname, port: options.port, onListen: (addr) => resolveAddr(addr as Deno.NetAddr) },
    metricsHandler(options.registry),
  );
  const addr = await listening;
  const host = addr.hostname.includes(":") ? `[${addr.hostname}]` : addr.hostname;
  return {
    url: `http://${host}:${addr.port}/metrics`,
    close: () => server.shutdown(),
  };
}
