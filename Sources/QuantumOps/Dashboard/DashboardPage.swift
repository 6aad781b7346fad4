/// The dashboard's one page: self-contained (inline CSS and JavaScript, no CDN), fed by `/api/state` and the `/api/events` stream.
enum DashboardPage {
    static let html = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Quantum Trader</title>
<link rel="icon" href="data:,">
<style>
:root { --bg:#0e1116; --card:#161b22; --line:#262d36; --fg:#d6dde6; --dim:#8b96a3; --acc:#58a6ff;
        --up:#3fb950; --warn:#d29922; --bad:#f85149; --mute:#6e7681; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--fg); font:13px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; }
header { display:flex; flex-wrap:wrap; align-items:center; gap:10px 16px; padding:10px 16px; border-bottom:1px solid var(--line); background:var(--card); }
header h1 { font-size:16px; margin:0; letter-spacing:.3px; }
#description { color:var(--dim); flex:1 1 300px; }
#as-of { color:var(--dim); font-family:ui-monospace,Menlo,Consolas,monospace; }
.badge { padding:2px 9px; border-radius:10px; font-weight:600; font-size:12px; text-transform:uppercase; background:var(--mute); color:#fff; }
.badge.live { background:#1f6f35; } .badge.disconnected { background:#8e1f1a; } .badge.connecting { background:#5a4a12; }
main { display:grid; grid-template-columns:repeat(auto-fit,minmax(400px,1fr)); gap:12px; padding:12px 16px; }
section { background:var(--card); border:1px solid var(--line); border-radius:6px; padding:10px 12px; min-width:0; }
section.wide { grid-column:1/-1; }
section.alarm { border-color:var(--bad); box-shadow:0 0 0 1px var(--bad) inset; }
h2 { font-size:12px; text-transform:uppercase; letter-spacing:.8px; color:var(--dim); margin:0 0 8px; }
h2.sub { margin-top:14px; }
.scroll { overflow-x:auto; }
table { width:100%; border-collapse:collapse; font-variant-numeric:tabular-nums; }
th, td { text-align:left; padding:3px 8px; border-bottom:1px solid var(--line); white-space:nowrap; }
th { color:var(--dim); font-weight:500; font-size:12px; }
td.n, th.n { text-align:right; }
tr.empty td { color:var(--dim); font-style:italic; text-align:center; }
tbody tr:hover { background:#1c232c; }
.verdict-up { color:var(--up); } .verdict-stale { color:var(--warn); }
.verdict-dead, .verdict-missing { color:var(--bad); font-weight:600; } .verdict-stopped, .verdict-unknown { color:var(--mute); }
.pnl-pos { color:var(--up); } .pnl-neg { color:var(--bad); }
.stop-live { color:var(--up); } .stop-missing { color:var(--bad); font-weight:600; }
.side-LONG { color:var(--up); } .side-SHORT { color:var(--bad); }
.dec-EXECUTED { color:var(--up); } .dec-REJECTED, .dec-FAILED, .dec-DEAD_LETTER { color:var(--bad); }
.figs { display:flex; flex-wrap:wrap; gap:8px 24px; margin-bottom:8px; }
.fig span { display:block; color:var(--dim); font-size:11px; text-transform:uppercase; }
.fig b { font-size:18px; font-variant-numeric:tabular-nums; font-weight:600; }
.chart { position:relative; height:170px; border:1px solid var(--line); border-radius:4px; background:#0b0e13; }
#equity-curve { width:100%; height:100%; display:block; }
#equity-curve path { fill:none; stroke:var(--acc); stroke-width:1.6; vector-effect:non-scaling-stroke; }
.chart .lbl { position:absolute; left:6px; font-size:11px; color:var(--dim); font-family:ui-monospace,Menlo,Consolas,monospace; background:#0b0e13cc; padding:0 3px; }
#curve-max { top:2px; } #curve-min { bottom:2px; }
dl { display:grid; grid-template-columns:max-content 1fr; gap:3px 14px; margin:0; font-variant-numeric:tabular-nums; }
dt { color:var(--dim); } dd { margin:0; overflow-wrap:anywhere; }
#kill-switch-state { font-weight:700; padding:1px 8px; border-radius:4px; }
#kill-switch-state.ks-active { background:var(--bad); color:#fff; } #kill-switch-state.ks-off { background:#1f3a26; color:var(--up); }
form { display:flex; flex-wrap:wrap; gap:6px; margin-top:10px; padding-top:10px; border-top:1px solid var(--line); }
input { background:#0b0e13; color:var(--fg); border:1px solid var(--line); border-radius:4px; padding:5px 7px; font:inherit; flex:1 1 140px; min-width:0; }
button { border:0; border-radius:4px; padding:5px 12px; font:inherit; font-weight:600; cursor:pointer; color:#fff; }
button:disabled { opacity:.5; cursor:wait; }
#halt-button { background:#b62324; } #resume-button { background:#2f6f3e; }
#kill-message { flex-basis:100%; min-height:1.4em; color:var(--dim); }
#kill-message.ok { color:var(--up); } #kill-message.err { color:var(--bad); }
</style>
</head>
<body>
<header>
  <h1>Quantum Trader</h1>
  <span id="status" class="badge connecting">connecting</span>
  <span id="as-of">–</span>
  <span id="description"></span>
</header>
<main>
  <section id="account">
    <h2>Account</h2>
    <div class="figs">
      <div class="fig"><span>Equity</span><b id="equity-value">–</b></div>
      <div class="fig"><span>Realized PnL</span><b id="realized-pnl">–</b></div>
      <div class="fig"><span>Fees</span><b id="fees">–</b></div>
    </div>
    <div class="chart">
      <svg id="equity-curve" viewBox="0 0 600 160" preserveAspectRatio="none"><path d=""></path></svg>
      <span class="lbl" id="curve-max"></span><span class="lbl" id="curve-min"></span>
    </div>
  </section>
  <section id="guards-card">
    <h2>Guards</h2>
    <dl id="guards">
      <dt>Kill switch</dt><dd><span id="kill-switch-state">–</span> <span id="kill-switch-reason"></span> <span id="kill-switch-since"></span></dd>
      <dt>Exit path halted</dt><dd id="exit-path-halted">–</dd>
      <dt>Unprotected</dt><dd id="unprotected">–</dd>
      <dt>Halted symbols</dt><dd id="halted-symbols">–</dd>
      <dt>Open pauses</dt><dd id="open-pauses">–</dd>
      <dt>Churn pauses</dt><dd id="churn-pauses">–</dd>
    </dl>
    <form id="kill-switch-form" autocomplete="off">
      <input type="password" id="kill-token" placeholder="operator token" autocomplete="off" spellcheck="false">
      <input type="text" id="kill-reason" placeholder="reason (for halt)" maxlength="200">
      <button type="button" id="halt-button">Halt</button>
      <button type="button" id="resume-button">Resume</button>
      <div id="kill-message"></div>
    </form>
  </section>
  <section>
    <h2>Harvest</h2>
    <dl id="harvest">
      <dt>Exits executed</dt><dd id="h-exits-executed">–</dd>
      <dt>Exit deadline misses</dt><dd id="h-exit-deadline-misses">–</dd>
      <dt>Unprotected position time</dt><dd id="h-unprotected-seconds">–</dd>
      <dt>Winners scaled</dt><dd id="h-winners-scaled">–</dd>
      <dt>Losers cut</dt><dd id="h-losers-cut">–</dd>
      <dt>Positions closed</dt><dd id="h-positions-closed">–</dd>
      <dt>Average R captured</dt><dd id="h-avg-r">–</dd>
      <dt>Close rate</dt><dd id="h-close-rate">–</dd>
      <dt>Exits by reason</dt><dd id="h-exits-by-reason">–</dd>
    </dl>
    <h2 class="sub">Counts</h2>
    <dl id="counts">
      <dt>Plans</dt><dd id="c-plans">–</dd>
      <dt>Orders sent</dt><dd id="c-orders-sent">–</dd>
      <dt>Fills</dt><dd id="c-fills">–</dd>
      <dt>Duplicates prevented</dt><dd id="c-duplicates-prevented">–</dd>
      <dt>Dead letters</dt><dd id="c-dead-letters">–</dd>
    </dl>
  </section>
  <section class="wide">
    <h2>Services</h2>
    <div class="scroll"><table id="services">
      <thead><tr><th>Service</th><th>Verdict</th><th class="n">Heartbeat age (s)</th><th class="n">Restarts</th><th class="n">Processed</th><th class="n">Lag</th></tr></thead>
      <tbody></tbody></table></div>
  </section>
  <section class="wide">
    <h2>Positions</h2>
    <div class="scroll"><table id="positions">
      <thead><tr><th>Symbol</th><th>Side</th><th class="n">Qty</th><th class="n">Entry</th><th class="n">Mark</th><th class="n">Unrealized PnL</th><th class="n">R</th><th>Protective stop</th><th class="n">Epoch</th><th>Opened (UTC)</th></tr></thead>
      <tbody></tbody></table></div>
  </section>
  <section class="wide">
    <h2>Recent plans</h2>
    <div class="scroll"><table id="plans">
      <thead><tr><th>Time (UTC)</th><th>Symbol</th><th>Action</th><th>Source</th><th>Plan id</th></tr></thead>
      <tbody></tbody></table></div>
  </section>
  <section class="wide">
    <h2>Recent results</h2>
    <div class="scroll"><table id="results">
      <thead><tr><th>Time (UTC)</th><th>Symbol</th><th>Action</th><th>Decision</th><th>Detail</th></tr></thead>
      <tbody></tbody></table></div>
  </section>
</main>
<script>
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const DASH = "–";
  const txt = (v) => (v === null || v === undefined || v === "") ? DASH : String(v);
  const fix = (v, d) => (v === null || v === undefined || v === "" || !isFinite(Number(v))) ? DASH : Number(v).toFixed(d);
  const isoOf = (ms) => (typeof ms === "number" && isFinite(ms)) ? new Date(ms).toISOString() : txt(ms);
  const shortTime = (ms) => { const s = isoOf(ms); return /^\d{4}-\d\d-\d\dT/.test(s) ? s.slice(5, 19).replace("T", " ") : s; };
  const isNeg = (s) => /^\s*-/.test(String(s)) && /[1-9]/.test(String(s));
  const setText = (id, v) => { const e = $(id); if (e) e.textContent = txt(v); };
  const span = (text, cls) => { const e = document.createElement("span"); e.textContent = text; if (cls) e.className = cls; return e; };
  const clsSafe = (s) => String(s == null ? "" : s).replace(/[^A-Za-z0-9_-]/g, "_");

  // cell: plain value | {t: text, c: className, n: numeric, title} | Node | [Node, ...]
  function row(cells, attrs) {
    const tr = document.createElement("tr");
    for (const k in (attrs || {})) tr.setAttribute(k, attrs[k] == null ? "" : String(attrs[k]));
    for (const c of cells) {
      const td = document.createElement("td");
      if (c instanceof Node) td.appendChild(c);
      else if (Array.isArray(c)) c.forEach((n) => td.appendChild(n));
      else if (c !== null && typeof c === "object") {
        td.textContent = txt(c.t);
        td.className = [c.c || "", c.n ? "n" : ""].join(" ").trim();
        if (c.title) td.title = c.title;
      } else td.textContent = txt(c);
      tr.appendChild(td);
    }
    return tr;
  }
  function fill(tableId, items, emptyText, make) {
    const table = $(tableId), tbody = table.tBodies[0];
    const list = Array.isArray(items) ? items : [];
    if (list.length === 0) {
      const tr = document.createElement("tr"), td = document.createElement("td");
      tr.className = "empty"; td.colSpan = table.tHead.rows[0].cells.length; td.textContent = emptyText;
      tr.appendChild(td); tbody.replaceChildren(tr); return;
    }
    tbody.replaceChildren(...list.map(make));
  }
  const newestFirst = (xs) => (Array.isArray(xs) ? xs.slice() : []).sort((a, b) => (Number(b && b.ts) || 0) - (Number(a && a.ts) || 0));
  const VERDICTS = ["up", "stale", "dead", "missing", "stopped"];

  function renderServices(s) {
    fill("services", s.services, "no services reported", (v) => row([
      v.service,
      { t: v.verdict, c: "verdict-" + (VERDICTS.includes(v.verdict) ? v.verdict : "unknown") },
      { t: fix(v.age_seconds, 1), n: 1 }, { t: v.restarts, n: 1 }, { t: v.processed, n: 1 }, { t: v.lag, n: 1 }
    ], { "data-service": v.service }));
  }
  function renderPositions(s) {
    fill("positions", s.positions, "no open positions", (p) => {
      const stop = [span(txt(p.stop_loss) + " ")];
      stop.push(p.stop_live ? span("✓ live", "stop-live") : span("✗ missing", "stop-missing"));
      return row([
        p.symbol, { t: p.side, c: "side-" + clsSafe(p.side) },
        { t: p.quantity, n: 1 }, { t: p.entry_price, n: 1 }, { t: p.mark_price, n: 1 },
        { t: p.unrealized_pnl, n: 1, c: isNeg(p.unrealized_pnl) ? "pnl-neg" : "pnl-pos" },
        { t: fix(p.r, 2), n: 1, c: p.r == null ? "" : (Number(p.r) < 0 ? "pnl-neg" : "pnl-pos") },
        stop, { t: p.epoch, n: 1 }, { t: shortTime(p.opened_at), title: isoOf(p.opened_at) }
      ], { "data-symbol": p.symbol });
    });
  }
  function renderMoney(s) {
    const money = (id, v, signed) => {
      const e = $(id); e.textContent = v == null ? DASH : String(v) + " USDT";
      if (signed) e.className = v == null ? "" : (isNeg(v) ? "pnl-neg" : "pnl-pos");
    };
    money("equity-value", s.equity); money("realized-pnl", s.realized_pnl, true); money("fees", s.fees);
  }
  function renderCurve(s) {
    const path = $("equity-curve").querySelector("path");
    const pts = (Array.isArray(s.equity_curve) ? s.equity_curve : [])
      .filter((p) => Array.isArray(p) && isFinite(Number(p[0])) && isFinite(parseFloat(p[1])))
      .map((p) => ({ x: Number(p[0]), y: parseFloat(p[1]), raw: String(p[1]) }));
    if (pts.length < 2) { path.setAttribute("d", ""); $("curve-max").textContent = ""; $("curve-min").textContent = pts.length ? pts[0].raw + " USDT" : "no equity history"; return; }
    let lo = pts[0], hi = pts[0], x0 = Infinity, x1 = -Infinity;
    for (const p of pts) { if (p.y < lo.y) lo = p; if (p.y > hi.y) hi = p; x0 = Math.min(x0, p.x); x1 = Math.max(x1, p.x); }
    const W = 600, H = 160, PAD = 20, dx = (x1 - x0) || 1, dy = hi.y - lo.y;
    const sx = (x) => ((x - x0) / dx) * W;
    const sy = (y) => dy === 0 ? H / 2 : PAD + (1 - (y - lo.y) / dy) * (H - 2 * PAD);
    path.setAttribute("d", pts.map((p, i) => (i ? "L" : "M") + sx(p.x).toFixed(1) + " " + sy(p.y).toFixed(1)).join(" "));
    $("curve-max").textContent = "max " + hi.raw + " USDT";
    $("curve-min").textContent = "min " + lo.raw + " USDT";
  }
  function renderPlans(s) {
    fill("plans", newestFirst(s.plans), "no plans yet", (p) => row([
      { t: shortTime(p.ts), title: isoOf(p.ts) }, p.symbol, p.action, p.source, p.plan_id
    ], { "data-plan-id": p.plan_id }));
  }
  function renderResults(s) {
    fill("results", newestFirst(s.results), "no results yet", (r) => row([
      { t: shortTime(r.ts), title: isoOf(r.ts) }, r.symbol, r.action, { t: r.decision, c: "dec-" + clsSafe(r.decision) }, r.detail
    ], { "data-plan-id": r.plan_id, "data-decision": r.decision }));
  }
  function renderHarvest(s) {
    const h = s.harvest || {};
    setText("h-exits-executed", h.exits_executed); setText("h-exit-deadline-misses", h.exit_deadline_misses);
    setText("h-unprotected-seconds", h.unprotected_position_seconds == null ? null : fix(h.unprotected_position_seconds, 1) + " s");
    setText("h-winners-scaled", h.winners_scaled); setText("h-losers-cut", h.losers_cut);
    setText("h-positions-closed", h.positions_closed); setText("h-avg-r", fix(h.avg_r_captured, 2));
    setText("h-close-rate", h.close_rate == null ? null : fix(Number(h.close_rate) * 100, 1) + "%");
    const by = h.exits_by_reason && typeof h.exits_by_reason === "object" ? Object.entries(h.exits_by_reason) : [];
    by.sort((a, b) => (Number(b[1]) || 0) - (Number(a[1]) || 0) || String(a[0]).localeCompare(String(b[0])));
    setText("h-exits-by-reason", by.map(([k, v]) => k + " " + v).join(", "));
    const miss = Number(h.exit_deadline_misses) > 0;
    $("h-exit-deadline-misses").className = miss ? "pnl-neg" : "";
  }
  function renderCounts(s) {
    const c = s.counts || {};
    setText("c-plans", c.plans); setText("c-orders-sent", c.orders_sent); setText("c-fills", c.fills);
    setText("c-duplicates-prevented", c.duplicates_prevented); setText("c-dead-letters", c.dead_letters);
    $("c-dead-letters").className = Number(c.dead_letters) > 0 ? "pnl-neg" : "";
  }
  const label = (x) => (x !== null && typeof x === "object") ? txt(x.symbol || x.service || x.name || JSON.stringify(x)) : txt(x);
  function renderKillSwitch(k) {
    k = k || {};
    const st = $("kill-switch-state");
    st.textContent = k.active ? "ACTIVE" : "off";
    st.className = k.active ? "ks-active" : "ks-off";
    $("kill-switch-reason").textContent = k.active && k.reason != null ? "— " + String(k.reason) : "";
    $("kill-switch-since").textContent = k.since != null ? "since " + isoOf(k.since) : "";
    $("guards-card").classList.toggle("alarm", !!k.active);
  }
  function renderGuards(s) {
    const g = s.guards || {};
    renderKillSwitch(g.kill_switch);
    const list = (id, xs) => { const a = Array.isArray(xs) ? xs : []; setText(id, a.length ? a.map(label).join(", ") : "none"); $(id).className = a.length ? "pnl-neg" : ""; };
    list("exit-path-halted", g.exit_path_halted); list("unprotected", g.unprotected);
    const hs = g.halted_symbols && typeof g.halted_symbols === "object" ? Object.entries(g.halted_symbols) : [];
    const lifts = g.halts_lift && typeof g.halts_lift === "object" ? g.halts_lift : {};
    setText("halted-symbols", hs.length ? hs.map(([k, v]) => k + (v == null || v === true ? "" : " (" + (typeof v === "object" ? txt(v.reason || JSON.stringify(v)) : String(v)) + ")")
      + (lifts[k] != null ? " until " + isoOf(lifts[k]) : " until resumed")).join(", ") : "none");
    $("halted-symbols").className = hs.length ? "pnl-neg" : "";
    const ps = g.open_pauses && typeof g.open_pauses === "object" ? Object.entries(g.open_pauses) : [];
    setText("open-pauses", ps.length ? ps.map(([k, v]) => label(k) + " until " + isoOf(v)).join(", ") : "none");
    $("open-pauses").className = ps.length ? "pnl-neg" : "";
    const cs = g.churn_pauses && typeof g.churn_pauses === "object" ? Object.entries(g.churn_pauses) : [];
    setText("churn-pauses", cs.length ? cs.map(([k, v]) => k + " until " + isoOf(v)).join(", ") : "none");
    $("churn-pauses").className = cs.length ? "pnl-neg" : "";
  }

  let lastAsOf = -Infinity;
  function render(s, force) {
    if (!s || typeof s !== "object") return;
    const t = Number(s.as_of);
    if (!force && isFinite(t) && t < lastAsOf) return;   // never let an older snapshot overwrite a newer one
    if (isFinite(t)) lastAsOf = t;
    $("as-of").textContent = isFinite(t) ? new Date(t).toISOString() : DASH;
    $("description").textContent = s.description == null ? "" : String(s.description);
    for (const f of [renderServices, renderPositions, renderMoney, renderCurve, renderPlans, renderResults, renderHarvest, renderCounts, renderGuards]) {
      try { f(s); } catch (e) { console.error("render", f.name, e); }
    }
  }
  function setStatus(st) { const b = $("status"); b.textContent = st; b.className = "badge " + st; }

  fetch("/api/state", { cache: "no-store" })
    .then((r) => r.ok ? r.json() : Promise.reject(new Error("HTTP " + r.status)))
    .then((s) => render(s, false))
    .catch((e) => console.error("initial state", e));

  let es = null;
  function connect() {
    es = new EventSource("/api/events");
    es.onmessage = (ev) => {
      let s; try { s = JSON.parse(ev.data); } catch (e) { console.error("bad event", e); return; }
      render(s, false); setStatus("live");
    };
    es.onerror = () => {
      setStatus("disconnected");
      if (es.readyState === EventSource.CLOSED) { es.close(); setTimeout(connect, 3000); }  // browser gave up: retry ourselves
    };
  }
  connect();

  // Kill switch: the token lives only in the password input.
  const haltBtn = $("halt-button"), resumeBtn = $("resume-button"), msg = $("kill-message");
  function say(text, cls) { msg.textContent = text; msg.className = cls || ""; }
  async function send(action) {
    const token = $("kill-token").value.trim();
    if (!token) { say("paste the operator token first", "err"); return; }
    const body = { action: action };
    if (action === "halt") body.reason = $("kill-reason").value.trim() || "manual halt from dashboard";
    haltBtn.disabled = resumeBtn.disabled = true; say(action + "…", "");
    try {
      const r = await fetch("/api/kill-switch", {
        method: "POST", cache: "no-store",
        headers: { "Authorization": "Bearer " + token, "Content-Type": "application/json" },
        body: JSON.stringify(body)
      });
      let j = null; try { j = await r.json(); } catch (e) { /* non-JSON body */ }
      if (r.ok && j && j.ok) {
        if (j.kill_switch) renderKillSwitch(j.kill_switch);
        say(action === "halt" ? "kill switch ACTIVE" : "kill switch off — trading resumed", "ok");
      } else {
        say("HTTP " + r.status + (j && j.error ? ": " + String(j.error) : ""), "err");
      }
    } catch (e) {
      say("request failed: " + String(e && e.message || e), "err");
    } finally { haltBtn.disabled = resumeBtn.disabled = false; }
  }
  haltBtn.addEventListener("click", () => send("halt"));
  resumeBtn.addEventListener("click", () => send("resume"));
  $("kill-switch-form").addEventListener("submit", (e) => e.preventDefault());
})();
</script>
</body>
</html>
"""#
}
