// The dashboard and the HTML report in a real browser: Debian's chromium,
// driven by playwright-core (no browser download). Starts `compactsim serve`
// on free loopback ports, works the page as a person would, saves a
// screenshot of every page under OUT, and fails on a console error, on a
// check that does not hold, or on a layout that spills off the page.
//
//   node tests/js/dashboard_test.js COMPACTSIM SCENARIO_DIR OUT
"use strict";

const { chromium } = require("playwright-core");
const { spawn, execFileSync } = require("child_process");
const fs = require("fs");
const net = require("net");
const path = require("path");

const [bin, scenarioDir, out] = process.argv.slice(2);
if (!bin || !scenarioDir || !out) {
  console.error("usage: node dashboard_test.js COMPACTSIM SCENARIO_DIR OUT");
  process.exit(2);
}
fs.mkdirSync(out, { recursive: true });
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const USER = "operator", PASS = "s3cret";

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures++;
}

// The whole test is bounded: whatever hangs, the processes end.
const children = [];
const deadline = setTimeout(() => {
  console.error("FAIL the browser test took more than 240 s");
  for (const c of children) c.kill("SIGKILL");
  process.exit(1);
}, 240_000);

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

function portFree(port) {
  return new Promise((res) => {
    const s = net.createServer();
    s.once("error", () => res(false));
    s.listen(port, "127.0.0.1", () => s.close(() => res(true)));
  });
}

// Starts serve with `backends` consecutive BE ports above the blocks the
// C++ tests take (20000-60000), retrying on another block when it cannot listen.
async function serve(extra, backends = 3) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const admin = await freePort(), druid = await freePort(), node = await freePort();
    let doris;
    do {
      doris = 60500 + Math.floor(Math.random() * (4900 - backends));
    } while (!(await Promise.all([...Array(backends).keys()].map((i) => portFree(doris + i)))).every(Boolean));
    const args = ["serve", "--bind", "127.0.0.1", "--admin-port", admin, "--druid-port", druid, "--doris-port", doris,
                  "--node-port", node, "--log-level", "warn", ...extra].map(String);
    const child = spawn(bin, args, { stdio: ["ignore", "inherit", "inherit"] });
    children.push(child);
    let exited = false;
    child.on("exit", () => { exited = true; });
    const base = `http://127.0.0.1:${admin}`;
    const auth = "Basic " + Buffer.from(`${USER}:${PASS}`).toString("base64");
    for (let i = 0; i < 600 && !exited; i++) {
      try {
        const r = await fetch(base + "/healthz", { headers: { Authorization: auth } });
        if (r.status === 200) return { child, base, auth, doris, druid };
      } catch (e) { /* not yet listening */ }
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill("SIGKILL");
  }
  throw new Error("compactsim serve did not come up on five port blocks");
}

