import assert from "node:assert/strict";
import { emptyTally } from "../dlq/replay_decision.ts";
import { snapshotFixture } from "./_test_utils.ts";
import { renderPage, renderReplayResult, renderUpdate } from "./page.ts";
import { renderSections } from "./sections.ts";

const REPLAY = { errorTypes: ["processing", "production"], targetTopic: "orders", group: "r" };

Deno.test("renderPage() opens with the current figures, the charts' data and the page's token", () => {
  const s = snapshotFixture();
  const page = renderPage(s, "tok-1", REPLAY);
  const sections = renderSections(s);
  assert.ok(page.includes(`<section class="kpis" id="kpis">${sections.kpis}</section>`));
  assert.ok(page.includes(`<div id="partitions">${sections.partitions}</div>`));
  assert.ok(page.includes(`<div class="status" id="status">${sections.status}</div>`));
  assert.match(page, /<meta name="dashboard-token" content="tok-1">/);
  assert.match(page, /<script id="charts-data" type="application\/json">\{"t":\[1,2\],/);
  assert.match(page, /Updated 08:09:10 UTC/);
  assert.match(page, /type <b>processing, production<\/b>/);
  assert.ok(!/https?:\/\/(?!127)/.test(page), "the page loads nothing from elsewhere");
});

Deno.test("renderUpdate() carries the same sections the page opens with", () => {
  const s = snapshotFixture();
  assert.deepEqual(renderUpdate(s), { at: s.at, sections: renderSections(s), charts: s.charts });
});

Deno.test("renderReplayResult() sums up a dry run and lists what it would do", () => {
  const tally = { ...emptyTally(), examined: 3, wouldReplay: 1, skipped: 2 };
  const html = renderReplayResult({
    dryRun: true,
    tally,
    rows: [{
      where: "orders-dlq[0]@4",
      id: "ORD-00004",
      product: "Mouse",
      price: 29.99,
      errorType: "processing",
      action: "would-replay",
      detail: "orders",
    }],
  });
  assert.match(
    html,
    /data-replays="1" data-examined="3">Would replay <b>1<\/b> of 3 examined · parked 0 · skipped 2 · nothing was sent/,
  );
  assert.match(
    html,
    /<tr class="would-replay" data-id="ORD-00004">.*<td class="action">would replay<\/td><td>orders<\/td>/,
  );
  assert.match(html, /First 1 shown/);
});

Deno.test("renderReplayResult() says when there is nothing to replay, and why a run stopped", () => {
  const html = renderReplayResult({
    dryRun: false,
    tally: emptyTally(),
    rows: [],
    fatal: "<boom>",
  });
  assert.match(html, /Replayed <b>0<\/b> of 0 examined/);
  assert.match(html, /<p class="bad">&lt;boom&gt;<\/p>/);
  assert.match(html, /No dead letters past the replayer's position/);
});
