"""The meaning model: new wording of a forbidden meaning, read where no rule matched."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from phraseguard.engine.explain import explain_line
from phraseguard.engine.hit import MatchKind
from phraseguard.engine.lexicon import load_lexicon
from phraseguard.engine.matcher import Matcher
from phraseguard.engine.meaning import MeaningModel, MeaningWeights, grams
from phraseguard.engine.meaning_files import load_meaning, load_weights, save_weights, use_meaning
from phraseguard.errors import LexiconError, LexiconErrors
from tests.engine.waiting_model import waiting_matcher

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = {"give-up", "disclaim-knowledge", "disclaim-responsibility", "brush-off"}


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    m = Matcher(load_lexicon(None))
    assert use_meaning(m)
    return m


@pytest.fixture(scope="module")
def model(matcher) -> MeaningModel:
    return matcher.dialogue.meaning


# Written for this test (not from any labelled set): new wording, no stock phrase.
NEW_WORDING = [
    "您这事儿吧，我这边真是一点辙都使不上劲。",
    "这我哪儿说得准啊，您问问别人吧。",
    "您爱咋整咋整，我这边就这样了。",
    "这个问题吧，老实讲我这边也是一头雾水。",
    "那您去告吧，我们无所谓。",
]
# Says "not our doing" in words no rule lists.
SILENT = "这个嘛，您心里应该有数吧，反正不是我们这边造成的。"
ORDINARY = [
    "好的亲，已经帮您登记了",
    "不是的",
    "您稍等，我帮您查一下物流",
    "随您挑，喜欢哪个都可以",
    "这个颜色确实有点色差，我帮您申请补偿",
    "您好，很高兴为您服务",
]


@pytest.mark.parametrize("text", NEW_WORDING)
def test_model_reads_new_wording_of_a_forbidden_meaning(model, text):
    hit = model.hit(text)
    assert hit is not None
    assert hit.rule_id in FORBIDDEN
    assert hit.kind is MatchKind.MEANING
    assert (hit.start, hit.end, hit.matched) == (0, len(text), text)
    assert hit.confidence >= model.min_confidence
    assert "meaning model" in hit.reason


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_agent_lines_are_not_flagged(model, text):
    assert model.hit(text) is None


def test_an_offer_in_the_next_turn_lowers_the_models_reading(model):
    text = "这个问题吧，老实讲我这边也是一头雾水。"
    bare = model.read(text, "还有别的问题吗？").violation
    assert model.hit(text, next_turn="还有别的问题吗？") is not None
    assert model.read(text, "我马上帮您联系技术同事，半小时内给您回电话。").violation < bare


def test_an_offer_in_the_next_turn_resolves_a_model_hit_as_it_resolves_the_rule(matcher):
    """The model hit is judged by its rule's own cross-turn conditions too."""
    judge = matcher.dialogue
    assert judge.judge_turn(SILENT, [], next_turn="还有别的问题吗？")
    assert judge.judge_turn(SILENT, [], next_turn="我帮您申请一下补偿") == []


def test_model_hit_takes_its_rules_severity_message_and_suggestions(matcher, model):
    hit = model.hit(NEW_WORDING[0])
    rule = matcher.lexicon.rule(hit.rule_id)
    assert (hit.severity, hit.message, hit.suggestions, hit.category) == (
        rule.severity, rule.message, rule.suggestions, rule.category)


def test_a_turn_no_rule_matched_is_read_by_the_model_in_the_dialogue(matcher):
    text = SILENT
    assert matcher.scan(text) == [] and not matcher.mentions(text)
    judged = matcher.dialogue.judge_turn(text, [], next_turn=None)
    assert [h.kind for h in judged] == [MatchKind.MEANING]


class _Refuses:
    def hit(self, *_a, **_k):
        raise AssertionError("the model was asked about a turn a rule matched")

    hits = hit


def test_a_turn_a_rule_matched_is_judged_by_the_rules_alone(matcher):
    judge = matcher.dialogue
    kept, judge.meaning = judge.meaning, _Refuses()
    try:
        text = "没办法呢"
        hits = matcher.scan(text)
        assert hits
        # The rules' own condition excuses it (an alternative next turn): no model.
        assert judge.judge_turn(text, hits, next_turn="您可以先取消订单再重新下单") == []
    finally:
        judge.meaning = kept


