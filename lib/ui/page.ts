/**
 * The dashboard's page: the whole document with the current figures
 * already in it (the first paint is useful before any script runs), the
 * update pushed every second, and the replay panel's results. Pure.
 *
 * @module
 */
import type { ReplayTally } from "../dlq/replay_decision.ts";
import { clock, count, escapeHtml as h, money, scriptJson } from "./html.ts";
import { renderSections, type Sections } from "./sections.ts";
import type { ChartData } from "./series.ts";
import type { Snapshot } from "./snapshot.ts";

/** What the server pushes every second: the sections' HTML and the charts' data. */
export interface Update {
  at: number;
  sections: Sections;
  charts: ChartData;
}

/** The update for `s`. */
export function renderUpdate(s: Snapshot): Update {
  return { at: s.at, sections: renderSections(s), charts: s.charts };
}

/** What the replay panel says it does. */
export interface ReplayDescription {
  /** The error types replayed. */
  errorTypes: readonly string[];
  /** Where records that do not name their topic go. */
  targetTopic: string;
  /** The replayer's group. */
  group: string;
}

/** Renders the whole page for `s`, with the page's `token` for the replay action. */
export function renderPage(s: Snapshot, token: string, replay: ReplayDescription): string {
  const sec = renderSections(s);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="dashboard-token" content="${h(token)}">
<title>Order pipeline · ${h(s.topic)}</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/uplot.css">
<link rel="stylesheet" href="/assets/app.css">
</head>
<body>
<header class="top">
  <div class="brand"><span class="logo" aria-hidden="true"></span><div><h1>Order pipeline</h1>
  <div class="ctx">topic <b>${h(s.topic)}</b> · group <b>${h(s.group)}</b> · DLQ <b>${
    h(s.dlqTopic)
  }</b></div></div></div>
  <div class="status" id="status">${sec.status}</div>
</header>
<main>
<section class="kpis" id="kpis">${sec.kpis}</section>
<section class="charts">
  <div class="card"><div class="card-head"><h2>Throughput</h2><span class="muted">orders/s in and out, last 5 minutes</span></div><div class="chart" id="chart-throughput"></div></div>
  <div class="card"><div class="card-head"><h2>End-to-end latency</h2><span class="muted">order created → committed by the group, ms</span></div><div class="chart" id="chart-latency"></div></div>
</section>
<section class="row">
  <div class="card wide"><div class="card-head"><h2>Partitions</h2><span class="muted">committed offsets and the aggregate committed with them</span></div><div id="partitions">${sec.partitions}</div></div>
  <div class="card"><div class="card-head"><h2>Group members</h2><span class="muted">${
    h(s.group)
  }</span></div><div id="members">${sec.members}</div></div>
</section>
<section class="card">
  <div class="card-head"><h2>Dead letters</h2><span class="muted">newest 50 in ${
    h(s.dlqTopic)
  }</span></div>
  <div id="dlq">${sec.dlq}</div>
  <div class="replay" id="replay">
    <div class="replay-text"><h3>Replay</h3><p>Sends dead letters of type <b>${
    h(replay.errorTypes.join(", "))
  }</b> back to their topic (<b>${
    h(replay.targetTopic)
  }</b> when they name none), with the code of <code>deno task dlq --replay</code> and its group <b>${
    h(replay.group)
  }</b>. Preview first: a dry run sends and commits nothing.</p></div>
    <div class="replay-actions"><button id="replay-preview" type="button">Preview replay</button><button id="replay-run" type="button" class="primary" disabled>Replay</button></div>
    <div id="replay-result" aria-live="polite"></div>
  </div>
</section>
</main>
<footer><span id="updated" data-at="${s.at}">Updated ${
    clock(s.at)
  } UTC</span> · <span id="live" class="live">live</span></footer>
<script id="charts-data" type="application/json">${scriptJson(s.charts)}</script>
<script src="/assets/uplot.js"></script>
<script src="/assets/app.js"></script>
</body>
</html>
`;
}

/** One decided dead letter, as the replay panel lists it. */
export interface ReplayRow {
  /** Where it is in the DLQ: `orders-dlq[0]@4`. */
  where: string;
  id: string;
  product: string | null;
  price: number | null;
  errorType: string;
  action: "replayed" | "would-replay" | "parked" | "skipped";
  /** The target topic of a replay, else why not. */
  detail: string;
}

/** What a replay action did or, on a dry run, would do. */
export interface ReplayOutcome {
  dryRun: boolean;
  tally: ReplayTally;
  /** The first rows, in DLQ order. */
  rows: ReplayRow[];
  /** Set when the replay stopped on a fatal condition. */
  fatal?: string;
}

/** Renders the replay panel's result: the counts, the rows, what to do next. */
export function renderReplayResult(outcome: ReplayOutcome): string {
  const { tally, dryRun } = outcome;
  const replays = dryRun ? tally.wouldReplay : tally.replayed;
  const summary =
    `<p class="replay-summary" data-replays="${replays}" data-examined="${tally.examined}">${
      dryRun ? "Would replay" : "Replayed"
    } <b>${count(replays)}</b> of ${count(tally.examined)} examined · parked ${
      count(tally.parked)
    } · skipped ${count(tally.skipped)}${dryRun ? " · nothing was sent" : ""}</p>`;
  const fatal = outcome.fatal === undefined ? "" : `<p class="bad">${h(outcome.fatal)}</p>`;
  if (outcome.rows.length === 0) {
    return `${summary}${fatal}<p class="empty">No dead letters past the replayer's position.</p>`;
  }
  const more = tally.examined > outcome.rows.length
    ? `<p class="muted">First ${count(outcome.rows.length)} shown.</p>`
    : "";
  const rows = outcome.rows.map((r) =>
    `<tr class="${r.action}" data-id="${h(r.id)}"><td class="id">${h(r.id)}</td><td>${
      h(r.product ?? "–")
    }</td><td class="num">${money(r.price)}</td><td><span class="chip type-${h(r.errorType)}">${
      h(r.errorType)
    }</span></td><td class="action">${r.action.replace("-", " ")}</td><td>${
      h(r.detail)
    }</td><td class="mono">${h(r.where)}</td></tr>`
  );
  return `${summary}${fatal}<div class="scroll"><table id="replay-rows"><thead><tr><th>Order</th><th>Product</th><th class="num">Price</th><th>Type</th><th>Action</th><th>Target / reason</th><th>In DLQ</th></tr></thead><tbody>${
    rows.join("")
  }</tbody></table></div>${more}`;
}
