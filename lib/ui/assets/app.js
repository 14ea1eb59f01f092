// The dashboard page's script: draws the two charts with uPlot, swaps in
// the sections the server renders with every pushed update, and drives the
// replay panel. Everything else on the page is the server's HTML.
/* global uPlot */
(() => {
  "use strict";

  const token = document.querySelector('meta[name="dashboard-token"]').content;
  const live = document.getElementById("live");
  const updated = document.getElementById("updated");

  const AXIS = {
    stroke: "#8c9ab8",
    grid: { stroke: "rgba(36,48,77,0.7)" },
    ticks: { show: false },
  };

  function plot(id, series, data, label) {
    const el = document.getElementById(id);
    const opts = {
      width: el.clientWidth,
      height: 240,
      series: [{}, ...series],
      scales: { x: { time: true } },
      axes: [
        { ...AXIS, space: 70, values: (_, ticks) => ticks.map(hhmmss) },
        { ...AXIS, size: 64, values: (_, ticks) => ticks.map(label) },
      ],
      legend: { live: true },
      cursor: { points: { size: 6 } },
    };
    const chart = new uPlot(opts, data, el);
    new ResizeObserver(() => chart.setSize({ width: el.clientWidth, height: 240 })).observe(el);
    return chart;
  }

  function hhmmss(t) {
    return new Date(t * 1000).toISOString().slice(11, 19);
  }

  // Axis labels: orders/s as 1.5k, latencies in ms below a second, else in seconds.
  function perSecond(n) {
    if (n === null || n === undefined) return "";
    return Math.abs(n) >= 1000 ? `${trim(n / 1000)}k` : trim(n);
  }

  function millis(n) {
    if (n === null || n === undefined) return "";
    return Math.abs(n) >= 1000 ? `${trim(n / 1000)} s` : `${trim(n)} ms`;
  }

  function trim(n) {
    return String(Number(n.toFixed(2)));
  }

  function line(label, color, fill) {
    return { label, stroke: color, width: 2, fill, spanGaps: false, points: { show: false } };
  }

  function throughputData(c) {
    return [c.t, c.in, c.out];
  }

  function latencyData(c) {
    return [c.t, c.p50, c.p99, c.max];
  }

  const initial = JSON.parse(document.getElementById("charts-data").textContent);
  const throughput = plot(
    "chart-throughput",
    [
      { ...line("in (orders/s)", "#5b9cff", "rgba(91,156,255,0.12)"), width: 3.5 },
      { ...line("out (orders/s)", "#2dd4bf"), width: 1.5 },
    ],
    throughputData(initial),
    perSecond,
  );
  const latency = plot(
    "chart-latency",
    [
      line("p50 (ms)", "#34d399"),
      line("p99 (ms)", "#fbbf24"),
      { ...line("max (ms)", "#f87171"), dash: [4, 4], width: 1.5 },
    ],
    latencyData(initial),
    millis,
  );

  // What each section was last set to: the browser's own serialisation of
  // innerHTML differs from the server's, so compare with what was sent.
  const shown = new Map();

  function apply(update) {
    for (const [id, html] of Object.entries(update.sections)) {
      if (shown.get(id) === html) continue;
      const el = document.getElementById(id);
      if (el !== null) el.innerHTML = html;
      shown.set(id, html);
    }
    throughput.setData(throughputData(update.charts));
    latency.setData(latencyData(update.charts));
    updated.dataset.at = String(update.at);
    updated.textContent = `Updated ${new Date(update.at).toISOString().slice(11, 19)} UTC`;
  }

  const events = new EventSource("/events");
  events.onmessage = (e) => {
    live.classList.remove("down");
    live.textContent = "live";
    apply(JSON.parse(e.data));
  };
  events.onerror = () => {
    live.classList.add("down");
    live.textContent = "reconnecting…";
  };

  const previewButton = document.getElementById("replay-preview");
  const runButton = document.getElementById("replay-run");
  const result = document.getElementById("replay-result");

  async function post(path) {
    const response = await fetch(path, { method: "POST", headers: { "x-dashboard-token": token } });
    const body = await response.json();
    if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
    return body;
  }

  async function act(path, busyText) {
    previewButton.disabled = true;
    runButton.disabled = true;
    result.dataset.state = "running";
    result.innerHTML = `<p class="muted">${busyText}</p>`;
    try {
      const body = await post(path);
      result.innerHTML = body.html;
      result.dataset.state = body.dryRun ? "previewed" : "replayed";
      return body;
    } catch (error) {
      result.dataset.state = "failed";
      result.innerHTML = "";
      const p = document.createElement("p");
      p.className = "bad";
      p.textContent = String(error.message ?? error);
      result.append(p);
      return undefined;
    } finally {
      previewButton.disabled = false;
    }
  }

  previewButton.addEventListener("click", async () => {
    const body = await act("/api/replay/preview", "Reading the DLQ (dry run)…");
    if (body !== undefined && body.replays > 0) {
      runButton.disabled = false;
      runButton.textContent = `Replay ${body.replays}`;
    } else {
      runButton.textContent = "Replay";
    }
  });

  runButton.addEventListener("click", async () => {
    await act("/api/replay", "Replaying…");
    runButton.textContent = "Replay";
  });
})();
