"""A transcript with impossible times fails alone; every report of the store still works."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from phraseguard.cli import cli
from phraseguard.report.json_values import finite

BAD_TIMES = {
    "infinite.json": '{"text": "这个 我 不 知道", "start": 1e999, "end": 2}',
    "nan.json": '{"text": "这个 我 不 知道", "start": NaN, "end": 2}',
    "negative.json": '{"text": "这个 我 不 知道", "start": -1, "end": 2}',
    "backwards.json": '{"text": "这个 我 不 知道", "start": 5, "end": 2}',
    "word.json": '{"result": [{"word": "不知道", "start": 1, "end": Infinity, "conf": 1}]}',
}


def strict_json(text: str):
    """Parse JSON as a browser's JSON.parse does: NaN and Infinity are errors."""
    def refuse(name: str):
        raise ValueError(f"non-standard JSON constant {name}")

    return json.loads(text, parse_constant=refuse)


def invoke(args: list[str]):
    return CliRunner().invoke(cli, args, catch_exceptions=False)


def test_bad_times_fail_their_call_and_reports_still_work(tmp_path: Path):
    calls = tmp_path / "calls"
    calls.mkdir()
    good = calls / "2024-05-01_alice_good.json"
    good.write_text(json.dumps({"text": "这个 我 不 知道", "start": 1.0, "end": 2.5},
                               ensure_ascii=False), "utf-8")
    for name, content in BAD_TIMES.items():
        (calls / f"2024-05-01_bob_{name}").write_text(content, "utf-8")
    db = str(tmp_path / "qa.db")
    scored = invoke(["score", str(calls), "--db", db, "-q"])
    assert scored.exit_code == 2, scored.output
    assert "Scored 1 calls, skipped 0 already scored, 5 failed." in scored.output

    out_json, out_html = tmp_path / "r.json", tmp_path / "r.html"
    report = invoke(["report", "--db", db, "--json", str(out_json), "--html", str(out_html)])
    assert report.exit_code == 0, report.output
    text = out_json.read_text("utf-8")
    doc = strict_json(text)
    by_path = {Path(c["path"]).name: c for c in doc["calls"]}
    assert by_path[good.name]["status"] == "ok" and by_path[good.name]["score"] < 100
    reasons = {Path(f["path"]).name: f["message"] for f in doc["failures"]}
    expected = {
        "infinite.json": "start must be a finite number of seconds, 0 or more, found Infinity",
        "nan.json": "start must be a finite number of seconds, 0 or more, found NaN",
        "negative.json": "start must be a finite number of seconds, 0 or more, found -1",
        "backwards.json": "end 2 s is before start 5 s",
        "word.json": '"不知道": end must be a finite number of seconds',
    }
    for name, reason in expected.items():
        assert reason in reasons[f"2024-05-01_bob_{name}"], reasons
    page = out_html.read_text("utf-8")
    data = page.split('id="pg-data">', 1)[1].split("</script>", 1)[0]
    assert strict_json(data)["version"] >= 1


@pytest.mark.parametrize(("data", "clean"), [
    ({"a": float("inf"), "b": [1.5, float("nan"), {"c": -float("inf")}], "d": "x"},
     {"a": None, "b": [1.5, None, {"c": None}], "d": "x"}),
    ((1, 2.0), [1, 2.0]),
])
def test_writers_replace_non_finite_numbers_with_null(data, clean):
    # A store written before times were checked may still hold one.
    assert finite(data) == clean
    json.dumps(finite(data), allow_nan=False)
