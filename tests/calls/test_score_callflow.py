"""``phraseguard score`` call flow (on by default): deductions with reasons, checklist and
per-agent rates, and the ways to switch it off."""

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
    assert reasons["greeting"] == "greeting (minor, -5): no greeting in the first 2 agent messages"
    rows = list(csv.DictReader((tmp_path / "qa.calls.csv").open(encoding="utf-8")))
    assert sorted((r["call_id"], r["greeting"], r["closing"]) for r in rows) == [
        ("0001", "yes", "no"), ("0002", "no", "yes")]
    agents = {r["agent"]: r for r in csv.DictReader((tmp_path / "qa.agents.csv").open(
        encoding="utf-8"))}
    assert agents["alice"]["closing_rate"] == "0" and agents["alice"]["greeting_rate"] == "1"
    # --no-call-flow scores the same calls on forbidden phrases only.
    again = CliRunner().invoke(cli, ["score", str(calls), "--db", str(tmp_path / "p.db"), "-q",
                                     "--no-call-flow", "--json", "-"])
    plain = {c["call_id"]: c for c in json.loads(again.stdout)["calls"]}
    assert plain["0002"]["score"] == 100 and "checklist" not in plain["0002"]


def _two_calls(tmp_path):
    calls = tmp_path / "calls"
    calls.mkdir()
    (calls / "2026-11-02_alice_0001.txt").write_text(
        "客服：您好，我是客服小王\n客户：我的快递没到\n客服：这个我不知道\n", "utf-8")
    (calls / "2026-11-02_bob_0002.txt").write_text(
        "客服：请问有什么可以帮您\n客户：查快递\n客服：好的，感谢您的来电，再见\n", "utf-8")
    return calls


def _scores(tmp_path, calls, *args) -> dict:
    result = CliRunner().invoke(cli, ["score", str(calls), "--db", str(tmp_path / "d.db"), "-q",
                                      "--rescore", "--json", "-", *args])
    assert result.exit_code == 0, result.output
    return {c["call_id"]: (c["score"], c.get("checklist")) for c in json.loads(
        result.stdout)["calls"]}


def test_score_checks_call_flow_by_default(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # no phraseguard.toml above
    calls = _two_calls(tmp_path)
    scores = _scores(tmp_path, calls)
    assert scores["0001"] == (100 - 10 - 5, {"greeting": True, "self-introduction": True,
                                             "closing": False})
    assert scores["0002"] == (100 - 5 - 5, {"greeting": False, "self-introduction": False,
                                            "closing": True})


def test_call_flow_off_in_the_settings_file_or_the_lexicon(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    calls = _two_calls(tmp_path)
    off = {"0001": (90, None), "0002": (100, None)}
    (tmp_path / "phraseguard.toml").write_text("[score]\ncall_flow = false\n", "utf-8")
    assert _scores(tmp_path, calls) == off
    # The command line wins over the file.
    assert _scores(tmp_path, calls, "--call-flow")["0002"][0] == 90
    (tmp_path / "phraseguard.toml").unlink()
    # A lexicon whose call-flow rules are all disabled checks none: nothing to check.
    lexicon = tmp_path / "ours.toml"
    lexicon.write_text('[lexicon]\nextends = "default"\n\n' + "".join(
        f'[[{section}]]\nid = "{rid}"\ndisabled = true\n\n' for section, rid in (
            ("required", "greeting"), ("required", "self-introduction"),
            ("required", "closing"), ("timing", "dead-air"), ("timing", "talk-over"),
            ("timing", "fast-speech"), ("timing", "slow-start"))), "utf-8")
    assert _scores(tmp_path, calls, "--lexicon", str(lexicon)) == off
