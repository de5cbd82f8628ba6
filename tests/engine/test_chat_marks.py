"""Chat marks: stickers written as names in brackets ([摊手]) end a clause
(``[matching] chat_emoji``); a Weibo @mention's @ and spaces do not."""

from __future__ import annotations

from phraseguard.engine.hit import Severity
from phraseguard.engine.lexicon import load_lexicon
from phraseguard.engine.matcher import Matcher
from phraseguard.engine.normalize import Normalizer


def test_a_sticker_is_dropped_and_ends_the_clause() -> None:
    nz = Normalizer(chat_emoji=("摊手",)).normalize("您得问银行[摊手]好的")
    assert nz.text == "您得问银行好的"
    assert nz.breaks == frozenset({5})
    # Offsets still point into the original text.
    assert nz.text[5] == "好" and "您得问银行[摊手]好的"[nz.offsets[5]] == "好"


def test_traditional_sticker_names_are_stickers_too() -> None:
    nz = Normalizer(chat_emoji=("摊手",)).normalize("您得問銀行[攤手]好的")
    assert nz.text == "您得问银行好的" and nz.breaks == frozenset({5})


def test_masked_data_and_unlisted_brackets_stay_text() -> None:
    norm = Normalizer(chat_emoji=("摊手",))
    assert norm.normalize("小[姓名x]在此为您排忧解难").text == "小姓名x在此为您排忧解难"
    assert norm.normalize("小[姓名x]在此为您排忧解难").breaks == frozenset()
    # A listed name outside brackets is a word like any other.
    assert norm.normalize("他摊手说没办法").text == "他摊手说没办法"


def test_a_referral_that_ends_at_a_sticker_is_the_whole_answer(matcher) -> None:
    hits = matcher.dialogue.judge_turn("扣款是银行扣的呀 您得问银行[摊手]",
                                       matcher.scan("扣款是银行扣的呀 您得问银行[摊手]"),
                                       customer="信用卡还款扣了两次", next_turn=None)
    assert [(h.rule_id, h.severity) for h in hits] == [("push-away", Severity.CRITICAL)]


def test_an_empty_sticker_list_reads_the_names_as_text(tmp_path) -> None:
    lex = tmp_path / "lex.toml"
    lex.write_text('[lexicon]\nname = "no-stickers"\nextends = "default"\n\n'
                   "[matching]\nchat_emoji = []\n", encoding="utf-8")
    plain = Matcher(load_lexicon(lex))
    assert [h.rule_id for h in plain.scan("扣款是银行扣的呀 您得问银行[摊手]")] == []


def test_a_weibo_mention_is_one_name_not_three_clauses() -> None:
    nz = Normalizer().normalize("您好！这里是@ 中国联通吉林客服 微博,首先", space_breaks=True)
    assert nz.text == "您好这里是中国联通吉林客服微博首先"
    assert nz.breaks == frozenset({2, 15})  # the ！ and the comma only


def test_a_masked_persona_name_still_ends_the_clause_at_its_at_sign() -> None:
    # The corpus masks a persona as 小@; no space after the next word, so no mention.
    nz = Normalizer().normalize("小@ 已关注到您所反映的问题,请", space_breaks=True)
    assert 1 in nz.breaks


def test_the_company_named_through_a_mention_introduces_the_agent(default_lexicon) -> None:
    from talk import a, c

    from phraseguard.engine.callflow import CallFlow

    flow = CallFlow(default_lexicon)
    conv = [c("在吗"), a("您好！这里是@ 中国联通吉林客服 微博,首先为我们可能给您带去的不便表示歉意"),
            c("嗯"), a("好的")]
    assert flow.check(conv).checklist["self-introduction"] is True


def test_a_sound_alike_after_a_sticker_is_read_where_it_is(matcher) -> None:
    # The sticker's name is dropped from the line the folds are made from too:
    # a homophone hit after it is placed, and excused by sound, where it is.
    text = "亲[微笑]这个布庼傗"
    (hit,) = matcher.scan(text)
    assert (hit.rule_id, text[hit.start:hit.end]) == ("disclaim-knowledge", "布庼傗")
    assert matcher.scan("亲[微笑]布庼傗没悹嘻~ 点头像-安全中心") == []
