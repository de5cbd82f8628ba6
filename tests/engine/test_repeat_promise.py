"""The promise that already failed, made again (``repeat-promise``, session 16):
after the customer says they were told before or chased again and again, the
same wait or promise is the brush-off; something new the agent does is not."""

from __future__ import annotations

import pytest


def _rules(matcher, text: str, customer: str | None = None, next_turn: str | None = None):
    return {h.rule_id for h in matcher.dialogue.judge_turn(
        text, matcher.scan(text, customer_rules=customer is not None),
        customer=customer, next_turn=next_turn)}


CHASED = "我都打了三次了，电视一到晚上就花屏，你们每次都说记录了，记录了然后呢？"


@pytest.mark.parametrize(("customer", "agent"), [
    (CHASED, "好的，这个问题已经帮您登记了，后续会有专人跟进，您再等等。"),
    ("喂你好我那个洗衣机报修都三天了我催了两次了你们说师傅会联系我到现在也没人打电话",
     "嗯已经给您派单了师傅会主动联系您的您您保持电话唱通就行"),
    ("演唱会延期了，退票申请我一周前就提了，昨天问你们说在审核，今天还是审核中，到底什么时候退？",
     "退票审核中，请您关注订单状态。"),
])
def test_the_same_wait_after_a_failed_promise_is_repeat_promise(matcher, customer, agent) -> None:
    assert "repeat-promise" in _rules(matcher, agent, customer=customer)


@pytest.mark.parametrize("agent", [
    "让您跑了这么多次非常抱歉，我现在直接联系师傅，下午三点前给您准确时间。",
    "这次我给您加急处理，今天五点前回电您。",
    "已为您转交工作人员跟进，请您保持手机畅通。",
])
def test_something_new_the_agent_does_is_not_repeat_promise(matcher, agent) -> None:
    assert "repeat-promise" not in _rules(matcher, agent, customer=CHASED)


def test_the_next_turns_action_clears_it(matcher) -> None:
    assert "repeat-promise" not in _rules(matcher, "好的亲，还请稍等哦", customer=CHASED,
                                          next_turn="小妹这边帮您申请加急哦")


@pytest.mark.parametrize("customer", [
    "电视晚上花屏，怎么处理？",                        # a first report
    "你只需要告诉我到底退给谁，以及多久退就好啦",       # asks, quotes nothing
    "我承认我比他们幸运,打了两次便成功了",               # a chase that got somewhere
])
def test_without_a_failed_promise_before_it_a_wait_is_not_repeat_promise(
        matcher, customer) -> None:
    assert "repeat-promise" not in _rules(matcher, "好的，已经帮您登记了，您再等等。",
                                          customer=customer)
