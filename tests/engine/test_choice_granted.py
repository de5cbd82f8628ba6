"""The polite 随您 grants a choice the customer asked for (ninth session,
train22): "还是工作日来好点？" → "看您时间～随您" is an answer, "我要退宽带" →
"那随您" a brush-off. The curt 随你 and "suit yourself" 随您便 stay whatever was
asked. Lines written for these tests, not taken from the tuning sets."""

from __future__ import annotations

import pytest
from forms import as_form, judged

GRANTED = [
    ("优惠券可以叠加吗，还是只能用一张？", "只能用一张，随您"),
    ("这个保险我不想买可以吗？", "随您，不办也行"),
    ("上午去还是下午去好", "看您时间～随您"),
    ("我想换个房间行不行", "换哪间随您"),
    ("两种套餐选哪个好", "都差不多，随您"),
]


@pytest.mark.parametrize("form", ["plain", "traditional", "spaced"])
@pytest.mark.parametrize(("customer", "text"), GRANTED, ids=[t for _, t in GRANTED])
def test_suiyou_granting_the_choice_asked_for_is_not_a_brush_off(matcher, customer, text, form) -> None:
    assert judged(matcher, as_form(form, text), customer=as_form(form, customer)) == []


BRUSHED_OFF = [
    ("我要退宽带", "那随您", "whatever-polite"),
    ("我要去投诉你们", "去呗 随您亲～", "whatever-polite"),
    ("可以退吗", "随您便", "whatever"),             # suit yourself, whatever was asked
    ("那我到底选哪个", "随你咯～", "whatever"),      # the curt 你 brushes off a choice question too
    ("住院还是不住院", "住不住随你", "whatever"),
]


@pytest.mark.parametrize(("customer", "text", "rule"), BRUSHED_OFF, ids=[t for _, t, _ in BRUSHED_OFF])
def test_suiyou_without_a_choice_asked_and_the_curt_forms_stay_brush_offs(matcher, customer, text,
                                                                       rule) -> None:
    assert rule in judged(matcher, text, customer=customer)


def test_suiyou_with_no_customer_turn_known_is_a_brush_off(matcher) -> None:
    # A script line has no customer turn: nothing shows a choice was asked.
    assert judged(matcher, "那随您") == ["whatever-polite"]


def test_agreeing_to_the_customers_own_plan_is_not_pushing_them_away(matcher) -> None:
    assert judged(matcher, "可以的您自己找人装也行，我们这边都配合",
                  customer="我自己找人装行吗") == []
