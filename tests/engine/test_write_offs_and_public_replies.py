"""Families of the twenty-second session (lexicons/README.md, "Written channels
again; kinds of business on the phone"): a loss declared final, nothing to
tell, the company's own product named as not concerned, blame put on the
courier or the customer, belittling, and the remedies in the next turn that
clear them."""

from __future__ import annotations

import pytest
from talk import flagged_at_major as _flagged


@pytest.mark.parametrize(("customer", "agent"), [
    # the loss declared final
    ("硬盘摔了一下读不出来，照片还能恢复吗？", "摔成这样的盘基本上就是报废了。"),
    ("手机泡了水开不了机", "泡成这样，基本上可以放弃了。"),
    ("航班取消了，酒店订金能退吗？", "不可退的订金基本是打水漂了。"),
    ("退款申请被驳回了，还能再提吗", "驳回了就是定局，再提交也没用。"),
    ("主板烧了还能修吗", "烧成这样，神仙来了也救不了。"),
    ("演出开始半小时音响坏了", "设备出了故障，今晚这场是演不下去了。"),
    ("冰箱一直有异味，能解决吗？", "异味这种哪有办法根治呀"),
    # nothing to tell, nothing offered
    ("这款床垫的弹簧是多少根？", "弹簧数量这个数据我手上没有。"),
    ("这个小区以前淹过水吗？", "以前的情况我也摸不着底。"),
    ("为什么打印出来全是空白？", "空白的原因经检查未能查明。"),
    # the company's own product or desk named as not concerned
    ("视频一直卡顿", "卡顿是您家宽带的问题，跟我们软件没关系。"),
    ("数据被覆盖了，是你们的问题吗", "覆盖是贵司员工操作的，与本产品无关。"),
    # blame on the courier or the customer, and nothing else
    ("杯子收到就碎了", "这个是快递摔的。"),
    ("耳机一边没声音了", "这个肯定是您自己弄坏的。"),
    # belittling
    ("外卖送来都凉了", "冬天送过去凉一点您要求也太高了。"),
    ("客服态度太差了", "我又没骂您，搞得跟谁欠你似的。"),
    ("APP老是闪退", "手机旧了咋还怪软件呢"),
    ("上周就问过发票的事，还没人回", "该说的都已经说过了，不再重复。"),
    ("等了四十分钟才上菜", "四十分钟也不算太久吧"),
    ("床垫睡着腰疼得厉害", "新床垫都这样，习惯就好。"),
    ("包子太咸了", "咸淡这个东西见仁见智。"),
    # (second batch: train89-94)
    ("我的户口迁移能办下来吗", "你那个情况办不下来的，别想了。"),
    ("游戏账号被盗，金币还能找回吗？", "金币既然已经被转走，那就是覆水难收了。"),
    ("小区一下雨就积水，能不能根治？", "积水这个情况，要彻底解决是不可能的了。"),
    ("楼上天天装修噪音很大", "业主自己装修，我们拿他们一点招都没有。"),
    ("桌子装好就是歪的", "安装是第三方师傅做的，我们只管卖货。"),
    ("平台为什么不管商家乱收费？", "收费由商家自主决定，平台对此不予干涉。"),
    ("修了二十天还没修好", "修东西又不是买菜，您再熬一熬吧。"),
    ("快递晚了两天", "晚两天而已，不必小题大做。"),
    ("更新以后老是闪退", "别人都能正常用，就您这儿不行。"),
    # (third batch: train95-100)
    ("热水器坏了一晚上，不该退点钱吗？", "八十块的房还想要什么服务。"),
    ("乐园排队两小时项目全停了！", "来之前没看公告吗？"),
    ("航班晚了有赔偿吗？晚了四小时", "您想多了，天气原因没有赔偿。"),
    ("我的货都等了五天了，到底什么时候到？", "一天问八遍烦不烦。"),
    ("昨天买的今天降价了，能退差价吗？", "这么计较，当初别急着下单嘛。"),
    ("预售的茶叶什么时候发啊，等好久了", "茶还没采呢，您急也急不来。"),
    ("耳钉戴了耳朵发炎", "发炎跟体质有关，和耳钉不沾边。"),
    ("冷链送来的冰淇淋全化了", "化了的就没法再卖了，只能扔了。"),
    ("盲道又被单车堵了", "车一会儿清一会儿又有，真是没治了。"),
    ("接口调用一直失败，你们系统是不是坏了", "超时一般是您那边代码有问题。"),
    ("说好今天送货，怎么又改明天了？", "明天就明天嘛，也就差一天。"),
    ("账单多收了三千，你们要给我一个交代！", "交代什么？账单上写得清清楚楚。"),
    ("延误五小时连句道歉都没有？", "天气的事，道歉有用吗？"),
])
def test_these_are_flagged_at_major(matcher, customer, agent) -> None:
    assert _flagged(matcher, agent, customer=customer)


