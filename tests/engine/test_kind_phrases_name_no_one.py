"""The twenty-ninth session's call-flow family: a self-introduction the
phrases find (我是…的, 这边是…的, 我是…客服) names no one when what stands after
its lead is only kinds of company, trade, place or role (我是车行的, 这边是空调
安装的, 我是游戏客服): the labellers of the call-flow training sets say "a role
or kind alone" is no self-introduction. A name inside it (我是顺丰的, 工商银行)
or right after it (我是客服 | 小艾; 我是健身房的教练 | 小刚) still counts. Extended
in the thirtieth and thirty-first sessions (classes, desks, car services; a
colleague sent or named; a known agent by name)."""

from __future__ import annotations

import pytest
from talk import opening_checklist as _opening

from phraseguard.engine.callflow import CallFlow
from phraseguard.engine.flowrules import NameFrame
from phraseguard.engine.name_frame import NameFrameMatcher
from phraseguard.engine.normalize import Normalizer


@pytest.fixture(scope="module")
def flow(default_lexicon) -> CallFlow:
    return CallFlow(default_lexicon)


@pytest.mark.parametrize("opening", [
    ("喂，我是车行的啦，你那台机车修好了。",),
    ("喂你好我是游戏客服请问有什么问题",),
    ("我们这边是健身房的看您会员卡快到期了现在续卡有个七折活动",),
    ("喂 大哥 我是那个 净水器按装的师傅 我在你们小区门口了 几栋啊",),
    ("喂您好 这边是超表的 您家水表在屋里 我进不去",),
    ("喂师傅你说", "我是修车的拖车要找那个救援你在哪个位置"),
    ("喂", "大概三点左右我是送货安装的到了给你打电话"),
    # (written for the family: a kind of shop, a trade, a desk — and a worker who is no name)
    ("你好我是送水的你家在几楼",),
    ("喂，我是快递站的小哥，你的件到了。",),
    ("您好，我们是装修公司的，想问下您家房子装了没有？",),
    # (train84-86: a role or a desk by the name frame; a former or a fellow worker named)
    ("喂，社区网格员，请说。",),
    ("喂您好，这边是火车站门店。",),
    ("您好", "您的保单原来的业务员小韩已经离职了，后续由公司统一服务。"),
    ("喂是三零二室的业主吧我们工程师小周明天上午给您移机",),
    ("您好", "麻烦您提供一下工作人员的工号，我们核实。"),
    # (train89, train90: a trade said by what is done; a public body by its kind)
    ("您好，我们是做西装定制的，请问有什么需要？",),
    ("您好疾控中心",),
    ("你好环卫所",),
    # (session 30, callflow train91, train92: a class or subject, a school office, a team or a desk,
    # a role and whose it is)
    ("喂是小雨妈妈吗我是美术班的老师",),
    ("喂，这里是高三年级组。",),
    ("你好。", "我是政教处的，您说的这个情况我们非常重视。"),
    ("打扰一下，我们是游泳培训的，小区里暑假有开班，孩子有兴趣吗？",),
    ("您好，我是助教。",),
    ("欢迎致电，我这边是值机组的，请问需要什么帮助？",),
    ("您好，我是负责您这个团的计调，您说。",),
    ("您好 我是店长 您说",),
    # (session 31, callflow train95, train96: a kind of car service or desk; a colleague sent or named; 莫客气 is no name)
    ("喂您好", "不好意思先生我们这边是呃是出行平台的客服代驾的服务是第三方的"),
    ("您好车联网客服请讲",),
    ("您好，检测站前台。",),
    ("这里是拍卖咨询，请说。",),
    ("您好，请问是钱女士吗？", "您今天下午在家吗？我让我们快递员小李给您送过去。"),
    ("您好，可以的。您在哪个小区？", "我让王师傅一个小时后过去，上门费三十。"),
    ("喂王先生是吧您那个车保养到期了", "嗯那个上次是我们陈师傅给您做的这次还是约他吗"),
    ("喂，李娃儿迈？你快递到了，放在小区门口那个驿站了哈。", "莫客气，记到去拿，有啥子事再打电话给我嘛。"),
    # (callflow train98, train97: a utility's works or office by its kind; a role and whose; a short
    # bare answer that is a desk, a place or a question)
    ("喂，你好，我是水厂的，你啥子事嘛？",),
    ("您好，我是供热站的，请问有什么问题？",),
    ("您好 排水管理处",),
    ("您好，王小姐吗？我是负责您婚礼的策划师。",),
    ("您好报关部",),
    ("喂，物流园。",),
    ("喂，乜嘢事？",),
    ("喂，搬屋公司，边位？",),
])
def test_a_kind_of_company_trade_or_role_alone_names_no_one(flow, opening) -> None:
    assert _opening(flow, *opening)["self-introduction"] is False


