// The compactsim dashboard: polls GET /sim/v1/dashboard (a compact snapshot
// plus the history samples since the last poll), draws the charts with uPlot,
// and acts through the control API, listing every request it sends.
"use strict";

const POLL_MS = 1000;
const MAX_POINTS = 900;
const $ = (sel) => document.querySelector(sel);

const state = {
  since: -1,            // the last history sample we hold (simulated ms)
  history: null,        // column-wise, as the server sends it
  snapshot: null,
  charts: {},
  selectedTablet: null, // {be, tabletId}
  dataSource: null,
  vocabulary: null,
  polling: false,
};

// ---------------------------------------------------------------- helpers --

// el() and svgEl() come from dom.js.

function bytes(n) {
  if (n === undefined || n === null) return "–";
  const units = ["B", "KB", "MB", "GB", "TB", "PB"];
  let i = 0;
  while (Math.abs(n) >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n : n.toFixed(1)) + " " + units[i];
}

// Distinct colours for many series: the golden angle around the hue wheel.
function colour(i) { return `hsl(${(i * 137.508) % 360}, 65%, 45%)`; }

function simTime(ms) { return new Date(ms).toISOString().replace("T", " ").replace(".000Z", "Z"); }

// ------------------------------------------------------ requests and log --

function curlOf(method, url, body) {
  const origin = window.location.origin;
  let cmd = `curl -X ${method} '${origin}${url}'`;
  if (body !== undefined) cmd += ` -H 'Content-Type: application/json' -d '${body}'`;
  return cmd;
}

// Sends a control API request, shows it (as curl) with its answer, and
// returns {status, body}. Actions go through here; polls do not.
async function send(method, url, body) {
  const text = body === undefined ? undefined : (typeof body === "string" ? body : JSON.stringify(body));
  const shown = text !== undefined && text.length > 400 ? text.slice(0, 400) + "…" : text;
  const item = el("li", {}, el("code", { text: curlOf(method, url, shown) }));
  const list = $("#requests");
  list.prepend(item);
  while (list.children.length > 30) list.lastChild.remove();
  let status = 0, answer = "";
  try {
    const r = await fetch(url, {
      method,
      headers: text === undefined ? {} : { "Content-Type": "application/json" },
      body: text,
    });
    status = r.status;
    answer = await r.text();
  } catch (e) {
    answer = String(e);
  }
  item.append(el("span", { class: "status " + (status >= 200 && status < 300 ? "ok" : "bad"),
                           text: `${status || "no answer"} ${answer.length > 300 ? answer.slice(0, 300) + "…" : answer}` }));
  return { status, body: answer };
}

// ----------------------------------------------------------------- charts --

// Whole numbers (scores, versions) tick at whole steps.
const WHOLE = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6];

function makeChart(target, seriesCount, label, valueFmt, whole) {
  const width = Math.max(260, target.clientWidth || 320);
  const series = [{}];
  for (let i = 0; i < seriesCount; i++)
    series.push({ label: label(i), stroke: colour(i), width: 1.5, points: { show: false },
                  value: (u, v) => (v === null || v === undefined ? "–" : valueFmt(v)) });
  const data = [[]];
  for (let i = 0; i < seriesCount; i++) data.push([]);
  const opts = {
    width, height: 200, series,
    legend: { show: seriesCount <= 12, live: false },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true } },
    axes: [{ stroke: "#6b7383" }, { stroke: "#6b7383", size: 60, values: (u, vals) => vals.map(valueFmt), ...(whole ? { incrs: WHOLE } : {}) }],
  };
  target.innerHTML = "";
  return new uPlot(opts, data, target);
}

function windowed(xs) {
  const w = Number($("#window").value);
  if (!w || xs.length === 0) return null;
  const max = xs[xs.length - 1];
  return { min: Math.max(xs[0], max - w), max };
}

function setChart(name, target, columns, label, fmt, whole) {
  let chart = state.charts[name];
  const count = columns.length;
  if (!chart || chart.series.length - 1 !== count) {
    if (chart) chart.destroy();
    chart = makeChart(target, count, label, fmt, whole);
    state.charts[name] = chart;
  }
  const xs = state.history.t.map((t) => t / 1000);
  chart.setData([xs, ...columns], false);
  const range = windowed(xs);
  if (range && range.max > range.min) chart.setScale("x", range);
  else chart.setScale("x", { min: xs[0] ?? 0, max: (xs[xs.length - 1] ?? 1) + (xs.length < 2 ? 1 : 0) });
}

