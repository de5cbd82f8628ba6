"""Families from typed app chat and voice messages (train32, twelfth session)."""

from __future__ import annotations

import pytest

from phraseguard.engine.hit import Severity


def _judged(matcher, text: str, customer: str | None = None, next_turn: str | None = None
            ) -> list[tuple[str, Severity]]:
    hits = matcher.dialogue.judge_turn(text, matcher.scan(text), customer=customer,
                                       next_turn=next_turn)
    return [(h.rule_id, h.severity) for h in hits]


@pytest.mark.parametrize("customer, text, rule", [
    ("会员能几台设备同时看", "emmm两台？还是三台来着 记不住了哈哈", "disclaim-knowledge"),
    ("这个面霜孕妇能用吗", "孕妇能不能用 问倒我了 亲自己斟酌哈", "disclaim-knowledge"),
    ("扫地机一直显示离线 重置了三遍了", "重置三遍都不行 那基本就木救了哈", "give-up-idiom"),
    ("号被盗了 装备全没了 能找回来不", "宝 被盗的装备基本就凉凉了 节哀[抱拳]", "give-up-idiom"),
    ("你们这个匹配机制太坑了 连跪十把 我要投诉", "好哒 您开心就好~", "sarcasm"),
    # (也無能為力: the resignation itself, session 16)
    ("我部手機上網一直斷線", "這樣的話我們也無能為力了，抱歉。", "give-up-resigned"),
])
def test_chat_slang_violations_are_found(matcher, customer, text, rule) -> None:
    found = _judged(matcher, text, customer)
    assert [r for r, _ in found] == [rule]
    assert found[0][1] >= Severity.MAJOR


@pytest.mark.parametrize("customer, text", [
    ("收到了，东西很好我很喜欢", "您开心就好~ 有问题随时联系我们"),   # warm, after thanks
    ("老师这道题我还是不太懂", "哪一步不清楚呀 截个图给老师康康~"),  # which part the customer lacks
    ("我那个东西到哪儿了嘛？", "你说的是哪个订单嘛？我这边晓不得你说的是哪一单，发个单号给我噻。"),
    ("您记不住密码怎么办", "您记不住的话可以点忘记密码重置"),    # the customer's memory
])
def test_the_same_words_said_harmlessly_are_not_flagged(matcher, customer, text) -> None:
    assert _judged(matcher, text, customer) == []


def test_a_refused_freeze_the_customer_asked_for_is_a_stated_limit() -> None:
    from phraseguard.engine.lexicon import load_lexicon
    from phraseguard.engine.matcher import Matcher
    from phraseguard.engine.meaning_files import use_meaning

    # No rule lists 木得办法; the meaning model reads a give-up, and the
    # customer asked for one change (冻结 is one of them since session 12).
    m = Matcher(load_lexicon())
    assert use_meaning(m)
    line = "年卡冻结木得办法呢亲"
    asked = m.dialogue.judge_turn(line, m.scan(line), customer="年卡能冻结两个月吗 要出差")
    assert [(h.rule_id, h.severity) for h in asked] == [
        ("limit-without-alternative", Severity.MINOR)]
