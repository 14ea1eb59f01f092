/**
 * The dashboard's live sections as HTML: the status bar, the aggregate
 * figures, the partitions, the group's members and the dead letters. The
 * first paint and every pushed update are rendered by these same
 * functions, so the page opens with the current figures and never renders
 * anything itself but the charts. Pure.
 *
 * @module
 */
import type { DeadLetterRow } from "./dlq_panel.ts";
import { clock, count, escapeHtml as h, money } from "./html.ts";
import type { GroupStatus, LagTrend, MemberRow, PartitionRow, Snapshot } from "./snapshot.ts";

/** The sections, by the id of the element each fills. */
export interface Sections {
  status: string;
  kpis: string;
  partitions: string;
  members: string;
  dlq: string;
}

/** Renders every live section of `s`. */
export function renderSections(s: Snapshot): Sections {
  return {
    status: statusBar(s),
    kpis: kpis(s),
    partitions: partitionsTable(s.partitions),
    members: membersTable(s),
    dlq: deadLetters(s),
  };
}

type Tone = "ok" | "warn" | "bad" | "idle";

function pill(id: string, tone: Tone, state: string, label: string, detail: string): string {
  return `<span class="pill ${tone}" id="${id}" data-state="${h(state)}"><i></i>${label} <b>${
    h(state.replace("-", " "))
  }</b>${detail === "" ? "" : ` <span class="detail">${detail}</span>`}</span>`;
}

const GROUP_TONE: Record<GroupStatus, Tone> = {
  stable: "ok",
  rebalancing: "warn",
  empty: "idle",
  // What the coordinator says of a group that has never been (or no longer is) there.
  dead: "idle",
  unknown: "idle",
};

const LAG_TONE: Record<LagTrend, Tone> = {
  "caught-up": "ok",
  "keeping-up": "ok",
  falling: "ok",
  steady: "warn",
  growing: "bad",
  unknown: "idle",
};

function plural(n: number, word: string): string {
  return `${count(n)} ${word}${n === 1 ? "" : "s"}`;
}

function statusBar(s: Snapshot): string {
  const { broker, consumerGroup: g, lag, dlq } = s;
  return [
    pill(
      "broker-status",
      broker.reachable ? "ok" : "bad",
      broker.reachable ? "reachable" : "unreachable",
      "Broker",
      broker.reachable ? plural(broker.brokers, "broker") : h(broker.error ?? ""),
    ),
    pill(
      "group-status",
      GROUP_TONE[g.status],
      g.status,
      "Group",
      plural(g.members.length, "member"),
    ),
    pill("lag-status", LAG_TONE[lag.trend], lag.trend, "Lag", `${count(lag.total)} behind`),
    pill(
      "dlq-status",
      dlq.total === 0 ? "ok" : "warn",
      count(dlq.total),
      "DLQ",
      dlq.total === 1 ? "dead letter" : "dead letters",
    ),
  ].join("");
}

function kpi(id: string, label: string, value: number, shown: string, note = ""): string {
  return `<div class="kpi"><div class="label">${label}</div><div class="value" id="${id}" data-value="${value}">${shown}</div>${
    note === "" ? "" : `<div class="note">${note}</div>`
  }</div>`;
}

function kpis(s: Snapshot): string {
  const a = s.aggregate;
  return [
    kpi("agg-count", "Orders aggregated", a.count, count(a.count), "exact, from committed state"),
    kpi("agg-revenue", "Revenue", a.revenue, money(a.revenue)),
    kpi("agg-average", "Average order", a.average, money(a.average)),
    kpi("agg-min", "Smallest order", a.min, money(a.min)),
    kpi("agg-max", "Largest order", a.max, money(a.max)),
    kpi("lag-total", "Lag", s.lag.total, count(s.lag.total), "records still to read"),
  ].join("");
}