function drawCharts() {
  const h = state.history;
  if (!h) return;
  const be = (i) => "be:" + i;
  if (h.cumulativeScore.length) {
    const whole = (v) => String(Math.round(v));
    setChart("cumulative", $("#chart-cumulative"), h.cumulativeScore, be, whole, true);
    setChart("base", $("#chart-base"), h.baseScore, be, whole, true);
    setChart("versions", $("#chart-versions"), h.versionCount, be, whole, true);
  }
  const k = h.dataSources.indexOf(state.dataSource);
  if (k >= 0) {
    setChart("druid", $("#chart-druid"), [h.awaitingBytes[k], h.compactedBytes[k], h.skippedBytes[k]],
             (i) => ["awaiting", "compacted", "skipped"][i], bytes);
  }
}

// Appends the samples of one poll; a history that restarted (a reset) or
// changed shape replaces ours.
function mergeHistory(h, generation) {
  const ours = state.history;
  const same = ours && state.generation === generation && ours.cumulativeScore.length === h.cumulativeScore.length &&
    ours.dataSources.join("\n") === h.dataSources.join("\n") &&
    (h.t.length === 0 || ours.t.length === 0 || h.t[0] > ours.t[ours.t.length - 1]);
  if (!same || state.since < 0) {
    state.history = h;
  } else {
    const append = (a, b) => { for (let i = 0; i < a.length; i++) a[i].push(...b[i]); };
    ours.t.push(...h.t);
    for (const key of ["cumulativeScore", "baseScore", "versionCount", "awaitingBytes", "compactedBytes", "skippedBytes"])
      append(ours[key], h[key]);
    const extra = ours.t.length - MAX_POINTS;
    if (extra > 0) {
      ours.t.splice(0, extra);
      for (const key of ["cumulativeScore", "baseScore", "versionCount", "awaitingBytes", "compactedBytes", "skippedBytes"])
        for (const col of ours[key]) col.splice(0, extra);
    }
  }
  state.generation = generation;
  if (state.history.t.length) state.since = state.history.t[state.history.t.length - 1];
}

// ----------------------------------------------------------------- panels --

function renderNodes(s) {
  const box = $("#nodes");
  box.innerHTML = "";
  // A hundred BEs: small tiles, the state in the colour and the tooltip.
  box.classList.toggle("compact", s.nodes.length > 24);
  for (const n of s.nodes) {
    box.append(el("div", { class: "node " + n.state, "data-node": n.node, "data-state": n.state,
                           title: `${n.node}: ${n.state}` + (n.faults.length ? ` (${n.faults.join(", ")})` : "") },
      el("b", { text: n.node + (n.remote ? " (node process)" : "") }),
      el("span", { class: "state", text: n.state }),
      el("div", { class: "kinds", text: n.kinds.join(", ") })));
  }
}

function renderFaults(faults) {
  const box = $("#faults");
  box.innerHTML = "";
  if (!faults.length) box.append(el("span", { class: "muted", text: "No active faults." }));
  for (const f of faults) {
    const heal = el("button", { class: "small", text: "heal", "data-heal": f.id,
                                onclick: async () => { await send("DELETE", "/sim/v1/faults/" + encodeURIComponent(f.id)); poll(); } });
    box.append(el("div", { class: "fault", "data-fault": f.id },
      el("span", { text: `${f.id}: ${f.kind} on ${f.nodes.join(", ")}` + (f.healAt ? ` until ${f.healAt}` : "") }), heal));
  }
}

function renderBackends(s) {
  const tbody = $("#backends tbody");
  tbody.innerHTML = "";
  const nodes = new Map(s.nodes.map((n) => [n.node, n]));
  for (const b of s.doris.backends) {
    const n = nodes.get("be:" + b.be);
    const st = n ? n.state : (b.up ? "up" : "down");
    const row = el("tr", { "data-be": b.be },
      el("td", { text: "be:" + b.be }), el("td", { text: b.backendId }),
      el("td", { class: st === "up" && b.up ? "" : "down", text: b.up ? st : (st === "up" ? "no answer" : st) }),
      el("td", { text: b.replicas }), el("td", { text: b.maxCumulativeScore }), el("td", { text: b.maxBaseScore }),
      el("td", { text: b.maxVersionCount }),
      el("td", { text: `${b.running.cumulative}/${b.running.base}/${b.running.full}` }),
      el("td", { text: b.queued }), el("td", { text: b.rejectedLoads }));
    tbody.append(row);
  }
  const up = s.doris.backends.filter((b) => b.up).length;
  $("#doris-summary").textContent = `${s.doris.backends.length} BEs (${up} answering), ${s.doris.tablets} replicas`;
}