@pytest.mark.parametrize(("customer", "agent", "next_turn"), [
    ("蛋糕送到时奶油全化了", "化成这样，今天是救不回来了。", "我们马上按原款重做，一小时内送到。"),
    ("保洁把我的台灯打碎了", "灯罩碎都碎了，也粘不回去了。", "这单服务费全退，台灯按价赔偿。"),
    ("健身房的淋浴一直不出热水", "冬天都这样，您忍忍吧。", "我已经报修给工程部了，今晚修好。"),
    ("专线一直掉包", "这个我们也是一点招都没了。", "不过已申请把线路切到备用路由，今晚割接。"),
    ("地铁站没有电梯，轮椅上不去", "这个我们这边实在弄不了。", "不过您到站前打站务热线，工作人员会到站台接您。"),
    ("这本书是第几次印刷的？", "印次我这边真说不上来。", "我让仓库拆了一本看了，是第三次印刷。"),
    # a step with a time in the next turn
    ("路灯又坏了，什么时候修？", "这灯三天两头坏，修了也白修。", "这回报了整条线路改造，电工周四上午来。"),
    ("垃圾两天没收了", "您就等着吧。", "车坏在半路了，备用车下午两点到您那片。"),
    ("师傅到了没？", "等着嘛，急也没用。", "师傅在电梯里了，马上到。"),
    ("团购的钱什么时候结？上月的还没到", "催也没用。", "结算单在复核，预计本周五到账，没到我主动联系您。"),
    ("隧道里堵了半小时了", "高峰期都这样。", "里面有车抛锚，清障车进去了，大概十分钟能通。"),
    ("我的账号被盗了，装备全没了！", "账号被盗是您自己保管的问题哦。", "不过已经帮您冻结账号了，可以找回装备。"),
    ("这个药能跟感冒药一起吃吗？", "这个我也拿不准。", "我请药剂师过来跟您确认一下。"),
])
def test_a_remedy_in_the_next_turn_clears_them(matcher, customer, agent, next_turn) -> None:
    assert not _flagged(matcher, agent, customer=customer, next_turn=next_turn)


@pytest.mark.parametrize(("customer", "agent"), [
    # the customer's own not-knowing, or the agent asking for what they need
    ("我不清楚怎么申请退税", "在APP首页点退税就能申请，不清楚的步骤我再一步步说明。"),
    ("退订要多少手续费？", "七天内免费，之后收百分之五，不清楚的随时问哦。"),
    ("搬家大概要多久？", "两居室大约四小时，不过不清楚您家东西多少，方便发几张照片吗？"),
    # not sharp, not not-known
    ("我上传的身份证照片你们看得清吗？", "这个我们这边看不太清楚。"),
    # can't keep up with them all is no write-off
    ("路边摊太多了", "这种流动摊点我们也实在管不过来。"),
    # nothing needed from the customer
    ("快递到了吗，我要下楼吗？", "您就等着吧，不用下楼。"),
    # the customer's own not-knowing, with help offered; a choice left open
    ("这笔费用为什么要交？", "这是年费。如您对以上答复仍不清楚，可直接回复本函找专人解释。"),
    ("话剧有学生票吗？", "有的，拿学生证来取票就行，晓不得在哪取就找我。"),
    ("网银密码忘了怎么办？", "在App点忘记密码跟着步骤做，搞唔掂再打嚟揾我。"),
    ("我要不要一直在家等着？", "到了会有人敲门，您在家等着就行。"),
    ("押金什么时候退给我？", "押金几时退我暂时唔清楚，要同门市核实一下，今日之内覆你。"),
    ("退烧药还有货吗？", "有没有货我现在不清楚，我去仓库帮您找一下。"),
    ("资料周五前给来得及吗？", "来得及的，哪天送随便您。"),
    ("这个锅的涂层含不含PFOA？", "含不含这个，说实话我这边也不确定，我联系品牌要一份检测报告。"),
])
def test_these_are_not_flagged(matcher, customer, agent) -> None:
    assert not _flagged(matcher, agent, customer=customer)


def test_a_step_with_a_time_counts_only_in_the_next_turn(matcher) -> None:
    # (today's "that's all for today" is no step: 今天就先到这里)
    assert _flagged(matcher, "这灯修了也白修。", customer="路灯又坏了", next_turn="那今天就先到这里。")
