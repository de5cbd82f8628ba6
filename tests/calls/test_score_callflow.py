"""``phraseguard score --call-flow``: deductions with reasons, checklist and per-agent rates."""

from __future__ import annotations

import csv
import json

from click.testing import CliRunner

from phraseguard.cli import cli


def test_score_call_flow_checklist_rates_and_reasons(tmp_path) -> None:
    calls = tmp_path / "calls"
    calls.mkdir()
    (calls / "2026-11-02_alice_0001.txt").write_text(
        "客服：您好，我是客服小王\n客户：我的快递没到\n客服：这个我不知道\n", "utf-8")
    (calls / "2026-11-02_bob_0002.txt").write_text(
        "客服：请问有什么可以帮您\n客户：查快递\n客服：好的，感谢您的来电，再见\n", "utf-8")
    out = tmp_path / "qa.csv"
    result = CliRunner().invoke(cli, ["score", str(calls), "--db", str(tmp_path / "q.db"), "-q",
                                      "--jobs", "1", "--call-flow", "--csv", str(out), "--json",
                                      str(tmp_path / "qa.json")])
    assert result.exit_code == 0, result.output
    doc = json.loads((tmp_path / "qa.json").read_text("utf-8"))
    by_call = {c["call_id"]: c for c in doc["calls"]}
    assert by_call["0001"]["checklist"] == {"greeting": True, "self-introduction": True,
                                            "closing": False}
    assert by_call["0001"]["score"] == 100 - 10 - 5  # disclaim-knowledge, no farewell
    assert by_call["0002"]["score"] == 100 - 5 - 5  # no greeting, no self-introduction
    assert doc["required_rates"]["bob"] == {"greeting": 0.0, "self-introduction": 0.0,
                                            "closing": 1.0}
    reasons = {h["rule_id"]: h["reason"] for h in doc["hits"] if h["call_id"] == "0002"}
    assert reasons["greeting"] == "greeting (minor, -5): no greeting in the first agent turn"
    rows = list(csv.DictReader((tmp_path / "qa.calls.csv").open(encoding="utf-8")))
    assert sorted((r["call_id"], r["greeting"], r["closing"]) for r in rows) == [
        ("0001", "yes", "no"), ("0002", "no", "yes")]
    agents = {r["agent"]: r for r in csv.DictReader((tmp_path / "qa.agents.csv").open(
        encoding="utf-8"))}
    assert agents["alice"]["closing_rate"] == "0" and agents["alice"]["greeting_rate"] == "1"
    # Without --call-flow the same calls are scored on forbidden phrases only.
    again = CliRunner().invoke(cli, ["score", str(calls), "--db", str(tmp_path / "p.db"), "-q",
                                     "--json", "-"])
    plain = {c["call_id"]: c for c in json.loads(again.stdout)["calls"]}
    assert plain["0002"]["score"] == 100 and "checklist" not in plain["0002"]
