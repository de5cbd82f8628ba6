"""The HTML QA report: its data, its escaping, its links and its size (no browser)."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from synthetic_calls import (
    HOSTILE_AGENT,
    HOSTILE_CALL_ID,
    HOSTILE_MESSAGE,
    HOSTILE_PATH,
    HOSTILE_SUGGESTION,
    HOSTILE_TEAM,
    HOSTILE_TEXT,
    CallSpec,
    build_store,
    hostile_call,
    random_calls,
    save_call,
    write_wav,
)

from phraseguard.calls.store import CallMeta
from phraseguard.cli import cli
from phraseguard.report import SCORE_WRITERS, get_score_writer
from phraseguard.report.html import HtmlWriter, json_for_script
from phraseguard.report.html_data import build_report_data, mark_segments
from phraseguard.report.results import load_results
from phraseguard.speech.transcript import Role

MAX_BYTES = 10_000_000


class PageParser(HTMLParser):
    """Collects what a browser would build: tags with attributes, script bodies."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.styles: list[str] = []
        self._in: str | None = None
        self._attrs: dict[str, str | None] = {}
        self._buf: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._in, self._attrs, self._buf = tag, dict(attrs), []

    def handle_endtag(self, tag):
        if tag == self._in:
            body = "".join(self._buf)
            if tag == "script":
                self.scripts.append((self._attrs, body))
            else:
                self.styles.append(body)
            self._in = None

    def handle_data(self, data):
        if self._in:
            self._buf.append(data)


def parse(page: str) -> PageParser:
    p = PageParser()
    p.feed(page)
    p.close()
    return p


def embedded_data(page: str) -> dict:
    scripts = [body for attrs, body in parse(page).scripts if attrs.get("id") == "pg-data"]
    assert len(scripts) == 1
    return json.loads(scripts[0])


def write_report(store, out: Path) -> str:
    HtmlWriter().write_path(load_results(store), out)
    return out.read_text("utf-8")


def call_details(page: str, cid: str) -> dict:
    """A call's shard entry (file, recording, hits, transcript) in a single-file page."""
    data = embedded_data(page)
    i = data["calls"]["cid"].index(cid)
    size = data["shards"]["size"]
    (block,) = [body for attrs, body in parse(page).scripts
                if attrs.get("id") == f"pg-shard-{i // size}"]
    return json.loads(block)[i % size]


# -- pieces -------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "</script><script>alert(1)</script>", "<!-- x", "a & b > c", "line\u2028sep\u2029",
    "</SCRIPT >", "<img src=x onerror=alert(1)>", "不知道",
])  # fmt: skip
def test_json_for_script_cannot_close_its_tag(text):
    out = json_for_script({"t": text, "list": [text]})
    assert not set("<>&\u2028\u2029") & set(out)
    assert json.loads(out) == {"t": text, "list": [text]}


@pytest.mark.parametrize(("text", "spans", "expected"), [
    ("我不知道呢", [], ["我不知道呢"]),
    ("我不知道呢", [(1, 4, 0)], ["我", ["不知道", 0], "呢"]),
    ("不知道", [(0, 3, 2)], [["不知道", 2]]),
    # one phrase matched by two rules: one mark naming both hits
    ("这个我们不管的", [(2, 6, 0), (4, 6, 1)], ["这个", ["我们不管", 0, 1], "的"]),
    # adjacent hits stay two marks
    ("随便不知道", [(0, 2, 0), (2, 5, 1)], [["随便", 0], ["不知道", 1]]),
    # out-of-range spans are clipped, empty ones dropped
    ("abc", [(2, 9, 0), (5, 7, 1), (1, 1, 2)], ["ab", ["c", 0]]),
    ("", [(0, 2, 0)], []),
])  # fmt: skip
def test_mark_segments(text, spans, expected):
    assert mark_segments(text, spans) == expected
    assert "".join(s if isinstance(s, str) else s[0] for s in expected) == text


def test_registered_as_html_option():
    assert SCORE_WRITERS["html"] is HtmlWriter
    assert isinstance(get_score_writer("html"), HtmlWriter)


# -- the page -----------------------------------------------------------------------


@pytest.fixture
def hostile_store(tmp_path):
    store = build_store(tmp_path / "h.db", random_calls(6, days=3) + [hostile_call()])
    yield store
    store.close()


