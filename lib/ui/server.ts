/**
 * The dashboard's HTTP server: the page with its current figures, the
 * updates as server-sent events, the snapshot as JSON, the page's files,
 * and the replay action. The replay is a POST that must carry the token of
 * a page this server rendered, so no other site can trigger it through a
 * visitor's browser.
 *
 * @module
 */
import type { Snapshot } from "./snapshot.ts";
import { type Asset, ASSETS } from "./assets.ts";
import {
  renderPage,
  renderReplayResult,
  renderUpdate,
  type ReplayDescription,
  type ReplayOutcome,
} from "./page.ts";
import { ReplayBusyError } from "./replay.ts";

/** What the server needs of the dashboard; tests pass a fake. */
export interface DashboardSource {
  snapshot(): Snapshot;
  subscribe(listener: (s: Snapshot) => void): () => void;
  replay: { preview(): Promise<ReplayOutcome>; replay(): Promise<ReplayOutcome> };
}

/** The header a replay request carries its page's token in. */
export const TOKEN_HEADER = "x-dashboard-token";

/** How many pages' tokens are remembered; the oldest are forgotten first. */
export const MAX_TOKENS = 512;

/** Tokens of the pages this server rendered. */
export class PageTokens {
  readonly #tokens = new Set<string>();

  /** A new token for one page. */
  mint(): string {
    const token = crypto.randomUUID();
    this.#tokens.add(token);
    if (this.#tokens.size > MAX_TOKENS) {
      this.#tokens.delete(this.#tokens.values().next().value!);
    }
    return token;
  }

  /** Whether `token` belongs to a page this server rendered. */
  valid(token: string | null): boolean {
    return token !== null && this.#tokens.has(token);
  }
}

const SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  // Scripts only from this server; the bars' widths are inline styles.
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
};

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...SECURITY_HEADERS },
  });
}

function asset(a: Asset): Response {
  return new Response(a.body, {
    headers: { "content-type": a.type, "cache-control": "no-cache", ...SECURITY_HEADERS },
  });
}

/** Each snapshot's event, rendered once however many pages are open. */
const rendered = new WeakMap<Snapshot, Uint8Array>();

function eventOf(s: Snapshot): Uint8Array {
  let bytes = rendered.get(s);
  if (bytes === undefined) {
    bytes = new TextEncoder().encode(`data: ${JSON.stringify(renderUpdate(s))}\n\n`);
    rendered.set(s, bytes);
  }
  return bytes;
}

/** Streams an event per snapshot, starting with the current one; `streams` tracks the open ones. */
function events(source: DashboardSource, streams: Set<() => void>): Response {
  let close = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      // A copy each: the response body may take ownership of what it is given.
      const send = (s: Snapshot) => controller.enqueue(eventOf(s).slice());
      const unsubscribe = source.subscribe(send);
      close = () => {
        unsubscribe();
        streams.delete(close);
        try {
          controller.close();
        } catch {
          // Already closed by the client.
        }
      };
      streams.add(close);
      send(source.snapshot());
    },
    cancel() {
      close();
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream",
      "cache-control": "no-store",
      ...SECURITY_HEADERS,
    },
  });
}

/** Answers a replay request: 403 without a valid token, 409 while another runs. */
async function replay(
  request: Request,
  source: DashboardSource,
  tokens: PageTokens,
  dryRun: boolean,
): Promise<Response> {
  if (!tokens.valid(request.headers.get(TOKEN_HEADER))) {
    return json({ error: "this page's token is missing or unknown: reload the page" }, 403);
  }
  try {
    const outcome = dryRun ? await source.replay.preview() : await source.replay.replay();
    return json({
      dryRun,
      replays: dryRun ? outcome.tally.wouldReplay : outcome.tally.replayed,
      tally: outcome.tally,
      fatal: outcome.fatal ?? null,
      html: renderReplayResult(outcome),
    });
  } catch (error) {
    if (error instanceof ReplayBusyError) return json({ error: error.message }, 409);
    return json({ error: (error as Error).message }, 500);
  }
}

/** The server's routes for `source`; `streams` collects the open event streams. */
export function dashboardHandler(
  source: DashboardSource,
  description: ReplayDescription,
  tokens: PageTokens = new PageTokens(),
  streams: Set<() => void> = new Set(),
): (request: Request) => Promise<Response> | Response {
  return (request) => {
    const { pathname } = new URL(request.url);
    const { method } = request;
    if (method === "POST" && pathname === "/api/replay/preview") {
      return replay(request, source, tokens, true);
    }
    if (method === "POST" && pathname === "/api/replay") {
      return replay(request, source, tokens, false);
    }
    if (method !== "GET" && method !== "HEAD") {
      return new Response("method not allowed\n", { status: 405 });
    }
    if (pathname === "/") {
      const page = renderPage(source.snapshot(), tokens.mint(), description);
      return new Response(page, {
        headers: {
          "content-type": "text/html; charset=utf-8",
          "cache-control": "no-store",
          ...SECURITY_HEADERS,
        },
      });
    }
    if (pathname === "/events") return events(source, streams);
    if (pathname === "/api/snapshot") return json(source.snapshot());
    const file = ASSETS.get(pathname);
    if (file !== undefined) return asset(file);
    return new Response("not found\n", { status: 404 });
  };
}

/** A running dashboard server. */
export interface DashboardServer {
  /** `http://host:port/`. */
  url: string;
  /** Closes the event streams and stops listening. */
  close(): Promise<void>;
}

/** Serves the dashboard on `host:port` (0 picks a free port). */
export async function serveDashboard(
  source: DashboardSource,
  description: ReplayDescription,
  address: { host: string; port: number },
): Promise<DashboardServer> {
  const streams = new Set<() => void>();
  let resolveAddr!: (addr: Deno.NetAddr) => void;
  const listening = new Promise<Deno.NetAddr>((r) => (resolveAddr = r));
  const server = Deno.serve(
    {
      hostname: address.host,
      port: address.port,
      onListen: (addr) => resolveAddr(addr as Deno.NetAddr),
    },
    dashboardHandler(source, description, new PageTokens(), streams),
  );
  const addr = await listening;
  const host = addr.hostname.includes(":") ? `[${addr.hostname}]` : addr.hostname;
  return {
    url: `http://${host}:${addr.port}/`,
    close: async () => {
      for (const close of [...streams]) close();
      await server.shutdown();
    },
  };
}
