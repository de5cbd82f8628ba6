"""Families of the twenty-third session (lexicons/README.md, "Back-office
replies, care services, polite wrappers (twenty-third session)"): the terse
back-office reply that refuses, knows nothing or pushes away; care-service
put-downs; refusals wrapped in thanks; and the agent's own acts in the next
turn that clear them."""

from __future__ import annotations

import pytest
from talk import flagged_at_major as _flagged


@pytest.mark.parametrize(("customer", "agent"), [
    # an office refusing the matter, or saying it is not concerned
    ("行李延误了两天，谁赔？", "行李赔偿请找机场，航司不受理。"),
    ("隔壁装修天天吵", "邻居之间的事，物业不介入。"),
    ("收到好多诈骗短信", "短信内容由发送方负责，运营商不介入。"),
    ("新买的车门有凹痕", "车辆已交付，凹痕问题与本店无涉。"),
    ("瑜伽老师收了钱就不来了", "老师个人行为，与本馆无关。"),
    ("系统卡了我没卖出去，亏了一万", "投资风险由投资者自行承担。"),
    # the back office has nothing, and nothing offered
    ("最近的充电桩在哪？", "充电桩位置，本处无资料可查。"),
    ("我的优惠券什么时候过期？", "优惠券有效期，客服后台无相关数据。"),
    ("退货到底寄到了没有？", "寄没寄到后台看不到。"),
    ("李医生周三坐诊吗？", "下周的排班这边看不到。"),
    ("我的行李箱放哪了？", "行李存放位置，调度这边没有记录。"),
    ("明天航班会取消吗？", "明天会不会取消这个我们也没法预知的"),
    # put-downs
    ("一个月断网五次", "有意见可以不用网。"),
    ("这个问题我反映了三个月了", "重复诉求，不再答复。"),
    ("等了一个钟头还没叫到我", "着急也没用，按顺序来。"),
    ("课时少上了十分钟", "别计较那几分钟嘛"),
    ("窗口太少了能不能多开一个", "开几个窗口轮得到你说吗"),
    ("屏幕是自己摔的也能保修吧", "自己摔的还想换什么呀"),
    ("孩子烧得厉害，能先看吗", "排队的都是发烧的孩子，谁家不急呀"),
    ("额度为什么不给提", "额度是系统定的，您再怎么问也是这个结果。"),
    ("挂号费怎么涨了", "价格是医院定的，您来不来都行。"),
    ("师傅又放我鸽子了", "师傅也是人，总有忙不过来的时候。"),
    ("电话一直有杂音", "杂音这个没法弄，您就凑合用吧"),
    ("镜片有划痕", "镜片是厂里做的，侬去寻厂家好了。"),
    ("楼上停了暖气我家冷", "那是人家的权利，您找他们商量吧"),
    ("更衣柜里的钱包丢了", "柜子里丢东西会馆不负责的"),
    ("手机升级后老死机", "升级了就回不去了 没辙哦"),
    ("老小区能接自来水吗", "这个老小区接是接不上的"),
    # (second batch: train109-112 — written replies, property services, public
    # counters, small sellers)
    ("我的卡被盗刷了，钱能追回来吗", "钱已经被刷走了，追回来的希望基本为零。"),
    ("账号被封了能解封吗", "封号是最终结果，申诉也不会有用。"),
    ("车开了我还在检票口，票还能用吗", "车都开了，这票就算废了。"),
    ("房东不退押金，平台管吗", "押金是您和房东的约定，平台不参与。"),
    ("通知能别半夜发吗", "通知几点发还要您管呀"),
    ("狗不拴绳把孩子吓哭了", "您孩子胆子也太小了吧"),
    ("停水怎么不提前通知", "停水是水厂临时停的，要怪也怪不到物业头上。"),
    ("单位没给我交社保怎么办", "那是您单位的问题，您去跟单位讲。"),
    ("执照等了一个礼拜还没出来", "一个礼拜算什么，有人等一个月的。"),
    ("能不能让我先办，我赶时间", "谁不赶时间啊，后面排着去。"),
    ("就停了五分钟，能通融吗", "五分钟也是停，规矩就是规矩。"),
    ("新政策下学期实施吗？", "这个政策我还没摸透呢"),
    ("出生证明名字能后改吗？", "这种情况我也头一回碰到。"),
    ("我的护照办好了没有？", "办没办好，这边看不到进度。"),
    ("鱼竿第一次用就断了", "断竿多半是您用力不对。"),
    ("钢化膜四周翘边", "翘边是您贴的手法问题，跟膜本身没关系。"),
    ("鉴定说是B货", "检测机构说的就一定对？反正我们这边没问题。"),
    ("辣条里有根头发", "车间都戴帽子的，不可能是我们的。"),
    ("表盘里有灰", "有灰是工厂组装的事，我们拿到就是这样的。"),
    ("戒指小了戴不进去", "戒指小了您自己去金店改一下就行了"),
    ("猫砂盆少了个铲子", "铲子是赠品，又不是必须的。"),
    ("睡衣上有污渍洗不掉", "您要这么挑的话，以后就别在我们家买了。"),
    ("胸垫能拿出来吗", "这个我还真没注意过呢"),
    ("香肠放没放防腐剂", "放没放这个我问不到哦"),
])
def test_these_are_flagged_at_major(matcher, customer, agent) -> None:
    assert _flagged(matcher, agent, customer=customer)