function partitionsTable(rows: PartitionRow[]): string {
  if (rows.length === 0) return `<p class="empty">The topic has no partitions yet.</p>`;
  const widest = Math.max(1, ...rows.map((r) => r.lag));
  const body = rows.map((r) => {
    const bar = Math.round((r.lag / widest) * 100);
    const agg = r.agg;
    return `<tr data-partition="${r.partition}"><td>${r.partition}</td><td class="num">${
      r.committed === null ? "–" : count(r.committed)
    }</td><td class="num">${
      count(r.logEnd)
    }</td><td class="num lag" data-value="${r.lag}"><span class="track"><span class="bar" style="width:${bar}%"></span></span>${
      count(r.lag)
    }</td><td class="num count" data-value="${agg?.count ?? 0}">${
      agg === null
        ? (r.problem === undefined
          ? "–"
          : `<span class="bad" title="${h(r.problem)}">unreadable</span>`)
        : count(agg.count)
    }</td><td class="num">${money(agg?.revenue ?? null)}</td><td class="num">${
      money(agg === null || agg.count === 0 ? null : agg.min)
    }</td><td class="num">${money(agg === null || agg.count === 0 ? null : agg.max)}</td></tr>`;
  });
  return `<table><thead><tr><th>Partition</th><th class="num">Committed</th><th class="num">Log end</th><th class="num">Lag</th><th class="num">Orders</th><th class="num">Revenue</th><th class="num">Min</th><th class="num">Max</th></tr></thead><tbody>${
    body.join("")
  }</tbody></table>`;
}

function membersTable(s: Snapshot): string {
  const members: MemberRow[] = s.consumerGroup.members;
  if (members.length === 0) {
    return `<p class="empty">No consumer is running in group <b>${
      h(s.group)
    }</b>. Start one with <code>deno task consume</code>.</p>`;
  }
  const body = members.map((m) =>
    `<tr><td>${h(m.clientId)}</td><td>${h(m.host)}</td><td>${
      m.partitions.length === 0 ? "–" : m.partitions.join(", ")
    }</td></tr>`
  );
  return `<table><thead><tr><th>Client</th><th>Host</th><th>Partitions of ${
    h(s.topic)
  }</th></tr></thead><tbody>${body.join("")}</tbody></table><p class="state">Coordinator state: ${
    h(s.consumerGroup.state)
  }</p>`;
}

function deadLetterTableRow(r: DeadLetterRow): string {
  return `<tr data-dlq="${r.partition}:${r.offset}" data-id="${h(r.id)}" data-origin="${
    h(r.origin)
  }" data-type="${h(r.errorType)}"><td class="id">${h(r.id)}</td><td>${
    h(r.product ?? "–")
  }</td><td class="num">${money(r.price)}</td><td><span class="chip type-${h(r.errorType)}">${
    h(r.errorType)
  }</span></td><td class="error" title="${h(r.error)}">${h(r.error)}</td><td class="mono">${
    h(r.origin)
  }</td><td class="num">${r.attempts ?? "–"}${
    r.replayCount > 0 ? ` <span class="muted">(replayed ${r.replayCount}×)</span>` : ""
  }</td><td class="mono">${r.failedAt === null ? "–" : clock(r.failedAt)}</td></tr>`;
}

function deadLetters(s: Snapshot): string {
  const { dlq } = s;
  const chips = Object.entries(dlq.byType).map(([type, n]) =>
    `<span class="chip type-${h(type)}" data-type="${h(type)}">${h(type)} <b>${count(n)}</b></span>`
  );
  const table = dlq.newest.length === 0
    ? `<p class="empty">No dead letters in <b>${h(s.dlqTopic)}</b>. Everything was processed.</p>`
    : `<div class="scroll"><table><thead><tr><th>Order</th><th>Product</th><th class="num">Price</th><th>Type</th><th>Error</th><th>From</th><th class="num">Attempts</th><th>Failed (UTC)</th></tr></thead><tbody>${
      dlq.newest.map(deadLetterTableRow).join("")
    }</tbody></table></div>`;
  return `<div class="chips" id="dlq-types" data-total="${dlq.total}">${
    chips.join("")
  }</div>${table}`;
}
