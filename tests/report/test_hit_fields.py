"""One hit vocabulary: every output spells a hit's fields as Hit.to_dict() does."""

from __future__ import annotations

import csv
import json
import re

from click.testing import CliRunner

from phraseguard.cli import cli
from phraseguard.engine.hit import HIT_FIELDS, Hit, MatchKind, Severity
from phraseguard.live.events import Alert

#: Fields an output may add to a hit: where it was (times, utterance) and what it cost.
PLACE_AND_COST = {"utterance", "time_start", "time_end", "counted", "points", "reason"}


def test_lint_json_and_sarif_use_the_hit_fields(tmp_path):
    script = tmp_path / "s.txt"
    script.write_text("这个我们不管\n", "utf-8")
    items = json.loads(CliRunner().invoke(cli, ["lint", "--no-config", "-f", "json",
                                                str(script)]).stdout)
    assert set(HIT_FIELDS) <= set(items[0])
    assert items[0]["rule_id"] == "disclaim-responsibility" and items[0]["kind"] == "exact"
    sarif = json.loads(CliRunner().invoke(cli, ["lint", "--no-config", "-f", "sarif",
                                                str(script)]).stdout)
    assert tuple(sarif["runs"][0]["results"][0]["properties"]) == HIT_FIELDS


def test_score_json_csv_and_html_use_the_hit_fields(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    call = tmp_path / "2024-05-01_alice_c1.txt"
    call.write_text("客服: 这个我们不管\n", "utf-8")
    result = CliRunner().invoke(cli, ["score", str(call), "-q", "--jobs", "1", "--no-config",
                                      "--json", "out.json", "--csv", "out.csv",
                                      "--html", "out.html"])
    assert result.exit_code == 0, result.output
    # The forbidden phrase and, call flow being on by default, the missing items.
    hits = json.loads((tmp_path / "out.json").read_text("utf-8"))["hits"]
    assert {h["kind"] for h in hits} == {"exact", "missing"}
    assert all(set(HIT_FIELDS) <= set(hit) for hit in hits)
    with open(tmp_path / "out.csv", newline="", encoding="utf-8") as fp:
        header = next(csv.reader(fp))
    hit_columns = [c for c in header if c not in ("call_id", "agent", "team", "date", "path")]
    assert set(hit_columns) <= set(HIT_FIELDS) | PLACE_AND_COST, hit_columns
    page = (tmp_path / "out.html").read_text("utf-8")
    data = json.loads(re.search(r'id="pg-data">(.*?)</script>', page, re.S).group(1))
    shard = json.loads(re.search(r'id="pg-shard-0">(.*?)</script>', page, re.S).group(1))
    assert len(shard[0]["h"]) == len(hits)
    assert all(set(shown) <= set(HIT_FIELDS) | PLACE_AND_COST for shown in shard[0]["h"])
    assert all(set(rule) <= set(HIT_FIELDS) for rule in data["rules"].values())
    assert {"disclaim-responsibility", "closing"} <= set(data["rules"])


def test_live_hit_events_use_the_hit_fields():
    h = Hit("give-up", "c", Severity.MAJOR, "m", ("s",), "没办法", 2, 5, "没办法", "没办法",
            MatchKind.EXACT, 1.0)
    event = json.loads(json.dumps(Alert.of(h, utterance=0, text="这个没办法", from_partial=True,
                                           time=(1.0, 1.5), t=2.0, wall=0.0).to_dict()))
    assert {k: event[k] for k in HIT_FIELDS} == h.to_dict()
    assert (event["time_start"], event["time_end"]) == (1.0, 1.5)
