"""Families from the writers on turns that decide (train33), regional
recogniser speech (train34) and shop chat (train35), twelfth session."""

from __future__ import annotations

import pytest

from phraseguard.engine.hit import Severity


def _judged(matcher, text: str, customer: str, next_turn: str | None = None):
    hits = matcher.dialogue.judge_turn(text, matcher.scan(text), customer=customer,
                                       next_turn=next_turn)
    return [(h.rule_id, h.severity) for h in hits]


@pytest.mark.parametrize("customer, text, rule", [
    ("我点的那个麻辣烫送到的时候汤全洒了",
     "嗯洒了的话这个呢是骑手那边送的过程中的问题您跟骑手联系一下吧", "push-away"),
    ("我用你们的钱包付款，钱扣了但是商家说没收到。", "您好，商家那边的收款情况请您自行与商家确认。",
     "push-away"),
    ("我家卫生间天花板又开始滴水了", "呃我们也是头都大了那就只能先这样了您拿个盆先接着",
     "give-up-resigned"),
    ("都五天了还没发货", "亲，反正现在就是这个情况呢~", "give-up-resigned"),
    ("自来水放出来是黄的", "水黄这个事呢冒得么子办法你就咯样用者咯", "give-up"),  # Hunan 冒得
    # No cause found is no reason (搵唔倒原因, Cantonese)
    ("买的床垫有很大一股味道，开窗散了一周还是有", "新床垫都会有点味道，这个真的没招", "give-up-helpless"),
    ("已經問三次了，到底何時出貨？", "出貨了自然會通知，不用一直問", "sarcasm"),
    ("花送到的时候都蔫了", "花是合作花店配送的呢，亲亲直接联系花店吧[微笑]", "push-away"),
    ("我部手机换完屏之后成日自己黑屏",
     "呢个黑屏嘅问题呢我哋师傅都睇过两次啦就系话都搵唔倒原因咁我哋都冇办法啦你就咁用住先啦", "give-up"),
])
def test_violations_said_these_ways_are_found(matcher, customer, text, rule) -> None:
    found = _judged(matcher, text, customer)
    assert [r for r, _ in found] == [rule]
    assert found[0][1] >= Severity.MAJOR


@pytest.mark.parametrize("customer, text, next_turn", [
    ("我家狗打完疫苗回来就一直吐", "我现在说不准您今天下午带它过来医生免费给它看一下", None),
    ("这俩药能一块吃吗", "这两个药能不能一块吃这个我也不敢说啊我不是药师",
     "您稍等一下我把我们店里的执业药师叫过来让她看一下"),
    ("兩種口味我不知道要選哪個耶。", "隨便啦，您要哪種都可以。", None),
    ("喂我家停水了什么时候能来水啊", "嗯那个管道抢修已经在弄了就是说您就等着吧", None),
    ("我刚改了地址快递员会不会还送到老地方", "配送员那边可能也不清楚您换地址了", None),
    ("我那个卡的密码我自己都记不清了", "嗯您自己也不清楚密码是吧那个没事可以带身份证到柜台重置", None),
    ("我问了导诊台，她说不清楚核酸报告在哪打印。", "导诊台的同事可能不清楚，报告在门诊一楼自助机就能打印。",
     None),
    ("号码被当成诈骗停了我根本没干过",
     "我们前台是没法直接开嗯您带身份证到营业厅做个人工核验过了当天就能复机", None),
])
def test_the_same_words_with_what_excuses_them_are_not_flagged(matcher, customer, text,
                                                                next_turn) -> None:
    assert _judged(matcher, text, customer, next_turn) == []