class _FlagsAll:
    def hit(self, text, **_k):
        return object()

    def hits(self, texts, customers=None):
        return [object() for _ in texts]


def test_a_turn_whose_listed_form_a_rule_excused_is_not_read_by_the_model(matcher):
    """The rule found its phrase and its own condition excused it (here a
    third party's not knowing): the model may not overrule that."""
    judge = matcher.dialogue
    text = "配送员不清楚具体位置"
    assert matcher.scan(text) == [] and matcher.mentions(text)
    kept = judge.meaning
    judge.use_meaning(_FlagsAll(), matcher.mentions)
    try:
        assert judge.read(text) == []
        assert judge.read("您好") != []  # no listed form: the model reads it
    finally:
        judge.use_meaning(kept, matcher.mentions)


def test_a_form_the_word_check_finds_inside_another_word_leaves_the_turn_to_the_model(tmp_path):
    """没收到准信儿: a rule's 没收到准信 ends inside the word 准信儿, so the rule
    did not read the turn, and the model may (a form across a break likewise)."""
    lex = tmp_path / "qa.toml"
    lex.write_text('[lexicon]\nname = "qa"\n\n[[rule]]\nid = "no-word"\ncategory = "ignorance"\n'
                   'severity = "major"\nmessage = "No word yet"\nsuggestions = ["我帮您问一下"]\n'
                   'phrases = ["没收到准信"]\n', encoding="utf-8")
    m = Matcher(load_lexicon(lex))
    text = "开学哪天我这边也没收到准信儿，您自己留意吧。"
    assert [v.outcome for v in explain_line(m, text)] == ["not a whole word"]  # a form is there...
    assert not m.mentions(text)  # ...but not as a word
    assert m.mentions("我这边也没收到准信，您自己留意吧")
    m.dialogue.use_meaning(_FlagsAll(), m.mentions)
    assert m.dialogue.read(text) != []


def test_a_form_whose_rule_requires_context_it_lacks_leaves_the_turn_to_the_model(tmp_path):
    """您找司机去呗: the rule's form is there, but the rule counts it only where
    somebody else is named as in charge ([rule.requires]); without that the
    rule says nothing of the turn, so the model reads it. Excused by
    [rule.unless], the same form keeps the model out."""
    lex = tmp_path / "qa.toml"
    lex.write_text('[lexicon]\nname = "qa"\n\n[[rule]]\nid = "refer"\ncategory = "shirking"\n'
                   'severity = "critical"\nmessage = "Refers away"\nsuggestions = ["我帮您联系"]\n'
                   'variants = ["{您|你}找司机"]\nwords = false\n\n[rule.requires]\nutterance = ["是*6负责的"]\n'
                   '\n[rule.unless]\nbefore = ["建议"]\n', encoding="utf-8")
    m = Matcher(load_lexicon(lex))
    assert m.scan("司机的事您找司机去呗") == [] and not m.mentions("司机的事您找司机去呗")
    assert m.mentions("车是车队负责的，您找司机去呗")  # requires holds: the rule decides
    assert m.mentions("建议您找司机问问")  # excused by unless: the rule decided it
    m.dialogue.use_meaning(_FlagsAll(), m.mentions)
    assert m.dialogue.read("司机的事您找司机去呗") != []
    assert m.dialogue.read("建议您找司机问问") == []


def test_judge_dialogue_reads_only_agent_turns_and_sees_the_next_agent_turn(matcher):
    from phraseguard.engine.dialogue import AGENT, CUSTOMER, Turn

    line = SILENT
    turns = [Turn(CUSTOMER, line), Turn(AGENT, line), Turn(CUSTOMER, "那怎么办"),
             Turn(AGENT, "还有别的问题吗？"), Turn(AGENT, line),
             Turn(AGENT, "我马上帮您联系负责的同事核实，半小时内给您回电话。")]
    judged = matcher.dialogue.judge_dialogue(turns, [matcher.scan(t.text) for t in turns])
    flagged = [i for i, hits in enumerate(judged) if hits]
    assert 0 not in flagged  # the customer's words
    assert 1 in flagged  # nothing offered in the agent's next turn
    assert 4 not in flagged  # the next agent turn offers a call back


