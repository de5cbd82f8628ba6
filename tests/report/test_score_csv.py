"""``score --csv``: cells that a spreadsheet would run as formulas are neutralised."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from phraseguard.cli import cli
from phraseguard.report.score_csv import safe_cell

HOSTILE = {
    "agent": '=HYPERLINK("http://x","y")',
    "team": "+cmd|' /C calc'!A0",
    "call_id": "@SUM(1)",
    "date": "-2+3",
}


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fp:
        return list(csv.DictReader(fp))


@pytest.mark.parametrize(("cell", "written"), [
    ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("@SUM(1)", "'@SUM(1)"),
    ("-2+3", "'-2+3"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("-", "'-"),
    ("-5", "-5"),
    ("-0.5", "-0.5"),
    ("-1e3", "-1e3"),
    ("alice", "alice"),
    ("不知道", "不知道"),
    (3, 3),
])
def test_safe_cell_quotes_formula_starts_but_not_negative_numbers(cell, written):
    assert safe_cell(cell) == written


def test_manifest_fields_reach_every_csv_as_text_not_formulas(tmp_path: Path):
    calls = tmp_path / "calls"
    calls.mkdir()
    (calls / "hostile.txt").write_text("客服: 这个我不知道\n", "utf-8")
    (calls / "minus.txt").write_text("客服: 您好\n", "utf-8")
    manifest = tmp_path / "calls.csv"
    with open(manifest, "w", encoding="utf-8", newline="") as fp:
        w = csv.writer(fp)
        w.writerow(["file", *HOSTILE])
        w.writerow(["hostile.txt", *HOSTILE.values()])
        w.writerow(["minus.txt", "-5", "-5", "-5", ""])
    out = tmp_path / "week48.csv"
    result = CliRunner().invoke(cli, [
        "score", str(calls), "--manifest", str(manifest), "--db", str(tmp_path / "qa.db"),
        "-q", "--csv", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output

    # The forbidden phrase, and the call flow (on by default) of both calls.
    hits = [r for r in read_csv(out) if r["path"].endswith("hostile.txt")]
    assert sorted(r["rule_id"] for r in hits) == [
        "closing", "disclaim-knowledge", "greeting", "self-introduction"]
    calls_rows = {r["path"].rsplit("/", 1)[-1]: r for r in read_csv(tmp_path / "week48.calls.csv")}
    agents = {r["agent"]: r for r in read_csv(tmp_path / "week48.agents.csv")}
    for row in (*hits, calls_rows["hostile.txt"]):
        for column, value in HOSTILE.items():
            assert row[column] == "'" + value, (column, row)
    hostile_agent = agents["'" + HOSTILE["agent"]]
    assert hostile_agent["team"] == "'" + HOSTILE["team"]
    # A real negative number stays a number.
    minus = calls_rows["minus.txt"]
    assert (minus["call_id"], minus["agent"], minus["team"]) == ("-5", "-5", "-5")
    assert agents["-5"]["team"] == "-5"
    # Nothing in any of the three files starts like a formula any more.
    for path in (out, tmp_path / "week48.calls.csv", tmp_path / "week48.agents.csv"):
        with open(path, encoding="utf-8", newline="") as fp:
            for row in csv.reader(fp):
                for cell in row:
                    assert not cell.startswith(("=", "+", "@", "\t", "\r")), (path, cell)
                    assert not cell.startswith("-") or cell == "-5", (path, cell)
