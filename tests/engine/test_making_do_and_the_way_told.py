"""Families of the twenty-fourth session (lexicons/README.md, "Schools,
logistics, travel, homes, dialects and the countryside"): making do told
curtly, luck and the rhetorical "which one isn't", the answer that however
long nothing changes; and what clears a line — the choice granted when the
customer asked which one, the way told in the next turn, somebody sent."""

from __future__ import annotations

import pytest
from talk import flagged_at_major as _flagged


@pytest.mark.parametrize(("customer", "agent"), [
    # making do, told curtly
    ("床明天才能装，我今晚睡哪？", "打个地铺凑合一宿呗。"),
    ("座位被安排在客队区了", "现在也换不了了，您就将就着坐吧。"),
    ("教室太吵了孩子静不下心", "哪有不吵的地方，将就一下算了。"),
    # luck, the rhetorical "which one isn't", asking again is useless
    ("乐园周一不开放，我们白跑一趟", "您赶上了只能算您运气不好。"),
    ("沙滩上人挤人，根本没法玩，你们能不能限流？", "五一哪里的沙滩不挤啊。"),
    ("补办的证件到底好了没有？", "一直问也没用，好了会通知的。"),
    ("车放你们那一周了，什么时候好？", "好了自然会通知您的。"),
    # the same whatever it is done; too late now
    ("补的漆跟原车颜色差好多", "这种色差调到明天也是这样。"),
    ("种子出苗率不到一半", "都种下去了，事到如今说啥也晚了。"),
    # not ours, said in other words
    ("楼道的水管爆了", "表后的管子不归我们公司，您找物业。"),
    ("身份证丢了能在镇上补吗", "哪里丢的哪里报，跟咱们派出所不相干。"),
    ("补贴申请半年没下来", "补贴是农业局批的，你去问农业局。"),
    ("为什么没收到短信通知？", "没收到短信是你手机的事。"),
    ("猫吃了百合会不会有事？", "会不会有事，这个真不好讲。"),
    ("今晚IMAX几点？", "几点的我手上没有排片表。"),
    # (train119, train120: health and money)
    ("拔完牙一直出血", "出点血正常得很，您别大惊小怪的。"),
    ("我就是想找个人说说话", "我们这是咨询热线，不是陪聊的。"),
    ("开发商一直没办房产证，银行能催一下吗？", "银行管不了这个，您自个儿去跑吧。"),
    ("为什么提现要等两小时？我现在就要用", "规定就是两小时，您现在要也没有。"),
    # (train121, train122: shops and stations)
    ("手柄漂移，买了才一个月", "漂移大家都有，您较什么真。"),
    ("充电头发热很厉害", "充电哪有不热的，别大惊小怪。"),
    ("手表每天快十秒，算质量问题吗", "去问品牌售后吧，专柜只管卖。"),
    ("爷爷的老表停了，你们能修吗", "这么老的表，留着做个纪念吧。"),
    ("38路今天怎么一直不来？", "车到哪儿了我这儿没法看的。"),
    ("ETC一直亮红灯，是什么意思？", "红灯代表什么，这个我没法说。"),
])
def test_they_are_flagged(matcher, customer, agent) -> None:
    assert _flagged(matcher, agent, customer=customer)


@pytest.mark.parametrize(("customer", "agent"), [
    # the customer asked which one (or asked leave), and 随便 grants it
    ("两种饲料我都想试，先拿哪种好？", "随便您，反正都一样。"),
    ("上课时间可以自己选吗？", "可以的，随便您排，每周两节就行。"),
    ("营地能自己带帐篷吗？", "随便您带，自带的营位费减五十。"),
    ("周末的面授课一定要来吗？", "不强制的，来不来随便您，课后都有回放。"),
    ("低保材料我今天送去还是明天送去？", "哪天都一样，您看着办。"),
    # the vague thing the customer named is what the agent cannot place
    ("你们那个东西又不行了", "您说的那个东西我这边不清楚是哪一项，是直播还是回放？"),
])
def test_a_granted_choice_or_a_question_back_is_not_flagged(matcher, customer, agent) -> None:
    assert not _flagged(matcher, agent, customer=customer)


@pytest.mark.parametrize(("customer", "agent", "next_turn"), [
    # the way told: where, and what to bring
    ("门禁卡去哪里领？", "这事您找物业。", "物业在二号楼一楼，带上车位合同就能领。"),
    ("月卡在哪办？", "您去岗亭那边办吧。", "岗亭就在负一层出口，带上行驶证现场就能开通。"),
    # somebody sent, a claim filed, a remedy for the child
    ("飞防打完药我家菜也死了", "那是风吹的，跟我们没关系。", "我还是让飞手过去看看损失，该赔的我们赔。"),
    ("停车点对的，却收了调度费", "调度费是系统算的，我们这边管不到。", "不过您把照片发我，我提交申诉，核实后给您退回来。"),
    ("素描本被水泡了", "已经这样了也没啥能补救的了。", "我们给孩子补一本新的，老师陪他重画。"),
    ("装好的轨道有点歪", "随便您怎么看吧。", "我让师傅明天上门重新装。"),
    ("理疗能不能排前面一点？", "谁都想排前面，您就等着吧。", "明天上午有人取消了，我把您挪到九点行不行？"),
    ("儿科号全没了怎么办？", "号全没了我们也帮不上忙呀。", "不过发烧可以直接走儿科急诊，不用预约。"),
    ("买的西瓜切开是生的", "生熟我们也管不着。", "您带着小票过来，可以直接给您换一个。"),
    ("这个精华能和A醇一起用吗", "这个搭配我不太懂。", "我把品牌顾问的微信推给您，她专门解答。"),
])
def test_a_remedy_or_the_way_told_next_clears_them(matcher, customer, agent, next_turn) -> None:
    assert _flagged(matcher, agent, customer=customer)
    assert not _flagged(matcher, agent, customer=customer, next_turn=next_turn)


@pytest.mark.parametrize(("customer", "agent"), [
    ("发错货了，我到底是退还是换？", "都行，随便您吧。"),
    ("材料交了三次都被退回来，你们到底要什么？", "哪天都一样，您看着办。"),
])
def test_the_same_words_after_a_complaint_or_a_plea_to_decide_are_flagged(matcher, customer,
                                                                         agent) -> None:
    assert _flagged(matcher, agent, customer=customer)


def test_asking_where_does_not_excuse_a_vague_referral(matcher) -> None:
    # 您问问别人吧 answers "where?" with nobody in particular: still a push-away
    assert _flagged(matcher, "这个我也不清楚，您问问别人吧。", customer="落户要去哪儿办？")


def test_an_agent_who_sends_somebody_is_not_told_to_wait(matcher) -> None:
    assert not _flagged(matcher, "好的我这边马上派电工过去，您在家等着就行",
                        customer="门口的灯坏了好几天了")
