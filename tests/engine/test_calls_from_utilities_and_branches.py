"""Call-flow families from the twenty-third session's phone calls (callflow
train48: utilities, telecom and public hotlines; train49: calls passed between
people): a utility named by its kind, the kind of office alone, an outbound
apology before the company's name, a branch of a named company, and an
invitation to come as the call ends; train50 (banks and insurers) and train51
(openings that go wrong): kinds of line and insurer, a wrong number answered
with the name, and a wish cut off."""

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
    # (train50/51: a kind of line, office or insurer; acting for someone unnamed; a
    # place and its role; a Cantonese "is it Mr Chan?")
    ("您好房贷专线",),
    ("您好，养老金查询，请讲。",),
    ("您好征信中心",),
    ("您好，是罗先生吗？我是贷款中心的，您的房贷批下来了。",),
    ("您好，请问是霍大爷吗？这边是养老保险的，给您做一下回访。",),
    ("侬好，阿拉财险这边，有啥事体？",),
    ("喂是李建国吗", "我是受委托的催收员您的借款已经逾期了"),
    ("您好，我是游泳馆的前台。",),
    ("喂，系咪陈生啊？", "哦，唔好意思，打搅晒。"),
])
def test_a_utility_named_by_its_kind_is_no_introduction(flow, opening) -> None:
    assert _opening(flow, *opening)["self-introduction"] is False


@pytest.mark.parametrize("opening", [
    # a named office still counts
    ("您好，这里是城关供电所，请问有什么可以帮您？",),
    ("打扰一下，这边是城建热力，请问是八号楼的住户吗？",),
    ("您好，请问是王先生吗？", "王先生您好，我是建设银行滨江支行个贷中心的客户经理刘洋。"),
    # (a wrong number answered with the name)
    ("不是 这里是老百姓大药房",),
])
def test_a_named_company_after_an_apology_or_with_its_branch_is_an_introduction(
        flow, opening) -> None:
    assert _opening(flow, *opening)["self-introduction"] is True


def test_an_invitation_to_come_ends_the_call(flow) -> None:
    assert _closed(flow, "不客气，周末天气不错，欢迎您来西湖。") is True
    assert _closed(flow, "不客气。") is False


def test_a_wish_cut_off_before_it_is_said_is_no_closing(flow) -> None:
    assert _closed(flow, "好的 那祝您——") is False
    assert _closed(flow, "好的，那祝您生活愉快。") is True