@pytest.mark.parametrize(("customer", "agent", "next_turn"), [
    ("外卖撒了，要赔", "包装由商家负责，平台这边不担责。", "不过已为您发起商家赔付申请，超时由平台先行赔付。"),
    ("小区门口烧烤太吵", "这个不归我们管。", "已转辖区城管中队，承办单位将于3个工作日内联系您。"),
    ("医院不给病历复印件，怎么理赔？", "医院的事我们管不了。", "可改交电子病历截图，我方同样受理。"),
    ("张医生下周出诊吗？", "排班这边看不到。", "已转门诊办公室核实，明天中午前在工单里回复。"),
    ("电梯里没信号", "电梯信号您去找物业吧", "物业同意后把联系人发我，我们就安排施工队进场。"),
    ("是卡坏了还是表坏了？", "这我也判断不了。", "您带卡来读一下就能分清，是表的问题我们上门换。"),
    ("奶水一直不够", "奶少这个就是没办法的", "不过我们可以请产科医生来会诊一下。"),
    ("房东不退押金", "押金是您和房东之间的事，请您自己跟房东沟通。", "平台这边可以先介入调解，我来联系房东。"),
    ("我到还车点了，你们会远程结束订单吗", "好的，那您就等着吧", "小妹已经提交远程关锁，五分钟内订单会自动结束。"),
    ("照片还能恢复吗", "照片这个我们是真的回天乏术了。", "如果您愿意，可以把手机寄到我们的检测中心再看一次。"),
    ("小区晚上吵不吵", "这个我也不清楚哦，没住过呢", "不过我可以约管家带您晚上去看一次。"),
    ("燃气报警器一直响", "我现在不知道是误报还是真漏。", "您先关阀开窗，我再通知燃气公司。"),
    ("手链扣子断了能修吗", "断了的手链我们这里修不了哦。", "您寄回来，我们直接换一条新的，邮费我这边出。"),
    ("绿萝叶子全黄了还能救吗", "这个我真不清楚。", "我把我们园艺师的微信给您，她教您怎么救。"),
])
def test_the_agents_own_act_in_the_next_turn_clears_them(matcher, customer, agent, next_turn) -> None:
    assert not _flagged(matcher, agent, customer=customer, next_turn=next_turn)


@pytest.mark.parametrize(("customer", "agent"), [
    # 随便 + the customer's own use of what they bought
    ("年卡可以随便用吗？", "年卡期间次数不限，随便您用。"),
    # the things one can't do, sent to someone who can
    ("孩子作业不会做", "不会做的题直接找班主任，明天安排辅导。"),
    # 上报 inside 楼上报停 is no escalation — and no excuse either (flagged above);
    # a phone number given is the help
    ("快递员电话多少，我找他约时间", "快递员电话是139****2207，侬去寻伊好了"),
    # a fact about the order, not "I will not answer"
    ("取消的订单还能恢复吗", "订单取消后就不再恢复了哦"),
    # a limit stated, not not-knowing
    ("准确几点到？", "这边准确时间我们无法确定哦"),
    # the customer's own not-knowing, answered
    ("社保卡去哪领？我晓不得", "晓不得莫得关系，做好了会发短信。"),
    ("残疾证怎么换", "在小程序上申请就行，不知道怎么操作随时找我哦"),
    # the same words the customer is told are a fact, not a put-down
    ("还有别的颜色吗", "页面没有就是没有的哦"),
    # one extra asked for and refused: a stated limit, not a give-up
    ("鱼线能不能多送我一卷？", "这个帮不了您。"),
])
def test_these_are_not_flagged(matcher, customer, agent) -> None:
    assert not _flagged(matcher, agent, customer=customer)
