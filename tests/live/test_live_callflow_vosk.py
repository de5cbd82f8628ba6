"""Call flow in ``phraseguard live`` with the real Korean model: a stereo call built
from the committed clips (customer on the right, agent on the left), call flow
switched on by ``call_flow = true`` in phraseguard.toml, as for ``score``."""

from __future__ import annotations

import pytest
from live_helpers import KO_BASE, PRESIDENT_CLIP, REGION_CLIP, need, parse_events, run_cli, sox

from phraseguard.calls.store import Store

pytestmark = pytest.mark.vosk

#: Seconds of silence between the customer's clip and the agent's.
GAP = 3.0

FLOW_LEXICON = f"""\
[lexicon]
name = "ko-flow-test"
extends = "{KO_BASE}"

[[rule]]
id = "president"
category = "test"
severity = "major"
message = "Says president"
suggestions = ["대표님이라고 하세요"]
phrases = ["대통령"]

[[required]]
id = "greeting"
category = "call-flow"
severity = "minor"
message = "Opens without a greeting"
missing = "no greeting"
suggestions = ["안녕하세요"]
phrases = ["안녕하세요"]
window = "first"
turns = 1
seconds = 3

[[required]]
id = "closing"
category = "call-flow"
severity = "minor"
message = "Ends without a question back"
missing = "no question back"
suggestions = ["할까요"]
phrases = ["할까요"]
window = "last"
turns = 1
seconds = 30

[[timing]]
id = "dead-air"
check = "dead-air"
severity = "minor"
message = "The customer waits in silence"
suggestions = ["잠시만요"]
seconds = 2
"""


def test_stereo_replay_reminds_greeting_checks_closing_and_times_dead_air(
        ko_clips, ko_model_path, tmp_path):
    need("sox")
    lexicon = tmp_path / "flow.toml"
    lexicon.write_text(FLOW_LEXICON, encoding="utf-8")
    (tmp_path / "phraseguard.toml").write_text("call_flow = true\n", encoding="utf-8")
    customer, agent, call = tmp_path / "customer.wav", tmp_path / "agent.wav", tmp_path / "call.wav"
    sox(ko_clips / REGION_CLIP, "-r", "16000", "-c", "1", "-b", "16", customer, "pad", "0.5")
    customer_end = 0.5 + float(sox_duration(ko_clips / REGION_CLIP))
    sox(ko_clips / PRESIDENT_CLIP, "-r", "16000", "-c", "1", "-b", "16", agent,
        "pad", str(customer_end + GAP))
    sox("-M", agent, customer, call)  # left: the agent, right: the customer
    db = tmp_path / "pg.db"
    result = run_cli(["live", "--input", call, "--fast", "--agent-channel", "left",
                      "--lexicon", lexicon, "--model", ko_model_path, "--events", "-",
                      "--db", db], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    events = parse_events(result.stdout)
    utterances = events.of("utterance")
    agent_said = [u for u in utterances if "대통령" in u["text"] or "선택" in u["text"]]
    first_agent = min(u["start"] for u in agent_said)
    customer_last = max(u["end"] for u in utterances if "지역" in u["text"]
                        or "어려울" in u["text"])
    # The greeting window (3 s from the agent's first word) closed without one.
    # The window closed during the agent's first (6 s) utterance, which might
    # still have held the greeting: the reminder comes as soon as it is final.
    (reminder,) = events.of("reminder")
    assert reminder["rule_id"] == "greeting" and reminder["at_end"] is False
    assert reminder["time_start"] == pytest.approx(first_agent, abs=0.01)
    assert reminder["time_end"] == pytest.approx(first_agent + 3, abs=0.01)
    assert reminder["t"] == agent_said[0]["t"] > first_agent + 3
    # Dead air: from the customer's last word to the agent's first, within the
    # silence put between them (plus the clips' own quiet edges).
    (dead,) = events.of("timing")
    assert dead["rule_id"] == "dead-air"
    assert (dead["time_start"], dead["time_end"]) == pytest.approx(
        (customer_last, first_agent), abs=0.3)
    assert GAP - 0.3 <= dead["time_end"] - dead["time_start"] <= GAP + 1.5
    end = events.one("session_end")
    assert end["checklist"] == {"greeting": False, "closing": True}
    assert end["score"] == 100 - 10 - 5 - 5  # president, greeting, dead air
    with Store.open(db, create=False) as store:
        (call_row,) = store.calls()
        assert call_row.score == end["score"]
        assert call_row.lexicon_digest.endswith("+flow")
        assert sorted(h.rule_id for h in store.hits(call=call_row.pk) if h.counted) == [
            "dead-air", "greeting", "president"]
        roles = {u.role.value for u in store.transcript(call_row.pk).utterances}
        assert roles == {"agent", "customer"}


def sox_duration(path) -> str:
    import subprocess

    return subprocess.run(["soxi", "-D", str(path)], check=True, capture_output=True,
                          text=True).stdout.strip()
