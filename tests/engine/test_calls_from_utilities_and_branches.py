"""Call-flow families from the twenty-third session's phone calls (callflow
train48: utilities, telecom and public hotlines; train49: calls passed between
people): a utility named by its kind, the kind of office alone, an outbound
apology before the company's name, a branch of a named company, and an
invitation to come as the call ends."""

from __future__ import annotations

import pytest
from talk import closed_with as _closed
from talk import opening_checklist as _opening

from phraseguard.engine.callflow import CallFlow


@pytest.fixture(scope="module")
def flow(default_lexicon) -> CallFlow:
    return CallFlow(default_lexicon)


@pytest.mark.parametrize("opening", [
    ("喂 哪位",),
    ("喂您好 我是热力公司的 跟您确认一下 明天上午上门试水",),
    ("喂 您好 我们这边是供水管网的 请问是东园小区的业主吗",),
    ("喂 供电所",),
    ("喂，唔该，系咪李生呀？我系供电嗰边嘅，想同你讲下电费。",),
])
def test_a_utility_named_by_its_kind_is_no_introduction(flow, opening) -> None:
    assert _opening(flow, *opening)["self-introduction"] is False


@pytest.mark.parametrize("opening", [
    # a named office still counts
    ("您好，这里是城关供电所，请问有什么可以帮您？",),
    ("打扰一下，这边是城建热力，请问是八号楼的住户吗？",),
    ("您好，请问是王先生吗？", "王先生您好，我是建设银行滨江支行个贷中心的客户经理刘洋。"),
])
def test_a_named_company_after_an_apology_or_with_its_branch_is_an_introduction(
        flow, opening) -> None:
    assert _opening(flow, *opening)["self-introduction"] is True


def test_an_invitation_to_come_ends_the_call(flow) -> None:
    assert _closed(flow, "不客气，周末天气不错，欢迎您来西湖。") is True
    assert _closed(flow, "不客气。") is False