function renderTablets(s) {
  const tbody = $("#tablets tbody");
  tbody.innerHTML = "";
  for (const t of s.doris.top) {
    const sel = state.selectedTablet && state.selectedTablet.tabletId === t.tabletId && state.selectedTablet.be === t.be;
    tbody.append(el("tr", { class: "click" + (sel ? " selected" : ""), "data-tablet": t.tabletId,
                            onclick: () => { state.selectedTablet = { be: t.be, tabletId: t.tabletId }; showTablet(); } },
      el("td", { text: t.tabletId }), el("td", { text: t.tableId }), el("td", { text: "be:" + t.be }),
      el("td", { text: t.versions }), el("td", { class: t.cumulativeScore >= 100 ? "hot" : "", text: t.cumulativeScore }),
      el("td", { text: t.baseScore }), el("td", { text: t.duplicates }), el("td", { text: t.running.join(", ") })));
  }
}

// A tablet's versions as a picture: each rowset a box over the versions it
// covers, the cumulative point a line, stale rowsets on a lane below.
async function showTablet() {
  const sel = state.selectedTablet;
  if (!sel) return;
  const box = $("#tablet-detail");
  let r;
  try {
    r = await fetch(`/sim/v1/dashboard/tablets/${sel.tabletId}?be=${sel.be}`);
  } catch (e) {
    return;
  }
  const d = await r.json();
  box.hidden = false;
  box.innerHTML = "";
  if (r.status !== 200) {
    box.append(el("p", { text: d.error || `HTTP ${r.status}` }));
    return;
  }
  const all = d.rowsets.concat(d.staleRowsets);
  const maxV = Math.max(1, ...all.map((x) => x.end)) + 1;
  const W = 1000, H = 120, left = 10, right = 10, lane = 34;
  const x = (v) => left + (v / maxV) * (W - left - right);
  const svg = svgEl("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "rowsets of tablet " + d.tabletId });
  svg.append(svgEl("text", { x: left, y: 12, "font-size": 11, fill: "#6b7383" }, null));
  svg.lastChild.textContent = "visible rowsets (by version)";
  for (const rs of d.rowsets) {
    const fill = rs.delete ? "#d2453b" : rs.end < d.cumulativePoint ? "#4c6fb5" : "#e8a33d";
    svg.append(svgEl("rect", { x: x(rs.start), y: 18, width: Math.max(1.5, x(rs.end + 1) - x(rs.start) - 1), height: lane,
                               fill, stroke: rs.overlapping ? "#1d2330" : "none", class: "rowset" },
                     `[${rs.start}-${rs.end}] ${rs.rows} rows, ${bytes(rs.bytes)}, ${rs.segments} segments` +
                     (rs.overlapping ? ", overlapping" : "") + (rs.delete ? ", delete predicate" : "")));
  }
  svg.append(svgEl("text", { x: left + 8, y: 68, "font-size": 11, fill: "#6b7383" }));
  svg.lastChild.textContent = `stale rowsets (${d.staleRowsets.length}, kept until the sweep)`;
  for (const rs of d.staleRowsets)
    svg.append(svgEl("rect", { x: x(rs.start), y: 74, width: Math.max(1.5, x(rs.end + 1) - x(rs.start) - 1), height: lane / 2,
                               fill: "#a7adb8", class: "stale" }, `stale [${rs.start}-${rs.end}] since ${rs.staleSince}`));
  const cp = x(d.cumulativePoint);
  svg.append(svgEl("line", { x1: cp, x2: cp, y1: 14, y2: 100, stroke: "#1d2330", "stroke-width": 2, "stroke-dasharray": "4 2" },
                   "cumulative point " + d.cumulativePoint));
  svg.append(svgEl("text", { x: Math.min(cp + 6, W - 150), y: 104, "font-size": 11, fill: "#1d2330" }));
  svg.lastChild.textContent = "cumulative point " + d.cumulativePoint;
  const host = `be:${d.be}`;
  box.append(
    el("h3", { text: `Tablet ${d.tabletId} on ${host}: ${d.rowsets.length} rowsets, cumulative score ${d.cumulativeScore}, base score ${d.baseScore}` }),
    el("div", { class: "muted", text: `${d.keys}${d.mergeOnWrite ? ", merge-on-write" : ""}; running: ${d.running.join(", ") || "none"}; ` +
      `last: cumulative ${d.lastStatus.cumulative || "–"}, base ${d.lastStatus.base || "–"}, full ${d.lastStatus.full || "–"}` }),
    svg,
    el("div", { class: "muted", text: `The BE's own view: GET /api/compaction/show?tablet_id=${d.tabletId} on ${host}'s port` }));
}

function renderDruid(s) {
  const section = $("#druid-section");
  section.hidden = !s.druid.enabled;
  if (!s.druid.enabled) return;
  const select = $("#ds-select");
  const names = s.druid.dataSources.map((d) => d.dataSource);
  if (!state.dataSource || !names.includes(state.dataSource)) state.dataSource = names[0] || null;
  if (select.options.length !== names.length || [...select.options].some((o, i) => o.value !== names[i])) {
    select.innerHTML = "";
    for (const n of names) select.append(el("option", { value: n, text: n }));
  }
  select.value = state.dataSource || "";
  const chosen = s.druid.dataSources.find((d) => d.dataSource === state.dataSource);
  $("#chart-druid").hidden = !chosen || !chosen.reported;
  $("#druid-note").textContent = chosen && !chosen.reported
    ? `The duty reports nothing on ${chosen.dataSource}: it has no auto-compaction config (POST /druid/coordinator/v1/config/compaction).`
    : "";
  $("#ds-name").textContent = state.dataSource || "–";
  const tbody = $("#datasources tbody");
  tbody.innerHTML = "";
  for (const d of s.druid.dataSources) {
    tbody.append(el("tr", { class: "click" + (d.dataSource === state.dataSource ? " selected" : ""), "data-datasource": d.dataSource,
                            onclick: () => { state.dataSource = d.dataSource; render(); showTimeline(); } },
      el("td", { text: d.dataSource }), el("td", { text: d.segments }), el("td", { text: bytes(d.bytes) }),
      el("td", { text: d.reported ? bytes(d.awaitingBytes) : "–" }), el("td", { text: d.reported ? bytes(d.compactedBytes) : "–" }),
      el("td", { text: d.reported ? bytes(d.skippedBytes) : "–" })));
  }
  const t = s.druid.tasksByState;
  $("#druid-summary").textContent =
    `${s.druid.dataSources.length} datasources, ${s.druid.dutyRuns} duty runs; tasks: ${t.running} running, ${t.pending} pending, ${t.waiting} waiting`;
  $("#slots").textContent = `(${s.druid.slots.used} of ${s.druid.slots.total} slots used)`;
  $("#slot-bar div").style.width = s.druid.slots.total ? `${(100 * s.druid.slots.used) / s.druid.slots.total}%` : "0";
  const tasks = $("#tasks tbody");
  tasks.innerHTML = "";
  for (const k of s.druid.tasks)
    tasks.append(el("tr", {}, el("td", { text: k.id, title: k.id }), el("td", { text: k.dataSource }), el("td", { text: k.state }),
      el("td", { text: k.interval }), el("td", { text: k.slots }), el("td", { text: k.worker < 0 ? "–" : "worker:" + k.worker })));
}

// A datasource's time chunks along time: green when compacted, amber when
// not, with the held locks and the active tasks' intervals on lanes below.
async function showTimeline() {
  const ds = state.dataSource;
  const box = $("#timeline");
  if (!ds) { box.innerHTML = ""; return; }
  let r;
  try {
    r = await fetch(`/sim/v1/dashboard/datasources/${encodeURIComponent(ds)}?limit=400`);
  } catch (e) {
    return;
  }
  const d = await r.json();
  if (r.status !== 200 || ds !== state.dataSource) return;
  box.innerHTML = "";
  if (!d.chunks.length) { box.append(el("span", { class: "muted", text: "No segments." })); return; }
  const lo = Math.min(...d.chunks.map((c) => c.startMs)), hi = Math.max(...d.chunks.map((c) => c.endMs));
  const W = 1000, H = 96, pad = 4;
  const x = (t) => pad + ((t - lo) / Math.max(1, hi - lo)) * (W - 2 * pad);
  const svg = svgEl("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "segment timeline of " + ds });
  for (const c of d.chunks)
    svg.append(svgEl("rect", { x: x(c.startMs), y: 6, width: Math.max(1, x(c.endMs) - x(c.startMs) - 0.5), height: 40,
                               fill: c.compacted ? "#4c9f70" : "#e8a33d", class: c.compacted ? "chunk compacted" : "chunk uncompacted" },
                     `${c.interval}: ${c.segments} segments, ${bytes(c.bytes)}${c.compacted ? ", compacted" : ""}`));
  for (const l of d.locks)
    svg.append(svgEl("rect", { x: x(Math.max(lo, l.startMs)), y: 52, width: Math.max(2, x(Math.min(hi, l.endMs)) - x(Math.max(lo, l.startMs))),
                               height: 14, fill: "#c0392b", class: "lock" },
                     `lock ${l.interval} priority ${l.priority} ${l.taskId ? "held by " + l.taskId : "(streaming ingestion)"}`));
  for (const t of d.tasks) {
    const [a, b] = t.interval.split("/").map((v) => Date.parse(v));
    svg.append(svgEl("rect", { x: x(Math.max(lo, a)), y: 72, width: Math.max(2, x(Math.min(hi, b)) - x(Math.max(lo, a))), height: 14,
                               fill: "#3b6fd8", class: "task" }, `${t.id} (${t.state})`));
  }
  box.append(svg, el("div", { class: "muted",
    text: `${simTime(lo)} to ${simTime(hi)}: ${d.chunks.length} of ${d.totalChunks} chunks, ${d.locks.length} locks, ${d.tasks.length} active tasks` }));
}

function render() {
  const s = state.snapshot;
  if (!s) return;
  $("#now").textContent = s.now;
  $("#speed-now").textContent = `×${s.speed}`;
  if (document.activeElement !== $("#speed")) $("#speed").value = s.speed;
  renderNodes(s);
  $("#doris-section").hidden = s.doris.backends.length === 0;
  renderBackends(s);
  renderTablets(s);
  renderDruid(s);
  drawCharts();
}

// ------------------------------------------------------------------- poll --

let pollTimer = null;
async function poll() {
  if (state.polling) return;
  state.polling = true;
  clearTimeout(pollTimer);
  const t0 = performance.now();
  let again = false;
  try {
    const [dash, faults, ready] = await Promise.all([
      fetch(`/sim/v1/dashboard?top=25&since=${state.since}`),
      fetch("/sim/v1/faults"),
      fetch("/readyz"),
    ]);
    if (dash.status === 200) {
      const s = await dash.json();
      state.snapshot = s;
      if (state.generation !== undefined && s.generation !== state.generation && state.since >= 0) {
        // A reset elsewhere (another tab, a script): start the charts again.
        state.since = -1;
        again = true;
        return;
      }
      mergeHistory(s.history, s.generation);
      render();
      const ms = Math.round(performance.now() - t0);
      const size = Number(dash.headers.get("Content-Length")) || 0;
      $("#poll").textContent = `polled in ${ms} ms (${bytes(size)})`;
    }
    if (faults.status === 200) renderFaults((await faults.json()).faults);
    const rd = await ready.json().catch(() => ({}));
    const pill = $("#ready");
    pill.textContent = ready.status === 200 ? "ready" : ("not ready" + (rd.reason ? ": " + rd.reason : ""));
    pill.className = "pill " + (ready.status === 200 ? "ready" : "not-ready");
    if (state.selectedTablet) showTablet();
    showTimeline();
  } catch (e) {
    $("#poll").textContent = "the server did not answer: " + e.message;
    console.warn(e);
  } finally {
    state.polling = false;
    pollTimer = setTimeout(poll, again ? 0 : POLL_MS);
  }
}

// ---------------------------------------------------------------- controls --

function paramInput(p) {
  const attrs = { name: p.name, "data-type": p.type };
  if (p.type === "boolean") {
    attrs.type = "checkbox";
    if (p.default === true) attrs.checked = "";
    return el("label", { title: p.help }, p.name, el("input", attrs));
  }
  if (p.type === "number" || p.type === "integer") {
    attrs.type = "number";
    attrs.step = p.type === "integer" ? "1" : "any";
  }
  if (p.default !== null && p.default !== undefined) attrs.value = p.default;
  if (p.required) attrs.required = "";
  return el("label", { title: p.help }, p.name + (p.required ? " (required)" : ""), el("input", attrs));
}

function fillFaultForm() {
  const v = state.vocabulary;
  const kindSel = $("#fault-kind");
  const kind = v.kinds.find((k) => k.kind === kindSel.value) || v.kinds[0];
  const targets = $("#fault-target");
  const previous = targets.value;
  targets.innerHTML = "";
  const fits = (n) => kind.targets.some((f) => n === f || n.startsWith(f + ":"));
  for (const n of v.nodes.filter(fits)) targets.append(el("option", { value: n, text: n }));
  for (const f of kind.targets.filter((f) => f === "be" || f === "worker"))
    for (const which of ["random", "minority", "majority", "all"])
      targets.append(el("option", { value: `${f}:${which}`, text: `${f}:${which}` }));
  if ([...targets.options].some((o) => o.value === previous)) targets.value = previous;
  const params = $("#fault-params");
  params.innerHTML = "";
  for (const p of kind.params) params.append(paramInput(p));
  $("#fault-form").title = `${kind.kind}: targets ${kind.expected}`;
}

async function loadVocabulary() {
  const r = await fetch("/sim/v1/fault-kinds");
  if (r.status !== 200) return;
  state.vocabulary = await r.json();
  const kindSel = $("#fault-kind");
  kindSel.innerHTML = "";
  for (const k of state.vocabulary.kinds) kindSel.append(el("option", { value: k.kind, text: k.kind }));
  fillFaultForm();
}

function wire() {
  $("#fault-kind").addEventListener("change", fillFaultForm);
  $("#fault-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const form = ev.target;
    const fault = { kind: form.kind.value, target: form.target.value };
    for (const input of $("#fault-params").querySelectorAll("input")) {
      const type = input.dataset.type;
      if (type === "boolean") { if (input.checked) fault[input.name] = true; continue; }
      if (input.value === "") continue;
      fault[input.name] = type === "number" || type === "integer" ? Number(input.value) : input.value;
    }
    if (form.for.value.trim()) fault.for = form.for.value.trim();
    await send("POST", "/sim/v1/faults", fault);
    poll();
  });
  $("#heal-all").addEventListener("click", async () => { await send("DELETE", "/sim/v1/faults"); poll(); });
  $("#speed-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    await send("POST", "/sim/v1/clock", { speed: Number($("#speed").value) });
    $("#speed").blur();
    poll();
  });
  $("#reset").addEventListener("click", async () => {
    await send("POST", "/sim/v1/reset");
    state.since = -1;
    await loadVocabulary();
    poll();
  });
  $("#window").addEventListener("change", drawCharts);
  $("#ds-select").addEventListener("change", (ev) => { state.dataSource = ev.target.value; render(); showTimeline(); });
  $("#http-fault-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    await send("POST", "/sim/v1/http-faults", ev.target.rule.value);
  });
  $("#http-heal").addEventListener("click", () => send("DELETE", "/sim/v1/http-faults"));
  $("#ingest-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const f = ev.target, body = {};
    if (f.table.value) body.doris = { table: Number(f.table.value), loads: Number(f.loads.value || 1) };
    if (f.dataSource.value) body.druid = { dataSource: f.dataSource.value, segments: Number(f.segments.value || 1) };
    await send("POST", "/sim/v1/ingest", body);
    poll();
  });
  $("#scenario-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const f = ev.target;
    let text = f.text.value.trim();
    if (f.file.files.length) text = await f.file.files[0].text();
    const url = "/sim/v1/scenario" + (f.seed.value ? `?seed=${encodeURIComponent(f.seed.value)}` : "");
    await send("POST", url, text);
    state.since = -1;
    await loadVocabulary();
    poll();
  });
  window.addEventListener("resize", () => {
    for (const [name, chart] of Object.entries(state.charts))
      chart.setSize({ width: Math.max(280, chart.root.parentElement.clientWidth), height: 200 });
  });
}

wire();
loadVocabulary().then(poll, poll);
