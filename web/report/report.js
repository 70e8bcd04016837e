// A scenario run as a page: the verdict, the seed, the digest and the replay
// command; faults and heals as bands over virtual time; every checked metric
// as a chart with its bound and the virtual time of each failure marked; and
// every check with its verdict. The data is in the page (#report-data).
"use strict";

const data = JSON.parse(document.getElementById("report-data").textContent);
const $ = (sel) => document.querySelector(sel);

// el() and svgEl() come from dom.js.

// Virtual time as the scenario files write it: 1h30m, 45m, 90s.
function dur(ms) {
  if (ms === 0) return "0s";
  const parts = [];
  let s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400); s %= 86400;
  const h = Math.floor(s / 3600); s %= 3600;
  const m = Math.floor(s / 60); s %= 60;
  if (d) parts.push(d + "d");
  if (h) parts.push(h + "h");
  if (m) parts.push(m + "m");
  if (s || !parts.length) parts.push(s + (ms % 1000 ? "." + String(ms % 1000).padStart(3, "0") : "") + "s");
  return parts.join("");
}

const bandColours = { crash: "rgba(210,69,59,.16)", pause: "rgba(217,144,26,.18)", partition: "rgba(125,86,196,.16)" };
const bandColour = (kind) => bandColours[kind] || "rgba(59,111,216,.12)";

function header() {
  document.title = `${data.name}: ${data.passed ? "passed" : "FAILED"}`;
  const h = $("header");
  h.append(el("h1", { text: data.name }),
    el("span", { class: "verdict " + (data.passed ? "passed" : "failed"), id: "verdict", text: data.passed ? "PASSED" : "FAILED" }),
    el("span", { text: `seed ${data.seed}` }),
    el("span", { text: `${dur(data.virtualMs)} of virtual time in ${data.wallSeconds.toFixed(2)} s` }),
    el("span", { class: "desc", text: data.description || "" }));
  const dl = $("#facts");
  const fact = (k, v) => dl.append(el("dt", { text: k }), el("dd", {}, v));
  fact("seed", el("code", { text: String(data.seed) }));
  fact("trace digest", el("code", { id: "digest", text: data.traceDigest }));
  fact("replay", el("code", { id: "replay", text: data.replay }));
  fact("events", document.createTextNode(`${data.events} scheduler events, ${data.traceEvents} trace events`));
  const checks = data.checks.length, failed = data.checks.filter((c) => !c.passed).length;
  fact("checks", document.createTextNode(`${checks - failed} of ${checks} passed`));
}

// Faults over the run, one lane each, with a tick for every failure.
function timeline() {
  const box = $("#timeline");
  const W = 1000, lane = 18, top = 18;
  const H = top + Math.max(1, data.bands.length) * (lane + 4) + 24;
  const x = (t) => 10 + (t / Math.max(1, data.virtualMs)) * (W - 20);
  const svg = svgEl("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "faults over virtual time" });
  for (let i = 0; i <= 10; i++) {
    const t = (data.virtualMs * i) / 10;
    svg.append(svgEl("line", { x1: x(t), x2: x(t), y1: top - 4, y2: H - 18, stroke: "#e6e9ee" }));
    const anchor = i === 0 ? "start" : i === 10 ? "end" : "middle";
    const label = svgEl("text", { x: x(t), y: H - 4, "font-size": 11, "text-anchor": anchor, fill: "#6b7383" });
    label.textContent = dur(Math.round(t));
    svg.append(label);
  }
  data.bands.forEach((b, i) => {
    const y = top + i * (lane + 4);
    svg.append(svgEl("rect", { x: x(b.from), y, width: Math.max(2, x(b.to) - x(b.from)), height: lane,
                               fill: bandColour(b.kind).replace(/[\d.]+\)$/, ".55)"), class: "band" },
                     `${b.id}: ${b.kind} on ${b.nodes.join(", ")} from ${dur(b.from)} to ${dur(b.to)}`));
    const t = svgEl("text", { x: x(b.from) + 4, y: y + 13, "font-size": 11, fill: "#1d2330" });
    t.textContent = `${b.kind} ${b.nodes.join(", ")}`;
    svg.append(t);
  });
  if (!data.bands.length) {
    const t = svgEl("text", { x: 12, y: top + 13, "font-size": 12, fill: "#6b7383" });
    t.textContent = "No faults in this run.";
    svg.append(t);
  }
  for (const c of data.checks.filter((c) => !c.passed))
    svg.append(svgEl("line", { x1: x(c.at), x2: x(c.at), y1: top - 8, y2: H - 18, stroke: "#d2453b", "stroke-width": 2, class: "failure" },
                     `${c.name} failed at ${dur(c.at)}: ${c.message}`));
  box.append(svg);
}

