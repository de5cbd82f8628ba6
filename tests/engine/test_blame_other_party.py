"""blame-other-party (eighteenth session): after a fault, an answer that only
says whose doing it was counts; with a remedy, a question, or without a fault
before it, it does not."""

from __future__ import annotations

import pytest
from forms import judged


@pytest.mark.parametrize(("customer", "text"), [
    ("奶粉罐子收到是漏的，奶粉都撒出来了", "这个是物流途中造成的哦"),
    ("床架装好第二天就断了一根横梁", "安装是第三方师傅装的哦亲"),
    ("影院说我的票是无效的，不让进", "票是影院出的，得影院那边解决"),
    ("买的视频会员卡密兑换不了", "卡密是供应商那边提供的哦亲"),
])
def test_whose_doing_it_was_after_a_fault_counts(matcher, customer, text) -> None:
    assert "blame-other-party" in judged(matcher, text, customer=customer)


@pytest.mark.parametrize(("customer", "text", "next_turn"), [
    # a remedy in the same turn, or the agent taking it on in the next
    ("奶粉罐子收到是漏的", "这个是物流途中造成的，我们先给您补发一罐", None),
    ("奶粉罐子收到是漏的", "这个是物流途中造成的哦", "我已经给您申请了补发，明天就能到"),
    # a question, not an answer
    ("奶粉罐子收到是漏的", "是物流途中造成的吗？", None),
    # no fault before it: information
    ("卡密是哪里来的？", "卡密是供应商那边提供的哦亲", None),
    # no customer turn at all (a script line): the rule cannot count
    (None, "这个是物流途中造成的哦", None),
])
def test_with_a_remedy_a_question_or_no_fault_it_does_not(matcher, customer, text,
                                                          next_turn) -> None:
    assert "blame-other-party" not in judged(matcher, text, customer=customer,
                                             next_turn=next_turn)
