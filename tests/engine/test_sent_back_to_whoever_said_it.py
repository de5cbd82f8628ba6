"""Families of the twenty-fifth session (lexicons/README.md, "Repairs,
insurance, recogniser output and grammar"): the customer sent back to
whoever said it or to where it was bought; jibes that hide in an offer's
words; can't judge, can't say clearly; a service that "has nothing to do
with it"; and what still clears a line — the free way named in the next
turn, a technician booked."""

from __future__ import annotations

import pytest
from talk import flagged_at_major as _flagged


@pytest.mark.parametrize(("customer", "agent"), [
    # sent back to whoever said it, or to where it was bought
    ("销售说免费保养三年，现在怎么要收钱？", "销售讲的您去问销售。"),
    ("中介说押金一周退，为什么还没退？", "中介怎么说您就找中介。"),
    ("上次那个客服说能补偿，怎么又不算了？", "谁跟你说的你找谁去。"),
    ("隔壁装修把我家墙震裂了，你们物业管不管？", "隔壁弄坏的，您让隔壁赔去。"),
    ("我人在上海，卡是杭州办的，这边能挂失吗？", "您回杭州去办吧。"),
    ("衣服洗完缩水了", "缩水是面料的事，找生产厂家问问。"),
    # jibes in an offer's words
    ("你们节目越来越少还涨价", "嫌贵您可以不看嘛。"),
    ("没系安全带出了事你们保险不赔？", "不系安全带还想赔，想得倒美。"),
    ("客服之前说今天一定到", "客服说的您也信啊。"),
    # can't judge, can't say clearly — and nothing after it
    ("这台冰箱还能用几年？", "这个我们也没法判断。"),
    ("我这种情况保费会涨多少？", "具体多少我这边没办法确定。"),
    ("到底算不算质量问题？", "这个我也没法跟您说清楚。"),
    # the service "has nothing to do with it"
    ("空调加完氟还是不制冷", "不制冷是机器老化，跟维修没关系。"),
    ("保洁完地板上全是划痕", "划痕是本来就有的，和保洁没有关系。"),
    # given up, said plainly
    ("水管修完还是漏", "管子都锈穿了，没治了。"),
    ("墙皮补完还是起鼓", "补也补不好，凑合用吧。"),
    ("航班延误四个小时你们不赔吗？", "延误是天气原因，跟航司没啥关系了。"),
    # impatience with an older or struggling customer (train129)
    ("我不会在手机上缴费", "这么简单您这都学不会？"),
    ("删除键在哪里我找不到", "那么大您都看不到呀。"),
    ("我听不明白，你再说一遍", "我都跟您说了三遍了。"),
    ("我不会弄这个视频通话", "哪有学不会的，您多试试。"),
    # the old jibes (train127, train128, train130)
    ("送错了菜，你们至少道个歉吧", "道歉有用的话还要警察干嘛。"),
    ("蛋糕压坏了一个角", "就坏了个角，知足吧。"),
    ("为什么派给我的都是远单？", "有单就跑，挑三拣四可不行。"),
    ("抽成怎么这么高？", "抽成是统一定的，嫌高可以不接。"),
    ("水有点发黄", "放一放再用，大惊小怪。"),
    # sent to the one in charge, as the whole answer (train130)
    ("评论区有人刷广告算我违规", "那您去找发广告的人嘛。"),
    # no hope left (train128)
    ("理赔拖了两个月了，还有希望吗？", "这个怕是没戏了。"),
    # (train131-134: professional services, bank security, young people's chat, the customer's turn deciding)
    ("证件上的日期写错了", "日期是照户口本抄的，户口本错了您去派出所吧。"),
    ("检查结果怎么还没出来", "报告是放射科出的，您问放射科去。"),
    ("卡被冻结了冻了多少都不知道", "法院冻的，您问法院那边去。"),
    ("改了好几版简历还是没面试", "您这情况，改多少版都一样。"),
    ("译员临时病了能换人吗", "这会儿上哪儿找去。"),
    ("外籍员工家属能一起办居留吗", "这个我们没打听过。"),
    ("搬钢琴要加多少钱", "这个账我这算不出来。"),
    ("保洁阿姨打扫得不干净", "阿姨也是人嘛，您将就一下。"),
    ("狗狗毛剪得坑坑洼洼的", "剪都剪了，过两周就长回来了。"),
    ("这件外套我穿M还是L？", "这个都要问的呀。"),
    ("上了征信能消掉吗", "上了就上了，消不掉的。"),
    ("航班取消了我今天必须到", "天气原因，谁也拗不过老天爷。"),
    ("口红才用两次就断了", "正常用哪会断。"),
    ("会上数字翻错了客户很不满", "是讲话人自己说快了，怪不着译员。"),
    ("还车说我刮了保险杠，可取车时就有了", "取车时没拍照那就只能算您的了。"),
    ("加速包买了还是没抢到票", "抢不抢得到看12306，跟这边扯不到一块。"),
    ("提前还房贷要提前多久预约？", "这个小妹答不上来呢。"),
])
def test_they_are_flagged(matcher, customer, agent) -> None:
    assert _flagged(matcher, agent, customer=customer)


@pytest.mark.parametrize(("customer", "agent", "next_turn"), [
    # the free way named in the next turn
    ("改签费能免吗？", "规定就是这样，免不了哦。", "不过起飞前七天以上改签是免费的，您现在改正好不收费。"),
    # a technician booked in the next turn
    ("下水道又堵了，堵在哪？", "这个我也说不上来。", "我约师傅带内窥镜过去看一下。"),
    # another way named, and the agent walking them through it
    ("差一分钟没赶上车，票能想想办法吗？", "这种情况真的一点辙都没有了。", "不过两小时内可以到车站改签当天其他车次。"),
    ("字太小了看不清，你们能帮我调吗？", "您自己找设置弄呗。", "您要是找不到，我一步一步跟您说。"),
    ("材料被退回三次了，还有希望吗？", "我看也就这样了。", "不过退回原因都一样，我们把材料补上再交，我陪您跑一趟。"),
])
def test_the_next_turn_clears_them(matcher, customer, agent, next_turn) -> None:
    assert not _flagged(matcher, agent, customer=customer, next_turn=next_turn)


@pytest.mark.parametrize(("customer", "agent"), [
    ("销售说的优惠还算数吗？", "销售说的优惠我帮您查一下，稍等。"),
    ("我想问问能不能上门", "我们可以派师傅上门，您约个时间。"),
    ("你们这个跟维修有关系吗", "我帮您转给维修的同事确认一下。"),
    ("能判断是哪里漏水吗", "我们没法远程判断，我安排师傅明天上门检测。"),
    ("运费险是谁出的钱？", "是买家买的，你晓不得在哪看的话，订单详情里点保障服务就能看到。"),
    ("这个要自己报名吗？", "您可以不报的，我们默认帮您报上了。"),
    ("证书能寄到外地吗？", "外地也能寄，地址随便您填，我们用顺丰寄。"),
    ("钱包可以绑哪张卡？", "随便您绑哪一张本人的卡都可以。"),
    ("仲裁开庭时间定了吗", "仲裁委还没通知，现在也不知道哪天，一有消息我马上通知您。"),
])
def test_the_same_words_with_help_are_not(matcher, customer, agent) -> None:
    assert not _flagged(matcher, agent, customer=customer)