@pytest.mark.parametrize("line", [
    "您好，我是客服小艾，请问有什么可以帮您？",
    "喂 郑女士吧 我是工商银行理财经理 小吴",
    "您好，这里是工商银行客服中心，请问有什么可以帮您？",
    "哎哥 我是那个健身房的教练小刚啊 您那个私教课还剩八节",
    "喂是杨先生吗我是自来水公司的抄表员小孙",
    "你好呀～我是课程顾问Amy，请问孩子多大了？",
    "喂你好我是车行的王师傅，你那台车修好了。",
    "您好，我是顺丰的，你有个件到了。",
    "您好，我是物业的小王，您家楼上漏水的事我们去看过了。",
    # (train85: 的 before the agent's own role and name; Cantonese 嘅 after Mandarin 我是)
    "您好，我是小米售后的客服小林，请问有什么可以帮您？",
    "你好，我是华南白蚁防治所嘅，请问边度有白蚁？",
    "喂是李建华吗我这里是西城区人民法院立案庭的",
    # (session 30: a parent addressed by the child's name first; northeastern 这嘎是; a caterer by its trade)
    "喂浩浩爸爸吧我飞翔篮球训练营的马教练",
    "喂 大哥 这嘎是奥迪4S店 你那车该保养了哈",
    "您好，这边是禾苗餐饮，学校配餐服务。",
    "我是美术班的刘老师，小雨的画入选了。",
    # (session 31: a known agent by name; 我 + the role + the name; a brand's 派 is no dispatch; 蔚能 with 能换 in it)
    "喂 哥 是我啊 小杨 健身房的那个教练",
    "哦小杨啊我教练老何你说",
    "您好，我是欧派橱柜万达店的小韩，您上周来店里看过一套L型的橱柜。",
    "你好这里是蔚能换电服务请问有什么可以帮到您",
    # (callflow train97: a short shop name answering the phone after a greeting; Cantonese 边位 after it)
    "喂 海底捞",
    "你好，e代驾。",
    "喂，陶陶居，边位？",
])
def test_a_name_inside_or_right_after_the_kind_still_counts(flow, line) -> None:
    assert _opening(flow, line)["self-introduction"] is True


def test_names_no_one_reads_the_lead_the_kind_words_and_what_follows() -> None:
    frame = NameFrame(offers=("请讲",), kind_leads=("我是", "这边是"),
                      not_a_name=("车行", "客服", "健身房", "教练", "的"),
                      kind_names=("工商银行",), names_after_kind=("小",))
    m = NameFrameMatcher(frame, Normalizer())
    assert m.reads_kinds
    assert m.names_no_one("我是车行的")
    assert m.names_no_one("这边是 健身房的")          # spaces fold away
    assert not m.names_no_one("我是顺丰的")          # a word that is no kind
    assert not m.names_no_one("车行的")              # no lead: not this test's
    assert not m.names_no_one("我是工商银行的")      # a name made of kinds... listed
    assert not m.names_no_one("我是客服", "小艾，请问")  # the name right after
    assert not m.names_no_one("我是健身房的", "教练小刚啊")  # after a role
    assert m.names_no_one("我是车行的", "你那台车")
    # Without kind_leads the test is off: the phrases decide alone.
    off = NameFrameMatcher(NameFrame(offers=("请讲",), not_a_name=("车行",)), Normalizer())
    assert not off.reads_kinds and not off.names_no_one("我是车行的")