def test_hostile_names_and_text_are_escaped(hostile_store, tmp_path):
    page = write_report(hostile_store, tmp_path / "r.html")
    for raw in (HOSTILE_TEXT, HOSTILE_AGENT, HOSTILE_TEAM, HOSTILE_CALL_ID, HOSTILE_PATH,
                HOSTILE_MESSAGE, HOSTILE_SUGGESTION):
        assert raw not in page
    for marker in ("<img", "<svg onload", "<b onmouseover", "window.pwned=9</script>"):
        assert marker not in page

    parsed = parse(page)
    # Exactly the page's own elements: the data block, one shard of
    # transcripts (data, never run) and the two scripts (report_flow.js, report.js).
    assert [a.get("type") for a, _ in parsed.scripts] == ["application/json"] * 2 + [None] * 2
    assert not any(t in ("img", "svg", "iframe", "object", "embed", "b") for t, _ in parsed.tags)
    assert not any(k.startswith("on") for _, attrs in parsed.tags for k in attrs)
    # Names written as markup (filter options) are escaped with html.escape.
    assert f'<option value="{html.escape(HOSTILE_AGENT)}">{html.escape(HOSTILE_AGENT)}</option>' \
        in page
    assert f">{html.escape(HOSTILE_TEAM)}</option>" in page


def test_hostile_text_survives_in_the_data(hostile_store, tmp_path):
    page = write_report(hostile_store, tmp_path / "r.html")
    data = embedded_data(page)
    i = data["calls"]["cid"].index(HOSTILE_CALL_ID)
    names = data["names"]
    assert names["agents"][data["calls"]["agent"][i]] == HOSTILE_AGENT
    assert names["teams"][data["calls"]["team"][i]] == HOSTILE_TEAM
    call = call_details(page, HOSTILE_CALL_ID)
    assert call["file"] == HOSTILE_PATH
    text = "".join(s if isinstance(s, str) else s[0] for s in call["t"][2][3])
    assert text == HOSTILE_TEXT
    assert call["t"][2][3][-1] == ["不 知道", 0]


def test_hostile_lexicon_text_survives_in_the_data(tmp_path):
    store = build_store(tmp_path / "only.db", [hostile_call()])
    data = embedded_data(write_report(store, tmp_path / "r.html"))
    store.close()
    assert data["rules"]["disclaim-knowledge"]["message"] == HOSTILE_MESSAGE
    assert data["rules"]["disclaim-knowledge"]["suggestion"] == HOSTILE_SUGGESTION


