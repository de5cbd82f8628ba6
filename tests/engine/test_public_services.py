"""Harmless not-knowing in small trades' everyday speech (eleventh session,
from train31's false alarms): the news sent by text, a visit to look, a
warranty given, the customer's own not-knowing as a condition or answered in
dialect. Lines written for these tests, not taken from the tuning sets."""

from __future__ import annotations

import pytest
from forms import as_form, judged


@pytest.mark.parametrize("form", ["plain", "traditional", "spaced"])
@pytest.mark.parametrize("text", [
    "几点来电现在还不清楚，一有消息我们第一时间发短信给您",
    "以前的车主怎么开的我们确实不知道，所以给您半年质保",
    "不晓得没得关系，您把孩子带来做个测试就晓得了",
    "不知道的话可以先来试听一节，免费的",
])
def test_not_knowing_with_what_happens_next_is_benign(matcher, text, form) -> None:
    assert judged(matcher, as_form(form, text)) == []


def test_a_visit_to_look_in_the_next_turn_resolves_it(matcher) -> None:
    assert judged(matcher, "能给多少现在还不清楚",
                  next_turn="得看了东西才知道，我明天上午过去看看") == []
    assert "disclaim-knowledge" in judged(matcher, "能给多少现在还不清楚",
                                          next_turn="还有别的事吗")