def test_rejudging_a_held_model_hit_with_the_next_turn(matcher, model):
    """live holds a model hit until the agent's next utterance (or a timeout)."""
    judge = matcher.dialogue
    held = judge.read(SILENT)
    assert held and judge.waits_for_next_turn(held[0])
    assert judge.judge(held, next_turn="我马上帮您联系负责的同事核实，半小时内给您回电话。") == []
    assert judge.judge(held, next_turn=None)[0].rule_id == held[0].rule_id


def test_grams_mark_the_start_and_end_of_a_turn():
    g = grams("没辙", (1, 2, 3))
    assert g["没"] == 1 and g["^没"] == 1 and g["辙$"] == 1 and g["^没辙"] == 1


def test_traditional_and_spaced_forms_read_like_the_plain_one(model):
    plain = "这个问题吧，老实讲我这边也是一头雾水。"
    for form in ("這個問題吧，老實講我這邊也是一頭霧水。", "这个 问题 吧 老实 讲 我 这边 也是 一头雾水"):
        assert abs(model.read(form).violation - model.read(plain).violation) < 0.15


# -- files and settings -------------------------------------------------------------------


def _tiny_weights() -> MeaningWeights:
    return MeaningWeights(text_grams=("没", "辙"), text_idf=np.ones(2, np.float32),
                          next_grams=("帮",), next_idf=np.ones(1, np.float32),
                          coef=np.array([[0, 3], [0, 3], [0, -12]], np.float32),
                          intercept=np.array([0, -1], np.float32),
                          classes=("none", "give-up"), next_weight=0.5)


def test_weights_round_trip_through_the_file(tmp_path):
    path = tmp_path / "m.npz"
    save_weights(_tiny_weights(), path)
    back = load_weights(path)
    assert back.classes == ("none", "give-up") and back.text_grams == ("没", "辙")
    assert np.array_equal(back.coef, _tiny_weights().coef)


def test_a_file_that_is_not_a_model_is_refused_with_its_name(tmp_path):
    bad = tmp_path / "m.npz"
    bad.write_bytes(b"not a zip")
    with pytest.raises(LexiconError) as err:
        load_weights(bad)
    assert "m.npz" in str(err.value) and "not a meaning model" in str(err.value)
    with pytest.raises(LexiconError, match="not found"):
        load_weights(tmp_path / "missing.npz")


def test_a_lexicon_turns_the_model_off_or_names_its_own(tmp_path):
    save_weights(_tiny_weights(), tmp_path / "ours.npz")
    off = tmp_path / "off.toml"
    off.write_text('[lexicon]\nextends = "default"\n[meaning]\nenabled = false\n', "utf-8")
    assert load_meaning(load_lexicon(str(off)), str) is None
    ours = tmp_path / "sub" / "ours.toml"
    ours.parent.mkdir()
    ours.write_text('[lexicon]\nextends = "default"\n[meaning]\nmodel = "../ours.npz"\n'
                    "min_confidence = 0.5\n", "utf-8")
    lex = load_lexicon(str(ours))
    assert lex.meaning.model == str((tmp_path / "ours.npz").resolve())
    model = load_meaning(lex, str)
    assert model.hit("没辙") is not None and model.hit("没辙", next_turn="帮帮") is None


@pytest.mark.parametrize("setting, problem", [("min_confidence = 1.5", "between 0 and 1"),
                                              ('enabled = "yes"', "true or false")])
def test_bad_meaning_settings_are_reported_with_file_and_line(tmp_path, setting, problem):
    path = tmp_path / "bad.toml"
    path.write_text(f'[lexicon]\nextends = "default"\n[meaning]\n{setting}\n', "utf-8")
    with pytest.raises(LexiconErrors) as err:
        load_lexicon(str(path))
    assert problem in str(err.value) and "bad.toml:4" in str(err.value)


