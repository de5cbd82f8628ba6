"""live: a pause between recognised words ends a clause, as in score
(``[matching] spoken_pause_seconds``; scripted recogniser, default lexicon)."""

from __future__ import annotations

import pytest
from test_session import Collect, ListSource, ScriptedRecognizer

from phraseguard.calls.scoring import Scorer
from phraseguard.engine.lexicon import load_lexicon
from phraseguard.engine.matcher import Matcher
from phraseguard.live.session import LiveOptions, LiveSession
from phraseguard.speech.asr import Segment
from phraseguard.speech.transcript import Word

WORDS = ["驿站", "不归", "我们", "你", "自己", "去", "驿站", "闹"]


def timed(gap_after_third: float) -> Segment:
    words, t = [], 0.5
    for i, w in enumerate(WORDS):
        words.append(Word(w, t, t + 0.3, 0.9))
        t += 0.3 + (gap_after_third if i == 2 else 0.05)
    return Segment(text=" ".join(WORDS), final=True, words=tuple(words),
                   start=words[0].start, end=words[-1].end)


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


@pytest.mark.parametrize(("gap", "alerts"), [(0.8, ["push-away-indirect"]), (0.1, [])])
def test_a_pause_in_the_agent_s_speech_ends_the_clause(lexicon, gap, alerts) -> None:
    sink = Collect()
    LiveSession(ListSource(4), lambda rate: ScriptedRecognizer({2: [timed(gap)]}, ()),
                Matcher(lexicon), Scorer(lexicon), sinks=[sink],
                options=LiveOptions(warmup_seconds=0)).run()
    assert [e.rule_id for e in sink.of("hit")] == alerts
