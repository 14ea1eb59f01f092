import assert from "node:assert/strict";
import { emptyTally } from "../dlq/replay_decision.ts";
import { snapshotFixture } from "./_test_utils.ts";
import type { ReplayOutcome } from "./page.ts";
import { ReplayBusyError } from "./replay.ts";
import {
  dashboardHandler,
  type DashboardSource,
  MAX_TOKENS,
  PageTokens,
  serveDashboard,
  TOKEN_HEADER,
} from "./server.ts";
import type { Snapshot } from "./snapshot.ts";

const REPLAY = { errorTypes: ["processing"], targetTopic: "orders", group: "r" };

function source(overrides: Partial<DashboardSource["replay"]> = {}) {
  const listeners = new Set<(s: Snapshot) => void>();
  const outcome = (dryRun: boolean): ReplayOutcome => ({
    dryRun,
    tally: { ...emptyTally(), examined: 2, wouldReplay: dryRun ? 2 : 0, replayed: dryRun ? 0 : 2 },
    rows: [],
  });
  const s: DashboardSource & { push(snapshot: Snapshot): void } = {
    snapshot: () => snapshotFixture(),
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    replay: {
      preview: () => Promise.resolve(outcome(true)),
      replay: () => Promise.resolve(outcome(false)),
      ...overrides,
    },
    push: (snapshot) => listeners.forEach((l) => l(snapshot)),
  };
  return s;
}

function tokenOf(page: string): string {
  return /<meta name="dashboard-token" content="([^"]+)">/.exec(page)![1];
}

Deno.test("dashboardHandler() serves the page with figures and a token, locked down", async () => {
  const handle = dashboardHandler(source(), REPLAY);
  const response = await handle(new Request("http://h/"));
  assert.equal(response.headers.get("content-type"), "text/html; charset=utf-8");
  assert.match(response.headers.get("content-security-policy")!, /script-src 'self'/);
  const page = await response.text();
  assert.match(page, /id="agg-count" data-value="1190"/);
  assert.match(tokenOf(page), /^[0-9a-f-]{36}$/);
});

Deno.test("dashboardHandler() refuses a replay without a token of one of its pages", async () => {
  const handle = dashboardHandler(source(), REPLAY);
  for (const headers of [{}, { [TOKEN_HEADER]: "forged" }] as Record<string, string>[]) {
    const response = await handle(new Request("http://h/api/replay", { method: "POST", headers }));
    assert.equal(response.status, 403);
    assert.match((await response.json()).error, /token is missing or unknown/);
  }
});

Deno.test("dashboardHandler() previews and replays with a page's token", async () => {
  const handle = dashboardHandler(source(), REPLAY);
  const token = tokenOf(await (await handle(new Request("http://h/"))).text());
  const headers = { [TOKEN_HEADER]: token };
  const preview = await (await handle(
    new Request("http://h/api/replay/preview", { method: "POST", headers }),
  )).json();
  assert.deepEqual([preview.dryRun, preview.replays], [true, 2]);
  assert.match(preview.html, /Would replay <b>2<\/b>/);
  const replay =
    await (await handle(new Request("http://h/api/replay", { method: "POST", headers })))
      .json();
  assert.deepEqual([replay.dryRun, replay.replays], [false, 2]);
});

Deno.test("dashboardHandler() answers 409 while another replay runs", async () => {
  const handle = dashboardHandler(
    source({ preview: () => Promise.reject(new ReplayBusyError()) }),
    REPLAY,
  );
  const token = tokenOf(await (await handle(new Request("http://h/"))).text());
  const response = await handle(
    new Request("http://h/api/replay/preview", {
      method: "POST",
      headers: { [TOKEN_HEADER]: token },
    }),
  );
  assert.equal(response.status, 409);
  await response.body?.cancel();
});

Deno.test("dashboardHandler() serves the snapshot, the page's files and 404 elsewhere", async () => {
  const handle = dashboardHandler(source(), REPLAY);
  assert.equal(
    (await (await handle(new Request("http://h/api/snapshot"))).json()).aggregate.count,
    1190,
  );
  const js = await handle(new Request("http://h/assets/uplot.js"));
  assert.equal(js.headers.get("content-type"), "text/javascript; charset=utf-8");
  assert.match(await js.text(), /uPlot/);
  const css = await handle(new Request("http://h/assets/app.css"));
  assert.equal(css.headers.get("content-type"), "text/css; charset=utf-8");
  await css.body?.cancel();
  const missing = await handle(new Request("http://h/nope"));
  assert.equal(missing.status, 404);
  await missing.body?.cancel();
  const put = await handle(new Request("http://h/", { method: "PUT" }));
  assert.equal(put.status, 405);
  await put.body?.cancel();
});

Deno.test("serveDashboard() pushes the current snapshot, then each new one, as events", async () => {
  const s = source();
  const server = await serveDashboard(s, REPLAY, { host: "127.0.0.1", port: 0 });
  try {
    const response = await fetch(`${server.url}events`);
    assert.equal(response.headers.get("content-type"), "text/event-stream");
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const first = (await reader.read()).value!;
    assert.match(first, /^data: \{"at":/);
    assert.equal(JSON.parse(first.slice(6)).sections.kpis.includes('data-value="1190"'), true);
    s.push(snapshotFixture({ aggregate: { count: 7, average: 1, min: 1, max: 1, revenue: 7 } }));
    const second = (await reader.read()).value!;
    assert.match(JSON.parse(second.slice(6)).sections.kpis, /id="agg-count" data-value="7"/);
    await reader.cancel();
  } finally {
    await server.close();
  }
});

Deno.test("PageTokens forgets the oldest tokens beyond MAX_TOKENS", () => {
  const tokens = new PageTokens();
  const first = tokens.mint();
  assert.equal(tokens.valid(first), true);
  for (let i = 0; i < MAX_TOKENS; i++) tokens.mint();
  assert.equal(tokens.valid(first), false);
  assert.equal(tokens.valid(null), false);
});