def test_policy_allows_only_the_pages_own_code_and_no_network(hostile_store, tmp_path):
    page = write_report(hostile_store, tmp_path / "r.html")
    parsed = parse(page)
    csp = next(a["content"] for t, a in parsed.tags
               if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    code = [body for attrs, body in parsed.scripts if attrs.get("type") is None]

    def digest(s: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"

    assert directives["script-src"].split() == [digest(c) for c in code]
    assert directives["style-src"].split() == [digest(s) for s in parsed.styles]
    assert directives["default-src"] == "'none'"
    assert "unsafe" not in csp and "http" not in csp
    # Nothing loads from the network: no external script, style, font or link.
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "@import" not in page and "<link" not in page


def test_call_data_matches_the_store(hostile_store, tmp_path):
    results = load_results(hostile_store)
    data = build_report_data(results, hostile_store, out_dir=tmp_path, generated="now")
    cols, names = data.page["calls"], data.page["names"]
    rows = hostile_store.calls()
    assert cols["cid"] == [c.call_id for c in rows]
    for i, row in enumerate(rows):
        assert (cols["score"][i], cols["n"][i], names["agents"][cols["agent"][i]],
                names["days"][cols["day"][i]]) == (row.score, row.hits, row.agent, row.date)
    details = [c for _, shard in data.shards(hostile_store) for c in shard]
    assert [c["id"] for c in details] == [c.pk for c in rows]
    for row, c in zip(rows, details, strict=True):
        counted = [h for h in c["h"] if h["counted"]]
        assert len(counted) == row.hits
        assert sum(h["points"] for h in counted) == pytest.approx(100 - row.score)
        # The compact deductions (rule, points) are the same hits.
        i = rows.index(row)
        compact = cols["ded"][i] or []
        rule_ids = [names["rules"][r] for r in compact[::2]]
        assert sorted(zip(rule_ids, compact[1::2], strict=True)) == \
            sorted((h["rule_id"], h["points"]) for h in counted)
        # Every hit is marked in its utterance, at its matched text.
        for k, h in enumerate(c["h"]):
            marks = [s for s in c["t"][h["utterance"]][3] if isinstance(s, list) and k in s[1:]]
            assert len(marks) == 1 and h["matched"] in marks[0][0]
        transcript = hostile_store.transcript(row.pk)
        assert ["".join(s if isinstance(s, str) else s[0] for s in u[3]) for u in c["t"]] == \
            [u.text for u in transcript.utterances]
    assert set(data.page["rules"]) <= {h.rule_id for h in results.hits}


def test_hit_times_point_at_the_words(tmp_path):
    store = build_store(tmp_path / "t.db", [hostile_call()])
    data = build_report_data(load_results(store), store, out_dir=None, generated="now")
    ((_, (call,)),) = list(data.shards(store))
    store.close()
    (hit,) = call["h"]
    # 不 and 知道 are the last two words of the third utterance.
    transcript = call["t"]
    assert hit["time_end"] == transcript[2][2]
    assert hit["time_start"] == pytest.approx(transcript[2][2] - 2 * 0.35)


# -- recordings ----------------------------------------------------------------------


def _one_call_store(tmp_path, audio_path: str | None):
    spec = CallSpec(CallMeta("c1", "alice", "t", "2026-10-01"),
                    ((Role.AGENT, "这个 我 也 不 知道", "disclaim-knowledge"),),
                    str(tmp_path / "c1.json"), audio_path=audio_path)  # fmt: skip
    store = build_store(tmp_path / "a.db", [])
    save_call(store, spec)
    return store


def test_existing_recording_is_linked_relative_to_the_report(tmp_path):
    rec_dir = tmp_path / "rec dir #1"
    rec_dir.mkdir()
    wav = write_wav(rec_dir / "call <1>.wav", 2.0)
    store = _one_call_store(tmp_path, str(wav))
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    call = call_details(write_report(store, out_dir / "r.html"), "c1")
    store.close()
    assert call["audio"] == "../rec%20dir%20%231/call%20%3C1%3E.wav"
    assert call["audioMissing"] is None


def test_missing_recording_is_named_not_linked(tmp_path):
    store = _one_call_store(tmp_path, str(tmp_path / "gone.wav"))
    call = call_details(write_report(store, tmp_path / "r.html"), "c1")
    store.close()
    assert call["audio"] is None
    assert call["audioMissing"] == str(tmp_path / "gone.wav")


def test_report_to_a_stream_links_recordings_by_file_uri(tmp_path):
    import io

    wav = write_wav(tmp_path / "c1.wav", 2.0)
    store = _one_call_store(tmp_path, str(wav))
    buf = io.StringIO()
    HtmlWriter().write(load_results(store), buf)
    store.close()
    assert call_details(buf.getvalue(), "c1")["audio"] == wav.resolve().as_uri()


# -- front door and size ---------------------------------------------------------------


def test_report_command_writes_html(hostile_store, tmp_path):
    out = tmp_path / "qa.html"
    result = CliRunner().invoke(cli, ["report", "--db", str(hostile_store.path), "--html",
                                      str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.output
    page = out.read_text("utf-8")
    assert page.startswith("<!doctype html>")
    assert len(embedded_data(page)["calls"]["cid"]) == 7


def test_report_command_filters_reach_the_page(hostile_store, tmp_path):
    out = tmp_path / "qa.html"
    result = CliRunner().invoke(cli, ["report", "--db", str(hostile_store.path), "--agent",
                                      "alice", "--html", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    data = embedded_data(out.read_text("utf-8"))
    assert data["names"]["agents"] == ["alice"]
    assert len(data["calls"]["cid"]) == sum(c.agent == "alice" for c in hostile_store.calls())
    assert data["filters"] == {"agent": "alice"}


def test_failed_calls_are_listed_with_their_reason(tmp_path):
    store = build_store(tmp_path / "f.db", random_calls(2))
    store.save_failure(CallMeta("bad", "bob"), source="audio", path="/calls/<bad>.wav",
                       reason="cannot decode <audio>", error_type="AudioError",
                       stage="decode")  # fmt: skip
    page = write_report(store, tmp_path / "r.html")
    store.close()
    data = embedded_data(page)
    (i,) = [i for i, s in enumerate(data["calls"]["status"]) if s == 1]  # failed
    assert data["failures"] == [[i, "/calls/<bad>.wav", "cannot decode <audio>"]]
    failed = call_details(page, "bad")
    assert (failed["failure"], failed["t"], failed["h"]) == ("cannot decode <audio>", [], [])


def test_thousand_call_report_is_one_file_under_10_mb(tmp_path):
    store = build_store(tmp_path / "k.db", random_calls(1000, utterances=24))
    page = write_report(store, tmp_path / "k.html")
    store.close()
    size = len(page.encode("utf-8"))
    data = embedded_data(page)
    assert len(data["calls"]["cid"]) == 1000
    shards = [json.loads(body) for attrs, body in parse(page).scripts
              if (attrs.get("id") or "").startswith("pg-shard-")]
    assert sum(len(c["t"]) for shard in shards for c in shard) == 24_000
    assert not (tmp_path / "k_files").exists()
    assert size < MAX_BYTES, f"{size / 1e6:.1f} MB"
