/* phraseguard QA report: renders the data embedded in #pg-data.
 *
 * Safety: data only ever reaches the page as text nodes or attribute values
 * set through the DOM (never innerHTML), so a transcript holding markup shows
 * as text. Speed: the page embeds the unfiltered overview, ready to draw, and
 * every call in compact columns (one array per field) from which a filter
 * recomputes it; a call's transcript is in its shard, loaded (a <script> file
 * beside the page, or a JSON block in a single-file page) and drawn only when
 * the call is opened; the call list shows one page at a time.
 */
(function () {
  "use strict";

  var PAGE_SIZE = 50;
  var TOP_RULES = 10;
  var TOP_AGENT_RULES = 3;
  // The agent chart shows the lowest scorers (who to coach first); every
  // agent still has a card.
  var TOP_AGENT_BARS = 40;
  var SVG_NS = "http://www.w3.org/2000/svg";
  // Score bands: the colours a supervisor reads first.
  var GOOD = 90;
  var FAIR = 75;
  var STATUSES = ["ok", "failed", "in_progress"];
  var AUDIO = 1;
  var AUDIO_MISSING = 2;

  var data = JSON.parse(document.getElementById("pg-data").textContent);
  var cols = data.calls;
  var names = data.names;
  var rules = data.rules;
  var total = cols.cid.length;
  var everyCall = [];
  for (var ci = 0; ci < total; ci++) everyCall.push(ci);
  var state = { agent: "", team: "", rule: "", from: "", to: "", sort: "date", page: 0 };
  // The call flow's checklists, timelines and rates (report_flow.js, loaded first).
  var flow = window.phraseguardFlow(data, { el: el, clock: clock, fmt: fmt });

  // -- DOM helpers ---------------------------------------------------------

  function el(tag, attrs) {
    var node = document.createElement(tag);
    setAttrs(node, attrs);
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }

  function svg(tag, attrs) {
    var node = document.createElementNS(SVG_NS, tag);
    setAttrs(node, attrs);
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }

  function setAttrs(node, attrs) {
    if (!attrs) return;
    Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === "text") node.textContent = v;
      else if (k.slice(0, 2) === "on") node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : String(v));
    });
  }

  function append(node, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) child.forEach(function (c) { append(node, c); });
    else if (typeof child === "string" || typeof child === "number")
      node.appendChild(document.createTextNode(String(child)));
    else node.appendChild(child);
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  function $(id) { return document.getElementById(id); }

  // -- formatting ------------------------------------------------------------

  function fmt(n, digits) {
    if (n === null || n === undefined || isNaN(n)) return "–";
    return Number(n).toFixed(digits === undefined ? 1 : digits);
  }

  function clock(seconds) {
    if (seconds === null || seconds === undefined) return "";
    var s = Math.max(0, Math.floor(seconds));
    var m = Math.floor(s / 60);
    var h = Math.floor(m / 60);
    var mm = h ? String(m % 60).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(s % 60).padStart(2, "0");
  }

  function band(score) {
    if (score === null || score === undefined) return "none";
    return score >= GOOD ? "good" : score >= FAIR ? "fair" : "poor";
  }

  function scorePill(score) {
    return el("span", { class: "pill score-" + band(score), text: fmt(score) });
  }

  function basename(path) {
    if (!path) return "";
    var parts = String(path).split(/[\\/]/);
    return parts[parts.length - 1];
  }

  // -- one call from the compact columns ---------------------------------------

  function agentOf(i) { return names.agents[cols.agent[i]]; }
  function teamOf(i) { return cols.team[i] < 0 ? null : names.teams[cols.team[i]]; }
  function dayOf(i) { return cols.day[i] < 0 ? null : names.days[cols.day[i]]; }
  function statusOf(i) { return STATUSES[cols.status[i]]; }
  function two(n) { return String(n).padStart(2, "0"); }
  // A time of day is written as seconds since midnight (a third of the bytes).
  function timeOf(i) {
    var t = cols.time[i];
    if (typeof t !== "number") return t;
    return "T" + two(Math.floor(t / 3600)) + ":" + two(Math.floor(t / 60) % 60) + ":" + two(t % 60);
  }
  function dateOf(i) { return cols.day[i] < 0 ? timeOf(i) : dayOf(i) + timeOf(i); }
  function isScored(i) { return cols.status[i] === 0 && cols.score[i] !== null; }

  // -- filtering and aggregation ---------------------------------------------

  function filtered() {
    return !!(state.agent || state.team || state.rule || state.from || state.to);
  }

  function hasRule(i, rule) {
    var d = cols.ded[i];
    if (!d) return false;
    for (var k = 0; k < d.length; k += 2) if (names.rules[d[k]] === rule) return true;
    return false;
  }

  function matches(i) {
    if (state.agent && agentOf(i) !== state.agent) return false;
    if (state.team && teamOf(i) !== state.team) return false;
    if (state.rule && !hasRule(i, state.rule)) return false;
    if (state.from || state.to) {
      var day = dayOf(i);
      if (!day || (state.from && day < state.from) || (state.to && day > state.to)) return false;
    }
    return true;
  }

  function mean(values) {
    if (!values.length) return null;
    return values.reduce(function (a, b) { return a + b; }, 0) / values.length;
  }

  function byCountThenRule(a, b) {
    return b.count - a.count || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);
  }

  // Rules by how often they deducted, ties by rule id (as the terminal report).
  function ruleCounts(list, only) {
    var counts = {};
    list.forEach(function (i) {
      var d = cols.ded[i];
      if (!d) return;
      for (var k = 0; k < d.length; k += 2) {
        var rule = names.rules[d[k]];
        if (only && rule !== only) continue;
        var entry = counts[rule] || (counts[rule] = { rule: rule, count: 0, points: 0 });
        entry.count += 1;
        entry.points += d[k + 1];
      }
    });
    return Object.keys(counts).map(function (k) { return counts[k]; }).sort(byCountThenRule);
  }

  // Per agent, over finished calls: the same numbers as `phraseguard report`.
  function agentSummaries(list) {
    var groups = {};
    list.forEach(function (i) {
      if (!isScored(i)) return;
      var name = agentOf(i);
      (groups[name] || (groups[name] = [])).push(i);
    });
    return Object.keys(groups).map(function (name) {
      var cs = groups[name];
      var talk = cs.reduce(function (a, i) { return a + (cols.talk[i] || 0); }, 0);
      var hits = cs.reduce(function (a, i) { return a + cols.n[i]; }, 0);
      var teams = {};
      cs.forEach(function (i) { var t = teamOf(i); if (t) teams[t] = (teams[t] || 0) + 1; });
      var team = Object.keys(teams).sort(function (a, b) { return teams[b] - teams[a]; })[0];
      var scores = cs.map(function (i) { return cols.score[i]; });
      return {
        agent: name,
        team: team || null,
        calls: cs.length,
        mean: mean(scores),
        min: Math.min.apply(null, scores),
        talk: talk,
        hits: hits,
        perHour: talk > 0 ? hits / (talk / 3600) : null,
        top: ruleCounts(cs, state.rule).slice(0, TOP_AGENT_RULES),
        flow: flow.rates(cs),
      };
    }).sort(function (a, b) {
      return a.mean - b.mean || (a.agent < b.agent ? -1 : a.agent > b.agent ? 1 : 0);
    });
  }

  // Mean score and deductions per day, over finished calls.
  function daySummaries(list) {
    var byDay = {};
    list.forEach(function (i) {
      var day = dayOf(i);
      if (!day || !isScored(i)) return;
      var d = byDay[day] || (byDay[day] = { day: day, calls: 0, sum: 0, hits: 0 });
      d.calls += 1;
      d.sum += cols.score[i];
      d.hits += cols.n[i];
    });
    return Object.keys(byDay).sort().map(function (k) {
      var d = byDay[k];
      return { day: k, mean: d.sum / d.calls, calls: d.calls, hits: d.hits };
    });
  }

  // Everything the overview shows: embedded for the whole report (the store's
  // own roll-ups), recomputed from the call columns under a filter.
  function overview(list) {
    if (!filtered()) return data.summary;
    var ok = list.filter(isScored);
    var agents = agentSummaries(list);
    return {
      calls: list.length,
      failed: list.filter(function (i) { return cols.status[i] === 1; }).length,
      mean: mean(ok.map(function (i) { return cols.score[i]; })),
      deductions: ok.reduce(function (a, i) { return a + cols.n[i]; }, 0),
      talk: ok.reduce(function (a, i) { return a + (cols.talk[i] || 0); }, 0),
      agents: agents,
      rules: ruleCounts(list, state.rule).slice(0, TOP_RULES),
      days: daySummaries(list),
    };
  }

  // -- charts (inline SVG) -----------------------------------------------------

  var MIN_CHART_W = 320;
  var LABEL_W = 150;
  var ROW_H = 26;

  // Charts are drawn at the width of their box, so text keeps its real size.
  function boxWidth(box) {
    return Math.max(MIN_CHART_W, Math.floor(box.clientWidth || 560));
  }

  function truncate(text, max) {
    return text.length > max ? text.slice(0, max - 1) + "…" : text;
  }

  // Horizontal bars: [{label, value, text, cls, title, onclick}].
  function hbarChart(items, maxValue, width) {
    var height = items.length * ROW_H + 8;
    var plot = width - LABEL_W - 56;
    var root = svg("svg", {
      viewBox: "0 0 " + width + " " + height, class: "bars", role: "img",
      width: width, height: height,
    });
    items.forEach(function (it, i) {
      var y = 4 + i * ROW_H;
      var w = maxValue > 0 ? Math.max(2, (it.value / maxValue) * plot) : 2;
      var g = svg("g", { class: "row" + (it.onclick ? " clickable" : ""), onclick: it.onclick });
      g.appendChild(svg("title", { text: it.title || it.label + ": " + it.text }));
      g.appendChild(svg("text", { x: LABEL_W - 8, y: y + ROW_H / 2, class: "label",
        "text-anchor": "end", "dominant-baseline": "middle", text: truncate(it.label, 20) }));
      g.appendChild(svg("rect", { x: LABEL_W, y: y + 4, width: w, height: ROW_H - 8, rx: 3,
        class: "bar " + (it.cls || "") }));
      g.appendChild(svg("text", { x: LABEL_W + w + 6, y: y + ROW_H / 2, class: "value",
        "dominant-baseline": "middle", text: it.text }));
      root.appendChild(g);
    });
    return root;
  }

  // Mean score per day as columns, with the day's deductions written above.
  function dayChart(days, boxW) {
    var height = 220;
    var top = 22;
    var bottom = 28;
    var left = 34;
    var plotH = height - top - bottom;
    var width = Math.max(boxW, left + days.length * 14);
    var step = (width - left - 8) / days.length;
    var barW = Math.max(3, Math.min(40, step * 0.7));
    var labelEvery = Math.ceil(days.length / 14);
    var root = svg("svg", { viewBox: "0 0 " + width + " " + height, class: "bars days",
      role: "img", width: width, height: height });
    [0, 50, 100].forEach(function (v) {
      var y = top + plotH - (v / 100) * plotH;
      root.appendChild(svg("line", { x1: left, x2: width - 4, y1: y, y2: y, class: "grid" }));
      root.appendChild(svg("text", { x: left - 6, y: y, class: "axis", "text-anchor": "end",
        "dominant-baseline": "middle", text: String(v) }));
    });
    days.forEach(function (d, i) {
      var x = left + i * step + (step - barW) / 2;
      var h = Math.max(2, (d.mean / 100) * plotH);
      var g = svg("g", { class: "row" });
      g.appendChild(svg("title", { text: d.day + ": mean " + fmt(d.mean) + ", " + d.calls +
        " calls, " + d.hits + " deductions" }));
      g.appendChild(svg("rect", { x: x, y: top + plotH - h, width: barW, height: h, rx: 2,
        class: "bar score-" + band(d.mean) }));
      if (d.hits) g.appendChild(svg("text", { x: x + barW / 2, y: top + plotH - h - 5,
        class: "value", "text-anchor": "middle", text: String(d.hits) }));
      if (i % labelEvery === 0) g.appendChild(svg("text", { x: x + barW / 2, y: height - 10,
        class: "axis", "text-anchor": "middle", text: d.day.slice(5) }));
      root.appendChild(g);
    });
    return root;
  }

  function renderCharts(view) {
    var agents = view.agents.slice(0, TOP_AGENT_BARS);
    var agentBox = clear($("chart-agents").querySelector(".chart"));
    $("agent-bars-note").textContent = view.agents.length > agents.length
      ? "the " + agents.length + " lowest of " + view.agents.length + " · " : "";
    if (agents.length) {
      agentBox.appendChild(hbarChart(agents.map(function (a) {
        return { label: a.agent, value: a.mean, text: fmt(a.mean), cls: "score-" + band(a.mean),
          title: a.agent + ": mean " + fmt(a.mean) + " over " + a.calls + " calls",
          onclick: function () { setFilter("agent", a.agent); } };
      }), 100, boxWidth(agentBox)));
    } else agentBox.appendChild(el("p", { class: "empty", text: "No scored calls." }));

    var counts = view.rules;
    var ruleBox = clear($("chart-rules").querySelector(".chart"));
    if (counts.length) {
      var most = counts[0].count;
      ruleBox.appendChild(hbarChart(counts.map(function (r) {
        var rule = rules[r.rule] || {};
        return { label: r.rule, value: r.count, text: String(r.count), cls: "rule",
          title: r.rule + " × " + r.count + " (−" + fmt(r.points, 0) + " points). Say instead: " +
            (rule.suggestion || "–"),
          onclick: function () { setFilter("rule", r.rule); } };
      }), most, boxWidth(ruleBox)));
    } else ruleBox.appendChild(el("p", { class: "empty", text: "No deductions. " }));

    var days = view.days;
    var dayFig = $("chart-days");
    dayFig.hidden = days.length < 2;
    var dayBox = clear(dayFig.querySelector(".chart"));
    if (days.length >= 2) dayBox.appendChild(dayChart(days, boxWidth(dayBox)));
  }

  // -- overview numbers ----------------------------------------------------------

  function kpi(label, value, extra) {
    return el("div", { class: "kpi card" + (extra ? " " + extra : "") },
      el("div", { class: "kpi-value", text: value }), el("div", { class: "kpi-label", text: label }));
  }

  function renderKpis(view) {
    clear($("kpis")).append(
      kpi("calls" + (view.failed ? " (" + view.failed + " failed)" : ""), String(view.calls)),
      kpi("agents", String(view.agents.length)),
      kpi("team score", fmt(view.mean), "score-" + band(view.mean)),
      kpi("deductions", String(view.deductions)),
      kpi("deductions per hour of agent talk",
        view.talk > 0 ? fmt(view.deductions / (view.talk / 3600)) : "–")
    );
  }

  // -- agents ------------------------------------------------------------------

  function renderAgents(agents) {
    var box = clear($("agent-list"));
    if (!agents.length) box.appendChild(el("p", { class: "empty", text: "No scored calls." }));
    agents.forEach(function (a) {
      var tops = a.top.length ? el("ol", { class: "violations" }, a.top.map(function (v) {
        var rule = rules[v.rule] || {};
        return el("li", null,
          el("div", { class: "v-head" }, el("span", { class: "rule-id", text: v.rule }),
            el("span", { class: "times", text: "× " + v.count })),
          rule.message ? el("div", { class: "v-msg", text: rule.message }) : null,
          el("div", { class: "suggest" }, el("span", { class: "say", text: "Say instead" }),
            el("span", { text: rule.suggestion || "–" })));
      })) : el("p", { class: "clean", text: "No deductions: nothing to coach." });
      box.appendChild(el("article", { class: "card agent", "data-agent": a.agent },
        el("header", null,
          el("div", null,
            el("h3", null, el("button", { type: "button", class: "link", text: a.agent,
              title: "Show only " + a.agent + "'s calls",
              onclick: function () { setFilter("agent", a.agent); } })),
            el("div", { class: "team", text: a.team ? "team " + a.team : "no team" })),
          el("div", { class: "agent-score score-" + band(a.mean), text: fmt(a.mean) })),
        el("dl", { class: "stats" },
          el("div", null, el("dt", { text: "calls" }), el("dd", { text: String(a.calls) })),
          el("div", null, el("dt", { text: "lowest" }), el("dd", { text: fmt(a.min) })),
          el("div", null, el("dt", { text: "deductions" }), el("dd", { text: String(a.hits) })),
          el("div", null, el("dt", { text: "per hour" }), el("dd", { text: fmt(a.perHour) })),
          el("div", null, el("dt", { text: "agent talk" }), el("dd", { text: clock(a.talk) }))),
        el("h4", { text: "Most frequent violations" }), tops, flow.ratesBlock(a.flow)));
    });
  }

  // -- calls ---------------------------------------------------------------------

  function sortCalls(list) {
    if (state.sort === "date") return list;  // the embedded order: by date, then id
    var copy = list.slice();
    var score = cols.score;
    var n = cols.n;
    if (state.sort === "score") {
      copy.sort(function (a, b) {
        return (score[a] === null) - (score[b] === null) || score[a] - score[b] || a - b;
      });
    } else if (state.sort === "hits") {
      copy.sort(function (a, b) { return n[b] - n[a] || a - b; });
    }
    return copy;
  }

  function callSummary(i) {
    var status = statusOf(i);
    var pill = status === "ok" ? scorePill(cols.score[i])
      : el("span", { class: "pill status-" + status, text: status.replace("_", " ") });
    var dur = cols.dur[i];
    return el("summary", null,
      el("span", { class: "c-date", text: dateOf(i) || "–" }),
      el("span", { class: "c-id", text: cols.cid[i] }),
      el("span", { class: "c-agent", text: agentOf(i) }),
      el("span", { class: "c-team", text: teamOf(i) || "–" }),
      el("span", { class: "c-score" }, pill),
      el("span", { class: "c-hits", text: status === "failed" ? "–" : String(cols.n[i]) }),
      el("span", { class: "c-dur", text: dur !== null ? clock(dur) : "–" }),
      el("span", { class: "c-audio", title: cols.audio[i] === AUDIO ? "recording available" : "",
        text: cols.audio[i] === AUDIO ? "♪" : "" }));
  }

  // -- transcripts, loaded on demand -------------------------------------------------

  var shardSize = data.shards.size;
  var shardSrc = data.shards.src;  // a folder beside the page, or null: embedded blocks
  var shardCache = {};
  var shardWaiting = {};

  // A shard file is one call of this function with its data (escaped JSON).
  window.phraseguardShard = function (n, list) {
    shardCache[n] = list;
    var waiting = shardWaiting[n] || [];
    delete shardWaiting[n];
    waiting.forEach(function (done) { done(list); });
  };

  // The details of call i (file, recording, hits, transcript), then done(details or null).
  function loadCall(i, done) {
    var n = Math.floor(i / shardSize);
    function give(list) { done(list ? list[i - n * shardSize] : null); }
    if (shardCache[n]) return give(shardCache[n]);
    if (!shardSrc) {
      var block = $("pg-shard-" + n);
      shardCache[n] = block ? JSON.parse(block.textContent) : null;
      return give(shardCache[n]);
    }
    if (shardWaiting[n]) { shardWaiting[n].push(give); return; }
    shardWaiting[n] = [give];
    var script = document.createElement("script");
    script.src = shardSrc + n + ".js";
    script.onerror = function () {
      var waiting = shardWaiting[n] || [];
      delete shardWaiting[n];
      waiting.forEach(function (cb) { cb(null); });
    };
    document.head.appendChild(script);
  }

  function hitTitle(h) {
    var rule = rules[h.rule_id] || {};
    var lines = [h.rule_id + (h.counted ? " (−" + fmt(h.points, 0) + ")" : " (not counted)") + ": " +
      (rule.message || "")];
    if (rule.suggestion) lines.push("Say instead: " + rule.suggestion);
    if (!h.counted && h.reason) lines.push(h.reason);
    if (h.time_start !== null) lines.push("at " + clock(h.time_start) + " — click to listen");
    return lines.join("\n");
  }

  function renderSegments(call, segs) {
    return segs.map(function (seg) {
      if (typeof seg === "string") return document.createTextNode(seg);
      var ids = seg.slice(1);
      var first = call.h[ids[0]];
      var counted = ids.some(function (k) { return call.h[k].counted; });
      return el("mark", {
        class: "hit" + (counted ? "" : " uncounted") + (first.time_start !== null ? " timed" : ""),
        tabindex: "0", role: first.time_start !== null ? "button" : null,
        "data-hit": ids.join(" "), "data-t": first.time_start !== null ? first.time_start : null,
        title: ids.map(function (k) { return hitTitle(call.h[k]); }).join("\n\n"),
        text: seg[0] });
    });
  }

  function seek(audio, time) {
    // One second of lead-in, so the supervisor hears the phrase in context.
    var target = Math.max(0, time - 1);
    function go() {
      audio.currentTime = target;
      var played = audio.play();
      if (played && played.catch) played.catch(function () {});
    }
    if (audio.readyState >= 1) go();
    else {
      audio.addEventListener("loadedmetadata", go, { once: true });
      audio.load();
    }
  }

  function callBody(i, c) {
    var body = el("div", { class: "call-body" });
    if (!c) {
      body.appendChild(el("p", { class: "failure", text: "This call's transcript could not be " +
        "loaded: keep the report's folder (" + (shardSrc || "").split("/")[0] +
        ") next to the page." }));
      return body;
    }
    var info = el("div", { class: "call-info" },
      el("span", null, "file ", el("code", { text: basename(c.file) || "–", title: c.file || "" })),
      cols.dur[i] !== null ? el("span", { text: "length " + clock(cols.dur[i]) }) : null,
      el("span", { text: "agent talk " + clock(cols.talk[i]) }),
      el("span", { text: "source " + c.src }));
    body.appendChild(info);
    if (statusOf(i) === "failed") {
      body.appendChild(el("p", { class: "failure", text: "Could not be scored: " + (c.failure || "") }));
      return body;
    }
    var audio = null;
    if (c.audio) {
      audio = el("audio", { controls: true, preload: "metadata", src: c.audio, class: "player" });
      body.appendChild(audio);
    } else if (c.audioMissing) {
      body.appendChild(el("p", { class: "note", text: "Recording not found: " + c.audioMissing }));
    }
    append(body, flow.callBlock(i, c, cols.dur[i], audio));
    var counted = c.h.filter(function (h) { return h.counted; });
    if (counted.length) {
      body.appendChild(el("h4", { text: "Deductions" }));
      body.appendChild(el("ul", { class: "deductions" }, counted.map(function (h) {
        var rule = rules[h.rule_id] || {};
        return el("li", null,
          el("span", { class: "points", text: "−" + fmt(h.points, 0) }),
          el("span", { class: "rule-id", text: h.rule_id }),
          h.time_start !== null ? el("button", { type: "button", class: "time link", "data-t": h.time_start,
            text: clock(h.time_start), title: "Play from a second before" }) : null,
          flow.isEvent(h) ? el("span", { class: "quote flow-event", text: h.message || "" })
            : el("span", { class: "quote", text: "「" + h.matched + "」" }),
          el("span", { class: "suggest" }, el("span", { class: "say", text: "Say instead" }),
            el("span", { text: rule.suggestion || "–" })));
      })));
    }
    body.appendChild(el("h4", { text: "Transcript" }));
    var list = el("ol", { class: "transcript" });
    c.t.forEach(function (u) {
      list.appendChild(el("li", { class: "utt role-" + u[0] },
        el("span", { class: "u-time", text: u[1] !== null ? clock(u[1]) : "" }),
        el("span", { class: "u-role", text: u[0] }),
        el("span", { class: "u-text" }, renderSegments(c, u[3]))));
    });
    if (!c.t.length) list.appendChild(el("li", { class: "empty", text: "No transcript." }));
    body.appendChild(list);
    body.addEventListener("click", function (ev) {
      var target = ev.target.closest("[data-t]");
      if (!target || !audio) return;
      seek(audio, parseFloat(target.getAttribute("data-t")));
    });
    body.addEventListener("keydown", function (ev) {
      if ((ev.key === "Enter" || ev.key === " ") && ev.target.matches("mark[data-t]")) {
        ev.preventDefault();
        ev.target.click();
      }
    });
    return body;
  }

  function renderCalls(list) {
    var sorted = sortCalls(list);
    var pages = Math.max(1, Math.ceil(sorted.length / PAGE_SIZE));
    state.page = Math.min(state.page, pages - 1);
    var shown = sorted.slice(state.page * PAGE_SIZE, (state.page + 1) * PAGE_SIZE);
    var box = clear($("call-list"));
    if (!shown.length) box.appendChild(el("p", { class: "empty", text: "No calls match." }));
    shown.forEach(function (i) {
      var item = el("details", { class: "call status-" + statusOf(i), "data-call": i },
        callSummary(i));
      item.addEventListener("toggle", function () {
        // Loaded and built on first open only: the transcripts of 200,000 calls
        // are not in the page.
        if (!item.open || item.getAttribute("data-loading")) return;
        item.setAttribute("data-loading", "1");
        loadCall(i, function (details) {
          if (!item.querySelector(".call-body")) item.appendChild(callBody(i, details));
          if (details) performance.mark("pg-call-" + i);
        });
      });
      box.appendChild(item);
    });
    var pager = clear($("pager"));
    if (pages > 1) {
      pager.append(
        el("button", { type: "button", class: "btn", text: "‹ Previous", disabled: state.page === 0,
          onclick: function () { state.page -= 1; renderCalls(list); } }),
        el("span", { text: "page " + (state.page + 1) + " of " + pages }),
        el("button", { type: "button", class: "btn", text: "Next ›",
          disabled: state.page >= pages - 1,
          onclick: function () { state.page += 1; renderCalls(list); } }));
    }
  }

  function renderFailures() {
    var failed = data.failures.filter(function (f) { return matches(f[0]); });
    $("failures").hidden = !failed.length;
    clear($("failure-list")).append.apply($("failure-list"), failed.map(function (f) {
      return el("li", null, el("code", { text: f[1] }), " ", el("span", { text: f[2] }));
    }));
  }

  // -- wiring --------------------------------------------------------------------

  var shown = null;

  function render() {
    var list = filtered() ? everyCall.filter(matches) : everyCall;
    var view = overview(list);
    shown = view;
    $("f-count").textContent = list.length === total ? total + " calls"
      : list.length + " of " + total + " calls";
    renderKpis(view);
    renderCharts(view);
    renderAgents(view.agents);
    renderCalls(list);
    renderFailures();
  }

  var controls = { agent: "f-agent", team: "f-team", rule: "f-rule", from: "f-from", to: "f-to",
    sort: "f-sort" };

  function setFilter(key, value) {
    state[key] = value;
    $(controls[key]).value = value;
    state.page = 0;
    render();
  }

  Object.keys(controls).forEach(function (key) {
    $(controls[key]).addEventListener("change", function (ev) { setFilter(key, ev.target.value); });
  });
  $("f-reset").addEventListener("click", function () {
    Object.keys(controls).forEach(function (key) {
      state[key] = key === "sort" ? "date" : "";
      $(controls[key]).value = state[key];
    });
    state.page = 0;
    render();
  });

  // Charts follow the window's width; redrawn once resizing pauses.
  var resizeTimer = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () { renderCharts(shown); }, 150);
  });

  render();
  // The moment the page is usable: tests wait for it, the benchmark times it.
  if (window.performance && performance.mark) performance.mark("pg-ready");
  document.documentElement.setAttribute("data-ready", "1");
})();
