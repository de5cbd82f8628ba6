"""Forms from the eleventh session's training writer (train28: long spoken
turns): a limit closed by "that's how it is", another body's hotline, and the
look-alikes that stay benign (a courier who doesn't know, 不管 + a pair of
opposites). Lines written for these tests, not taken from the tuning sets."""

from __future__ import annotations

import pytest
from forms import as_form, judged


@pytest.mark.parametrize("form", ["plain", "traditional", "spaced"])
def test_a_limit_closed_by_that_is_how_it_is_gives_up(matcher, form) -> None:
    text = "我看了一下系统里面是改不了的没法弄就是这样的您看还有别的事吗"
    assert "give-up" in judged(matcher, as_form(form, text),
                               customer="你们多扣了我五十块钱必须退给我")


def test_an_explanation_that_opens_with_this_is_how_it_is_still_excuses(matcher) -> None:
    # 情况是这样的 opens a reason; 就是这样的 closes one.
    assert judged(matcher, "情况是这样的，系统升级期间没法弄，明天上午就恢复了") == []


@pytest.mark.parametrize("form", ["plain", "spaced"])
def test_sending_the_customer_to_another_body_s_hotline_is_a_push_away(matcher, form) -> None:
    assert "push-away" in judged(matcher, as_form(form, "路灯归街道管，您打街道热线吧"))


@pytest.mark.parametrize("text", [
    "亲，快递小哥不清楚您家门牌的话，小妹把地址再备注给他哈",
    "您把脚长告诉我，不管脚宽脚窄我都对着尺码表帮您挑",
    "您量一下告诉我不管个高个矮我对着尺码帮您选",
])
def test_a_third_party_not_knowing_and_no_matter_which_are_benign(matcher, text) -> None:
    assert judged(matcher, text) == []


def test_a_tautology_is_no_advice_to_act(matcher) -> None:
    # 就 + 拒收 advises (不满意您就拒收) only with the customer as its subject:
    # 拒收就拒收了 ("rejected is rejected") excuses nothing.
    assert "brush-off" in judged(matcher, "拒收就拒收了，您爱怎么弄怎么弄吧")