def test_the_shipped_model_was_trained_on_the_current_tuning_sets():
    """Fails when a tuning set or the training config changed and nobody retrained
    (python scripts/train_meaning.py)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    sys.path.insert(0, str(ROOT / "bench"))
    import train_meaning

    weights = load_weights(ROOT / "lexicons" / "meaning-model.npz")
    digest = train_meaning.training_digest(train_meaning.load_config())
    assert f"training {digest}" in weights.about


def _reference(model, text, orders, grams_, idf):
    from phraseguard.engine.meaning import tfidf

    index = {g: i for i, g in enumerate(grams_)}
    ids, vals = tfidf(grams(model.normalized(text), orders), index, idf)
    return dict(zip(ids, vals, strict=True))


@pytest.mark.parametrize("texts", [
    ["这个我们也没办法", "", "這個我們也沒辦法", "这个 我们 也 没 办法", "^$?好的$^", "😀亲，稍等𠀀哦",
     "您问我，我问谁去？", "a"],
    [f"第{i}单，这个问题我这边也说不好" * (i % 3 + 1) for i in range(40)],
])
def test_batch_features_equal_the_trainers_features(model, texts):
    """The model reads many turns at once with numpy; the trainer featurised them
    one at a time (grams + tfidf). Both must give the same numbers."""
    from phraseguard.engine.meaning import TEXT_ORDERS

    w = model.weights
    row, fid, vals = model._text.features([model.normalized(t) for t in texts])
    for i, text in enumerate(texts):
        got = {int(f): float(v) for f, v in zip(fid[row == i], vals[row == i], strict=True)}
        ref = _reference(model, text, TEXT_ORDERS, w.text_grams, w.text_idf)
        assert got.keys() == ref.keys()
        assert all(abs(got[k] - ref[k]) < 1e-5 for k in ref)


def test_reading_many_turns_equals_reading_each(model):
    texts = NEW_WORDING + ORDINARY + [SILENT]
    nexts = [None, "我帮您申请一下补偿", *[None] * (len(texts) - 2)]
    many = model.read_many(texts, nexts)
    for text, nxt, reading in zip(texts, nexts, many, strict=True):
        one = model.read(text, nxt)
        assert one.rule_id == reading.rule_id
        assert abs(one.violation - reading.violation) < 1e-9


# -- a reading that waits for the next turn ([meaning] wait_confidence) ---------------------


def _judge_with(wait: float):
    return waiting_matcher(load_lexicon(None), wait).dialogue


def test_a_turn_read_alone_below_min_confidence_is_only_a_candidate():
    model = _judge_with(0.5).meaning
    assert 0.5 <= model.read("哎呀").violation < 0.7
    assert model.hit("哎呀") is None  # alone it is not a finding
    waiting = model.hits(["哎呀"])[0]
    assert waiting is not None and waiting.confidence < 0.7


def test_a_next_turn_that_offers_nothing_makes_a_waiting_reading_a_finding():
    from phraseguard.engine.dialogue import AGENT, CUSTOMER, Turn

    judge = _judge_with(0.5)
    turns = [Turn(AGENT, "哎呀"), Turn(CUSTOMER, "那怎么办"), Turn(AGENT, "还有别的问题吗")]
    judged = judge.judge_dialogue(turns, [[], [], []])
    assert [h.rule_id for h in judged[0]] == ["give-up"]
    assert judged[0][0].confidence >= 0.7
    assert "nothing offered in the agent's next turn" in judged[0][0].reason
    # An offer next clears it; with no next turn, the turn alone (0.60) is not enough.
    assert judge.judge_turn("哎呀", [], next_turn="我帮您看看") == []
    assert judge.judge_turn("哎呀", [], next_turn=None) == []


def test_wait_confidence_equal_to_min_confidence_lets_the_turn_alone_decide():
    judge = _judge_with(0.7)
    assert judge.meaning.hits(["哎呀"]) == [None]
    assert judge.judge_turn("哎呀", [], next_turn="还有别的问题吗") == []


def test_wait_confidence_is_read_from_the_lexicon_and_checked(tmp_path):
    ours = tmp_path / "ours.toml"
    ours.write_text('[lexicon]\nextends = "default"\n[meaning]\nwait_confidence = 0.4\n', "utf-8")
    assert load_lexicon(str(ours)).meaning.wait_confidence == 0.4
    bad = tmp_path / "bad.toml"
    bad.write_text('[lexicon]\nextends = "default"\n[meaning]\nwait_confidence = 2\n', "utf-8")
    with pytest.raises(LexiconErrors, match="between 0 and 1"):
        load_lexicon(str(bad))
