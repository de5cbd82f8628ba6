/* phraseguard QA report: the call flow. Each call's checklist of required
 * items (greeting, self-introduction, closing: said or missing), its
 * timeline of call-flow events (missing items on the window where they were
 * expected, dead air, talk-over, fast speech, a slow start), and each
 * agent's rate of each item.
 *
 * Loaded before report.js, which calls window.phraseguardFlow once with the
 * page's data and its DOM helpers. The same safety rules: data reaches the
 * page only as text nodes and attribute values set through the DOM, and
 * positions through the CSSOM (element.style), which the page's
 * Content-Security-Policy allows where a style attribute would not be.
 */
(function () {
  "use strict";

  var NOT_CHECKED = -1;
  var FLOW_KINDS = { missing: true, timing: true };
  // Events that overlap in time, or whose markers are closer than this
  // (percent of the bar), go on separate lanes: no marker hides another.
  var LANE_GAP = 3.5;

  window.phraseguardFlow = function (data, h) {
    var items = (data.flow && data.flow.items) || [];
    var column = data.calls.flow || [];

    // Bit k of a call's value is set when it missed item k (see html_flow.py).
    function missed(value, k) { return Math.floor(value / Math.pow(2, k)) % 2 === 1; }

    function checked(i) {
      var v = column[i];
      return typeof v === "number" && v !== NOT_CHECKED;
    }

    // {item: said?} of call i, or null when it was not checked for call flow.
    function checklist(i) {
      if (!checked(i)) return null;
      var out = {};
      items.forEach(function (item, k) { out[item] = !missed(column[i], k); });
      return out;
    }

    // Over an agent's finished calls: how many were checked, and the share
    // with each item said (the CSV's <item>_rate), or null when none was.
    function rates(calls) {
      var done = calls.filter(checked);
      if (!done.length || !items.length) return null;
      var out = {};
      items.forEach(function (item, k) {
        var said = done.filter(function (i) { return !missed(column[i], k); }).length;
        out[item] = said / done.length;
      });
      return { calls: done.length, rates: out };
    }

    function percent(rate) { return Math.round(rate * 100) + "%"; }

    function fill(node, share) {
      node.style.width = Math.max(0, Math.min(100, share * 100)) + "%";
      return node;
    }

    // The agent card's "Call flow" block: one row per item.
    function ratesBlock(agentFlow) {
      if (!agentFlow || !items.length) return null;
      return [
        h.el("h4", { text: "Call flow" },
          h.el("span", { class: "hint", text: " of " + agentFlow.calls + " checked calls" })),
        h.el("ul", { class: "flow-rates" }, items.map(function (item) {
          var rate = agentFlow.rates[item];
          return h.el("li", { "data-item": item, "data-rate": rate,
            class: rate < 1 ? "short" : "full" },
            h.el("span", { class: "item", text: item }),
            h.el("span", { class: "rate-bar", "aria-hidden": "true" },
              fill(h.el("span", { class: "rate-fill" }), rate)),
            h.el("span", { class: "rate", text: percent(rate) }));
        })),
      ];
    }

    // A call's call-flow hits: missing items and timing events.
    function events(call) {
      return call.h.filter(function (e) { return FLOW_KINDS[e.kind]; });
    }

    function when(e) {
      if (e.time_start === null || e.time_start === undefined) return "";
      var start = Math.max(0, e.time_start);
      var end = e.time_end !== null && e.time_end !== undefined ? Math.max(start, e.time_end)
        : start;
      return end > start ? h.clock(start) + "–" + h.clock(end) : h.clock(start);
    }

    // One line a supervisor reads: what happened, and what it cost.
    function describe(e) {
      var cost = e.counted ? " (−" + h.fmt(e.points, 0) + ")" : " (not counted)";
      return e.rule_id + cost + ": " + (e.message || e.reason || "");
    }

    function timeButton(e, audio) {
      if (e.time_start === null || e.time_start === undefined) return null;
      return h.el("button", { type: "button", class: "time link", "data-t": Math.max(0, e.time_start),
        text: when(e), title: audio ? "Play from a second before" : "" });
    }

    function checklistBlock(i, call, audio) {
      var said = checklist(i);
      if (!said) return null;
      var why = {};
      events(call).forEach(function (e) { if (e.kind === "missing" && !why[e.rule_id]) why[e.rule_id] = e; });
      return h.el("ul", { class: "checklist" }, items.map(function (item) {
        var miss = why[item];
        return h.el("li", { class: said[item] ? "said" : "missing", "data-item": item },
          h.el("span", { class: "tick", "aria-hidden": "true", text: said[item] ? "✓" : "✗" }),
          h.el("span", { class: "item", text: item }),
          h.el("span", { class: "state", text: said[item] ? "said" : "missing" }),
          !said[item] && miss ? timeButton(miss, audio) : null,
          !said[item] && miss ? h.el("span", { class: "why", text: miss.message || "" }) : null);
      }));
    }

    // The call as a horizontal bar of its length, a marker per timed event
    // (a button: click, Enter or Space plays from a second before it) over
    // a band showing how long the event or window lasted.
    function timeline(call, duration, audio) {
      var timed = events(call).filter(function (e) {
        return e.time_start !== null && e.time_start !== undefined;
      });
      var length = duration || 0;
      timed.forEach(function (e) { length = Math.max(length, e.time_end || 0, e.time_start); });
      if (!(length > 0)) return null;
      timed.sort(function (a, b) { return a.time_start - b.time_start; });
      var lanes = [];
      var bar = h.el("div", { class: "tl-bar" });
      timed.forEach(function (e) {
        var start = Math.max(0, e.time_start);
        var end = Math.max(start, e.time_end === null || e.time_end === undefined ? start : e.time_end);
        var left = (start / length) * 100;
        var right = (end / length) * 100;
        // The first lane where this event starts after the last one ended.
        var lane = 0;
        while (lanes[lane] !== undefined && left < lanes[lane]) lane += 1;
        lanes[lane] = Math.max(right, left + LANE_GAP);
        var band = h.el("span", { class: "tl-band kind-" + e.kind, "aria-hidden": "true" });
        band.style.left = left + "%";
        band.style.width = Math.max(0, ((end - start) / length) * 100) + "%";
        band.style.top = lane * 22 + "px";
        var label = e.rule_id + (e.kind === "missing" ? " missing" : "") + " at " + when(e) +
          ": " + describe(e) + (audio ? ". Play from a second before" : "");
        var marker = h.el("button", { type: "button", class: "tl-marker kind-" + e.kind +
          (e.counted ? "" : " uncounted"), "data-t": start, "data-rule": e.rule_id,
          "data-kind": e.kind, "aria-label": label, title: label,
          text: e.kind === "missing" ? "✗" : "!" });
        marker.style.left = left + "%";
        marker.style.top = lane * 22 + "px";
        bar.appendChild(band);
        bar.appendChild(marker);
      });
      bar.style.height = Math.max(1, lanes.length) * 22 + "px";
      return h.el("div", { class: "timeline", role: "group",
        "aria-label": "Call timeline, " + h.clock(length) + ": " + timed.length +
          " call-flow events" },
        bar,
        timed.length ? null : h.el("p", { class: "hint", text: "No dead air, talk-over, fast " +
          "speech or slow start on this call." }),
        h.el("div", { class: "tl-axis", "aria-hidden": "true" },
          h.el("span", { text: "0:00" }), h.el("span", { text: h.clock(length) })));
    }

    // The call's "Call flow" section: checklist, timeline, and the events
    // that have no time (a plain-text transcript) as a list.
    function callBlock(i, call, duration, audio) {
      var list = checklistBlock(i, call, audio);
      var line = list || events(call).length ? timeline(call, duration, audio) : null;
      if (!list && !line) return null;
      var untimed = events(call).filter(function (e) {
        return e.kind === "timing" && (e.time_start === null || e.time_start === undefined);
      });
      return h.el("section", { class: "flow" },
        h.el("h4", { text: "Call flow" }),
        list,
        line,
        untimed.length ? h.el("ul", { class: "flow-untimed" }, untimed.map(function (e) {
          return h.el("li", { text: describe(e) });
        })) : null,
        !line && list ? h.el("p", { class: "note", text: "No times in this transcript: " +
          "timing (dead air, talk-over...) is not checked." }) : null);
    }

    return {
      items: items,
      checklist: checklist,
      rates: rates,
      ratesBlock: ratesBlock,
      callBlock: callBlock,
      isEvent: function (e) { return !!FLOW_KINDS[e.kind]; },
      describe: describe,
    };
  };
})();
