"""score reads agent utterances no rule matched with the lexicon's meaning model."""

from __future__ import annotations

import dataclasses
import json

from click.testing import CliRunner

from phraseguard.cli import cli

CALL = ("客服: 您好，很高兴为您服务\n客户: 我的快递三天没动了\n"
        "客服: 这个嘛，您心里应该有数吧，反正不是我们这边造成的。\n客户: 那我怎么办\n"
        "客服: {next}\n")


def score(tmp_path, next_line: str, *extra: str) -> list[dict]:
    calls = tmp_path / "calls"
    calls.mkdir(exist_ok=True)
    (calls / "c1.txt").write_text(CALL.format(next=next_line), "utf-8")
    result = CliRunner().invoke(cli, ["score", str(calls), "--db", str(tmp_path / "pg.db"),
                                      "--no-config", "--no-call-flow", "-q", "--json", "-",
                                      *extra])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)["hits"]


def test_score_counts_what_the_model_reads_when_nothing_is_offered_after(tmp_path):
    hits = score(tmp_path, "还有别的问题吗？")
    (hit,) = [h for h in hits if h["kind"] == "meaning"]
    assert hit["char_start"] == 0 and "meaning model" in hit["reason"]


def test_score_drops_it_when_the_agents_next_turn_offers_help(tmp_path):
    hits = score(tmp_path, "我马上帮您联系负责的同事核实，半小时内给您回电话。")
    assert [h for h in hits if h["kind"] == "meaning"] == []


def test_a_lexicon_with_the_model_off_scores_by_the_rules_alone(tmp_path):
    off = tmp_path / "off.toml"
    off.write_text('[lexicon]\nextends = "default"\n[meaning]\nenabled = false\n', "utf-8")
    assert score(tmp_path, "还有别的问题吗？", "--lexicon", str(off)) == []


def test_a_missing_model_file_stops_the_batch_before_any_work(tmp_path):
    calls = tmp_path / "calls"
    calls.mkdir()
    (calls / "c1.txt").write_text(CALL.format(next="好的"), "utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text('[lexicon]\nextends = "default"\n[meaning]\nmodel = "gone.npz"\n', "utf-8")
    result = CliRunner().invoke(cli, ["score", str(calls), "--db", str(tmp_path / "pg.db"),
                                      "--no-config", "-q", "--lexicon", str(bad)])
    assert result.exit_code == 2
    assert f"{tmp_path / 'gone.npz'}: meaning model file not found" in result.stderr
    from phraseguard.calls.store import Store

    with Store.open(tmp_path / "pg.db") as store:
        assert store.calls() == []


def test_workers_get_the_weights_with_the_lexicon_not_the_file(tmp_path):
    """A worker on another machine has no copy of the model file: the batch
    reads it once and sends the weights in the worker's configuration."""
    from phraseguard.calls.worker import Worker, WorkerConfig
    from phraseguard.engine.lexicon import load_lexicon
    from phraseguard.engine.meaning_files import load_meaning_weights
    from phraseguard.speech.transcript import Role

    lexicon = load_lexicon()
    weights = load_meaning_weights(lexicon)
    elsewhere = dataclasses.replace(lexicon, meaning=dataclasses.replace(
        lexicon.meaning, model=str(tmp_path / "not-on-this-machine.npz")))
    worker = Worker(WorkerConfig(elsewhere, None, None, Role.AGENT, meaning=weights))
    assert worker.matcher.dialogue.meaning is not None
    assert Worker(WorkerConfig(lexicon, None, None, Role.AGENT)).matcher.dialogue.meaning is None