async function api(s, method, url, body) {
  const r = await fetch(s.base + url, {
    method, headers: { Authorization: s.auth, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, json: await r.json().catch(() => null) };
}

// Nothing spills sideways, and every chart got a real size.
async function shoot(page, file) {
  // From the top, so the sticky header sits where a person sees it.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(out, file), fullPage: true });
}

async function layoutHolds(page, what) {
  const m = await page.evaluate(() => {
    const shown = [...document.querySelectorAll(".uplot")].filter((u) => u.offsetParent !== null);
    const rects = shown.map((u) => u.getBoundingClientRect());
    let overlaps = 0, outside = 0;
    for (let i = 0; i < rects.length; i++) {
      for (let j = i + 1; j < rects.length; j++) {
        const a = rects[i], b = rects[j];
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) overlaps++;
      }
      // A chart stays inside its figure's column.
      const cell = shown[i].closest("figure").getBoundingClientRect();
      if (rects[i].right > cell.right + 1 || rects[i].left < cell.left - 1) outside++;
    }
    return { overflow: document.documentElement.scrollWidth - window.innerWidth, overlaps, outside,
             charts: rects.map((r) => [Math.round(r.width), Math.round(r.height)]) };
  });
  check(m.overflow <= 0, `${what}: nothing spills off the page sideways (overflow ${m.overflow}px)`);
  check(m.overlaps === 0 && m.outside === 0, `${what}: no chart overlaps another or leaves its column (${m.overlaps} overlaps, ${m.outside} outside)`);
  check(m.charts.every(([w, h]) => w >= 250 && h >= 150), `${what}: every visible chart is at least 250x150 (${JSON.stringify(m.charts)})`);
}

function waitFor(page, fn, arg, what, timeout = 15000) {
  return page.waitForFunction(fn, arg, { timeout }).then(() => check(true, what), (e) => check(false, `${what} (${e.message.split("\n")[0]})`));
}

async function dashboard(browser) {
  const s = await serve(["--speed", "120", "--auth", `${USER}:${PASS}`]);
  const context = await browser.newContext({ viewport: { width: 1500, height: 1100 }, httpCredentials: { username: USER, password: PASS } });
  const page = await context.newPage();
  const errors = [];
  // /readyz answers 503 while a node is down, and the browser logs every
  // non-2xx load: that one is the page working, any other is an error.
  page.on("console", (m) => {
    if (m.type() === "error" && !(m.location().url.endsWith("/readyz") && m.text().includes("503"))) errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  const external = [];
  page.on("request", (r) => { if (!r.url().startsWith(s.base)) external.push(r.url()); });

  // Without credentials the page is refused, as every control route is.
  const bare = await fetch(s.base + "/");
  check(bare.status === 401, `GET / without credentials is 401 behind --auth (got ${bare.status})`);

  // Auto-compaction of wikipedia through the Druid API, and a duty run now,
  // so the Druid chart has figures.
  const druidApi = (method, url, body) => fetch(`http://127.0.0.1:${s.druid}${url}`, {
    method, headers: { Authorization: s.auth, "Content-Type": "application/json" }, body: body && JSON.stringify(body) });
  const cfg = await druidApi("POST", "/druid/coordinator/v1/config/compaction",
                             { dataSource: "wikipedia", skipOffsetFromLatest: "PT0S", granularitySpec: { segmentGranularity: "DAY" } });
  check(cfg.status === 200, `the Druid router takes a compaction config (${cfg.status})`);
  await druidApi("POST", "/druid/coordinator/v1/compaction/compact");

  await page.goto(s.base + "/");
  await waitFor(page, () => document.querySelectorAll("#nodes .node").length === 8, null, "the 3 BEs, the FE, the coordinator, the overlord and 2 workers are drawn");
  await waitFor(page, () => typeof state !== "undefined" && state.history && state.history.t.length >= 3, null, "the charts hold at least 3 samples");
  await waitFor(page, () => document.querySelectorAll("#chart-cumulative canvas").length === 1 &&
                            document.querySelectorAll("#chart-base canvas").length === 1 &&
                            document.querySelectorAll("#chart-versions canvas").length === 1, null, "the three Doris charts are drawn");
  await waitFor(page, () => document.querySelectorAll("#backends tbody tr").length === 3 &&
                            document.querySelectorAll("#tablets tbody tr").length > 0, null, "the backends and top tablets tables are filled");
  await waitFor(page, () => document.querySelectorAll("#timeline rect.chunk").length > 0, null, "the segment timeline shows chunks");
  await waitFor(page, () => !document.querySelector("#chart-druid").hidden && document.querySelectorAll("#chart-druid canvas").length === 1 &&
                            state.snapshot.druid.dataSources.find((d) => d.dataSource === "wikipedia").reported,
                null, "the Druid chart shows wikipedia's compaction progress");
  await waitFor(page, () => state.charts.druid && Math.max(...state.charts.druid.data[1].filter((v) => v !== null)) > 0, null,
                "wikipedia has bytes awaiting compaction on the chart");
  const series = await page.evaluate(() => state.charts.cumulative.data.slice(1).map((col) => col.filter((v) => v !== null).length));
  check(series.length === 3 && series.every((n) => n >= 3), `one cumulative-score series per BE, each with data (${series})`);
  const scored = await page.evaluate(() => Math.max(...state.charts.versions.data.slice(1).flat()));
  check(scored > 1, `the version-count chart shows versions piling up (max ${scored})`);
  await layoutHolds(page, "dashboard");
  await shoot(page, "dashboard.png");

  // A tablet's picture.
  await page.click("#tablets tbody tr:first-child");
  await waitFor(page, () => document.querySelectorAll("#tablet-detail rect.rowset").length > 0, null, "clicking a tablet draws its rowsets");
  const cp = await page.evaluate(() => document.querySelector("#tablet-detail h3").textContent);
  check(/rowsets, cumulative score \d+/.test(cp), `the tablet panel names its rowsets and score (${cp})`);
  await page.locator("#tablet-detail").screenshot({ path: path.join(out, "tablet.png") });

  // Crash be:1 through the form.
  await page.selectOption("#fault-kind", "crash");
  await page.selectOption("#fault-target", "be:1");
  await page.click("#fault-form button[type=submit]");
  await waitFor(page, () => document.querySelector('#nodes .node[data-node="be:1"]').dataset.state === "crashed", null, "be:1 turns crashed on the page");
  const ready = await api(s, "GET", "/readyz");
  check(ready.status === 503 && /be:1/.test(ready.json.reason || ""), `/readyz agrees: ${ready.status} ${ready.json && ready.json.reason}`);
  const sent = await page.evaluate(() => document.querySelector("#requests li code").textContent);
  check(sent.includes("curl -X POST") && sent.includes("/sim/v1/faults") && sent.includes('"kind":"crash"') && sent.includes('"target":"be:1"'),
        `the request it sent is shown: ${sent}`);
  await waitFor(page, () => document.querySelector("#ready").textContent.startsWith("not ready"), null, "the readiness pill says not ready");
  await shoot(page, "dashboard-crashed.png");

  // Heal it.
  await page.click("#faults .fault button");
  await waitFor(page, () => document.querySelector('#nodes .node[data-node="be:1"]').dataset.state === "up", null, "healing brings be:1 back up");
  const healed = await api(s, "GET", "/readyz");
  check(healed.status === 200, `/readyz is 200 again (got ${healed.status})`);

  // A fault with parameters: the form is built from the vocabulary.
  await page.selectOption("#fault-kind", "slow_disk");
  const params = await page.evaluate(() => [...document.querySelectorAll("#fault-params input")].map((i) => i.name));
  check(params.join() === "factor", `slow_disk's form asks for its factor (${params})`);
  await page.fill("#fault-params input[name=factor]", "50");
  await page.selectOption("#fault-target", "be:0");
  await page.fill("#fault-form input[name=for]", "10m");
  await page.click("#fault-form button[type=submit]");
  // The newest request is listed first; its answer shows once it came back.
  await waitFor(page, () => { const st = document.querySelector("#requests li .status");
                              return st && document.querySelector("#requests li").textContent.includes("slow_disk") &&
                                     st.textContent.startsWith("201"); },
                null, "the slow disk's POST is answered 201");
  const { faults } = await (await fetch(s.base + "/sim/v1/faults", { headers: { Authorization: s.auth } })).json();
  check(faults.length === 1 && faults[0].kind === "slow_disk" && faults[0].factor === 50 && faults[0].healAt !== null,
        `the slow disk is active with factor 50 and a heal time (${JSON.stringify(faults)})`);
  await page.click("#heal-all");

  // The clock.
  await page.fill("#speed", "240");
  await page.click("#speed-form button");
  await waitFor(page, () => { const li = document.querySelector("#requests li");
                              return li && li.textContent.includes("/sim/v1/clock") && li.querySelector(".status"); },
                null, "the clock's POST is answered");
  const clock = await api(s, "GET", "/sim/v1/clock");
  check(clock.json.speed === 240, `the speed form sets the clock (${clock.json.speed})`);
  await waitFor(page, () => document.querySelector("#speed-now").textContent === "×240", null, "the header shows the new speed");

  // A shipped scenario: a fresh cluster (Doris-only scenarios keep the
  // server's Druid side, live_control::reset) and the scenario's timeline,
  // whose slow disk reaches be:1 at 10m: 2.5 s at this speed.
  const before = await page.evaluate(() => state.since);
  await page.setInputFiles("#scenario-form input[type=file]", path.join(scenarioDir, "doris-slow-disk.json"));
  await page.click("#scenario-form button");
  await waitFor(page, () => document.querySelector("#requests .status") && document.querySelector("#requests .status").textContent.startsWith("200"),
                null, "applying doris-slow-disk.json answers 200");
  await waitFor(page, () => document.querySelector('#nodes .node[data-node="be:1"]').textContent.includes("slow_disk"), null,
                "the scenario's slow disk arrives on be:1", 10000);
  await waitFor(page, (t) => state.history && state.history.t.length >= 2 && state.history.t[0] > t, before,
                "the charts start again after the reset");
  await layoutHolds(page, "dashboard after a scenario");
  await shoot(page, "dashboard-scenario.png");

  check(errors.length === 0, `no console errors (${errors.join(" | ")})`);
  check(external.length === 0, `nothing was loaded from elsewhere (${external.join(", ")})`);
  await context.close();
  s.child.kill("SIGTERM");
}

// 100 BEs and 10,000 tablets: what a poll costs the server and the page.
async function atScale(browser) {
  const cfg = path.join(out, "scale-cluster.json");
  const tables = [];
  for (let i = 0; i < 10; i++)
    tables.push({ id: 20000 + i, name: `t${i}`, keys_type: "DUP_KEYS", buckets: 1000, replication_num: 1, initial_loads: 5 });
  fs.writeFileSync(cfg, JSON.stringify({ doris: { backends: 100, tables,
    workloads: tables.map((t) => ({ table: t.id, loads_per_second: 0.5, rows_per_load: 1000 })) }, druid: { enabled: false } }));
  const s = await serve(["--config", cfg, "--speed", "10", "--auth", `${USER}:${PASS}`], 100);
  const times = [];
  let size = 0;
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    const r = await fetch(s.base + "/sim/v1/dashboard?top=25&since=" + (i === 0 ? -1 : Number.MAX_SAFE_INTEGER), { headers: { Authorization: s.auth } });
    size = (await r.text()).length;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(`figure: 100 BEs, 10,000 tablets: /sim/v1/dashboard median ${times[10].toFixed(1)} ms, max ${times[19].toFixed(1)} ms, ${size} bytes`);
  const context = await browser.newContext({ viewport: { width: 1500, height: 1100 }, httpCredentials: { username: USER, password: PASS } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await page.goto(s.base + "/");
  await waitFor(page, () => document.querySelectorAll("#backends tbody tr").length === 100 && state.history && state.history.t.length >= 4,
                null, "100 BEs are listed and charted", 30000);
  const frame = await page.evaluate(async () => {
    const t0 = performance.now();
    render();
    return performance.now() - t0;
  });
  // A figure, not a check: timings on a shared machine are noise.
  console.log(`figure: 100 BEs: one render of the page takes ${frame.toFixed(1)} ms`);
  check(errors.length === 0, `no console errors at scale (${errors.join(" | ")})`);
  await layoutHolds(page, "100 BEs");
  await page.screenshot({ path: path.join(out, "dashboard-100-bes.png"), fullPage: false });
  await context.close();
  s.child.kill("SIGTERM");
}

async function reports(browser) {
  const pass = path.join(out, "report-pass.html"), fail = path.join(out, "report-fail.html");
  execFileSync(bin, ["run", path.join(scenarioDir, "doris-slow-disk.json"), "--quiet", "--html", pass]);
  // The same scenario with a bound the slow BE cannot meet.
  const sc = JSON.parse(fs.readFileSync(path.join(scenarioDir, "doris-slow-disk.json"), "utf8").replace(/^\s*\/\/.*$/gm, ""));
  sc.name = "doris-slow-disk-failing";
  sc.steps[1].assert.min = 100000;
  const failing = path.join(out, "failing.json");
  fs.writeFileSync(failing, JSON.stringify(sc));
  let code = 0;
  try { execFileSync(bin, ["run", failing, "--quiet", "--html", fail], { stdio: "ignore" }); } catch (e) { code = e.status; }
  check(code === 1, `the failing run exits 1 (${code})`);
  for (const [file, passed] of [[pass, true], [fail, false]]) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, offline: true });
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    await page.goto("file://" + file);
    const name = path.basename(file);
    await waitFor(page, () => document.querySelectorAll("#charts canvas").length > 0, null, `${name}: the charts are drawn offline`);
    const verdict = await page.textContent("#verdict");
    check(verdict === (passed ? "PASSED" : "FAILED"), `${name}: the verdict says ${verdict}`);
    const n = await page.evaluate(() => ({ series: JSON.parse(document.getElementById("report-data").textContent).series.length,
                                           charts: document.querySelectorAll("#charts .uplot").length,
                                           bands: document.querySelectorAll("#timeline rect.band").length,
                                           failures: document.querySelectorAll("#timeline line.failure").length,
                                           failedRows: document.querySelectorAll("#checks tr.failed").length,
                                           replay: document.querySelector("#replay").textContent,
                                           marked: document.querySelectorAll("figcaption .failed").length }));
    check(n.charts === n.series && n.series >= 3, `${name}: a chart per checked metric (${n.charts} of ${n.series})`);
    check(n.bands === 1, `${name}: the slow disk is one band on the timeline (${n.bands})`);
    check(/^compactsim run .*--seed 13$/.test(n.replay), `${name}: the replay command (${n.replay})`);
    if (passed) {
      check(n.failures === 0 && n.failedRows === 0, `${name}: nothing marked failed`);
    } else {
      check(n.failures === 1 && n.failedRows === 1 && n.marked === 1,
            `${name}: the failure is marked on the timeline, its chart and in the table (${n.failures}, ${n.marked}, ${n.failedRows})`);
    }
    check(errors.length === 0, `${name}: no console errors (${errors.join(" | ")})`);
    await layoutHolds(page, name);
    await shoot(page, name.replace(".html", ".png"));
    await context.close();
  }
}

(async () => {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
  try {
    await dashboard(browser);
    await reports(browser);
    await atScale(browser);
  } catch (e) {
    check(false, "the test ran to the end: " + (e.stack || e));
  } finally {
    await browser.close();
    for (const c of children) c.kill("SIGKILL");
    clearTimeout(deadline);
  }
  console.log(failures ? `${failures} checks failed; screenshots in ${out}` : `all checks passed; screenshots in ${out}`);
  process.exit(failures ? 1 : 0);
})();