// Virtual-time ticks at round durations (seconds).
const TICKS = [1, 5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];

// uPlot draws the series; a hook paints the fault bands under it and the
// failures of the checks on this metric over it.
function chart(series, target) {
  const failures = data.checks.filter((c) => !c.passed && c.metric === series.key).map((c) => c.at / 1000);
  const plugin = {
    hooks: {
      drawClear: [(u) => {
        const ctx = u.ctx;
        ctx.save();
        for (const b of data.bands) {
          const a = u.valToPos(b.from / 1000, "x", true), z = u.valToPos(b.to / 1000, "x", true);
          ctx.fillStyle = bandColour(b.kind);
          ctx.fillRect(a, u.bbox.top, Math.max(2, z - a), u.bbox.height);
        }
        ctx.restore();
      }],
      draw: [(u) => {
        const ctx = u.ctx;
        ctx.save();
        ctx.strokeStyle = "#d2453b";
        ctx.lineWidth = 2 * devicePixelRatio;
        for (const t of failures) {
          const x = u.valToPos(t, "x", true);
          ctx.beginPath(); ctx.moveTo(x, u.bbox.top); ctx.lineTo(x, u.bbox.top + u.bbox.height); ctx.stroke();
        }
        ctx.restore();
      }],
    },
  };
  const xs = series.t.map((t) => t / 1000);
  const columns = [xs, series.v];
  const lines = [{}, { label: series.label, stroke: "#3b6fd8", width: 2, points: { show: xs.length < 60 } }];
  for (const [name, bound] of [["min", series.min], ["max", series.max], ["equals", series.equals]]) {
    if (bound === undefined || bound === null) continue;
    columns.push(xs.map(() => bound));
    lines.push({ label: `expected ${name === "min" ? "≥" : name === "max" ? "≤" : "="} ${bound}`, stroke: "#8a93a3", dash: [6, 4], width: 1, points: { show: false } });
  }
  const opts = {
    width: Math.max(300, target.clientWidth), height: 220, series: lines, plugins: [plugin],
    legend: { show: false },
    scales: { x: { time: false, range: [0, data.virtualMs / 1000] } },
    axes: [{ values: (u, vals) => vals.map((v) => dur(Math.round(v * 1000))), stroke: "#6b7383", space: 70, incrs: TICKS },
           { stroke: "#6b7383", size: 70 }],
    cursor: { drag: { x: true, y: false } },
  };
  return new uPlot(opts, columns, target);
}

function charts() {
  const box = $("#charts");
  if (!data.series.length) box.append(el("p", { class: "muted", text: "This scenario checks no metric over time." }));
  const hosts = [];
  for (const s of data.series) {
    const failed = data.checks.some((c) => !c.passed && c.metric === s.key);
    const bounds = [["≥", s.min], ["≤", s.max], ["=", s.equals]].filter(([, b]) => b !== null && b !== undefined)
      .map(([op, b]) => `expected ${op} ${b}`).join(", ");
    const fig = el("figure", { class: "metric", "data-metric": s.key },
      el("figcaption", {}, el("b", { text: s.label }), document.createTextNode(bounds ? ` (${bounds}, dashed) ` : " "),
         el("span", { class: failed ? "failed" : "muted", text: failed ? "a check on it failed (red line)" : "" })));
    const host = el("div", { class: "chart" });
    fig.append(host);
    box.append(fig);
    hosts.push([s, host]);
  }
  // Every figure is in the grid before any chart takes its width.
  for (const [s, host] of hosts) chart(s, host);
}

function checks() {
  const tbody = $("#checks tbody");
  for (const c of data.checks) {
    tbody.append(el("tr", { class: c.passed ? "" : "failed" },
      el("td", { class: c.passed ? "pass" : "fail", text: c.passed ? "pass" : "FAIL" }),
      el("td", { text: c.kind }), el("td", { text: c.name }),
      el("td", { class: "num", text: c.kind === "invariant" && c.passed ? "every check" : dur(c.at) }),
      el("td", { text: c.message || "" })));
  }
}

header();
timeline();
charts();
checks();
