"""Families of the twenty-first session (lexicons/README.md, "Formal replies,
sarcasm, regional speech"): official replies that close a case with nothing or
cannot find out, brush-offs that mock or belittle, and the help in the next
turn that clears a give-up or a disclaimer."""

from __future__ import annotations

import pytest
from talk import flagged_at_major as _flagged


@pytest.mark.parametrize(("customer", "agent"), [
    # official replies that close the case with nothing
    ("宽带每天掉线，报修四次了", "针对您反映的掉线问题，我方已无其他措施可采取。"),
    ("信用卡年费扣了两次", "您反映的年费问题，本中心已无进一步处理空间。"),
    ("供暖一直不热", "该问题我公司亦无良策。"),
    ("航班取消害我多花了两千", "您的损失我司深表遗憾，但对此确无回天之力。"),
    ("拒赔三次了，我该怎么办", "对于您的理赔申请，我司已无可再议。"),
    ("网贷天天打电话骚扰我", "该情况非本方所能改变，敬请谅解。"),
    ("楼下油烟扰民投诉三次了", "经核实，您反映的问题多方协调未果，现予办结。"),
    ("商家拒绝退货，请你们介入", "经调解，双方未能达成一致，本次调解终止。"),
    # official replies that cannot find out
    ("病历为什么少了手术记录", "手术记录缺失原因，病案室无从解释。"),
    ("这笔收入是哪家单位申报的", "申报单位的相关情况，本处无从查悉。"),
    ("水表读数怎么翻倍了", "读数增加的原因，我们未能得知。"),
    ("签注办到哪一步了", "具体进度，本窗口没法查询。"),
    # stop calling, it's nothing, put up with it, your own fault
    ("自来水发黄一周了", "相关情况已登记，请勿重复反映。"),
    ("充值机吞了我五十块", "五十块钱至于打电话吗"),
    ("说好上午送水，现在都中午了", "中午也是今天呀，急啥呢"),
    ("送错楼了让我自己去隔壁拿", "隔壁也就几步路，您走过去拿一下不就完了。"),
    ("水压太小冲不了澡", "老房子都这样，侬忍忍好了"),
    ("退卡为什么扣百分之三十", "合同上写着，签的时候您没看？"),
    ("隔音太差一晚没睡", "这个价位，您还想要多安静？"),
    ("新版本卡得玩不了", "嫌卡就换个好点的手机嘛"),
])
def test_these_replies_are_flagged_at_major(matcher, customer, agent) -> None:
    assert _flagged(matcher, agent, customer=customer)


@pytest.mark.parametrize(("customer", "agent", "next_turn"), [
    # the step is in the next turn: somebody dispatched, a route the customer may still take
    ("货送错城市了怎么办", "货都拉过去了，现在拉回来也没办法了。",
     "我让司机原地等着，再派一辆车把货转运到正确的城市，运费我们承担。"),
    ("钱转错账户了还能追回来吗", "很遗憾，此类情况本行爱莫能助。",
     "不过您可持转账凭证到开户网点申请协助联系收款方。"),
    ("老师跑路了，剩下的课怎么办", "很遗憾，课程中断一事平台亦回天无力。",
     "平台已安排同科目老师接手，未上的课时也可申请按比例退费。"),
    # the agent's side acts too
    ("商家说没收到钱", "商家收没收到那是商家的事，您去找商家哦",
     "另外您把付款记录截图发我，我这边也查一下资金状态。"),
    ("楼道水管漏水了", "楼道里的管子不归我们管您找物业问问",
     "要是物业也说不归他们，我们这边派人过去看一下。"),
    ("井盖丢了很危险", "该井盖权属不明，不在本热线受理范围。",
     "但考虑到安全隐患，已同步通报属地街道先行设置警示。"),
])
def test_help_in_the_next_turn_clears_them(matcher, customer, agent, next_turn) -> None:
    assert not _flagged(matcher, agent, customer=customer, next_turn=next_turn)


@pytest.mark.parametrize(("customer", "agent"), [
    # 随便 with the choices given accommodates the customer
    ("160斤穿什么码", "随便您穿宽松还是合身，宽松选2XL，合身选XL哦"),
    ("周末搬家加价吗", "周末不加价哦，随便您周六还是周日，价格都一样"),
    ("辣度怎么选", "随便您备注微辣中辣，厨房都按备注做哦"),
    # a notice not yet received stays unflagged: writers disagree on it after a plain question
    ("停机的事什么时候有结果", "关于停机事宜我们暂未接到相关通知，请您后期随时留意"),
    # 确保 is no 保重, 弄好 no 侬好 (the call-flow forms nearby)
    ("学位证什么时候寄", "学位证书已经寄出，请您留意查收。"),
])
def test_these_are_not_flagged(matcher, customer, agent) -> None:
    assert not _flagged(matcher, agent, customer=customer)


@pytest.mark.parametrize(("customer", "agent"), [
    # (train77, train79, train80) blame the customer, belittle, pay and be quiet
    ("保险只赔五千", "合同条款写得明明白白，签之前您没仔细看？"),
    ("沙发腿是断的", "合同上写了签收前要当面验货，您签字的时候没看吗？"),
    ("城管把我的东西扔了", "谁叫您乱摆在路边的"),
    ("燃气灶报修三天了没人来", "三天算什么，有人等一个礼拜的。"),
    ("自来水有漂白粉味", "就一点味道，至于这么紧张吗？"),
    ("康复训练太疼了", "不疼还叫康复吗，忍着点吧。"),
    ("力调电费是什么，为啥要交", "国家规定的，交就是了~"),
    # what's done is done, too late, the case closed
    ("鱼缸被打碎了", "碎都碎了，再说还有什么用呢？"),
    ("屋顶漏水床都湿了", "下这么大的雨，漏就漏了，能怎样呢？"),
    ("交车时就有划痕", "交车都一个月了，现在说也晚了"),
    ("工资被拖欠三个月", "用人单位已无法联系，案件现予办结。"),
    ("乱扣了我三年的费用", "企业已经与您沟通过了，本次申诉到此终结。"),
    ("身份证丢了能进考场吗", "那这次只能算了哈~"),
    ("根管做完还是疼", "根管做完了疼那个只能忍着"),
    ("接孩子的时候发现他尿不湿一下午都没换，屁股都红了。", "一下午不换也正常，哪家托育都这样。"),
    ("手术后感染是怎么回事", "感染的具体原因，目前确实无法查明。"),
])
def test_blame_belittling_and_closed_cases_are_flagged(matcher, customer, agent) -> None:
    assert _flagged(matcher, agent, customer=customer)


@pytest.mark.parametrize(("customer", "agent", "next_turn"), [
    ("沙发腿是断的，我签收时没注意", "合同上写了签收前要当面验货，您签字的时候没看吗？",
     "没关系，我这边登记补发一条新腿，三天内送到。"),
    ("只赔五千，为什么", "合同条款写得明明白白，签之前您没仔细看？",
     "没关系，我把扣减的每一项跟您逐条解释，有异议可以申请复核。"),
    ("房东不退押金，你们能帮忙吗", "押金是房东收的，您签合同的时候没看条款吗？",
     "没看也不要紧，我把合同调出来，约房东一起当面谈退押金。"),
    ("身份证丢了还能进考场吗", "那这次只能算了哈~", "不过您今天去派出所开临时身份证明，考场是认的。"),
    ("护理员到哪了", "护理员到哪了这个我这边也查不到", "我现在直接打她手机问一下然后马上回拨给您"),
    ("这两个药能一起吃吗", "能不能一起吃，我这边也拿不准。", "我请我们的执业药师跟您说，您稍等。"),
])
def test_the_agent_acting_in_the_next_turn_clears_them(matcher, customer, agent, next_turn) -> None:
    assert not _flagged(matcher, agent, customer=customer, next_turn=next_turn)


@pytest.mark.parametrize(("customer", "agent"), [
    ("孩子寒假想加课，还有名额吗", "亲，不知道宝贝想加哪个科目呢？数学和英语寒假班都还有位置哦~"),
    ("宿舍是几人间", "具体分到哪一栋阿拉现在也勿晓得，开学前一个礼拜会发短信通知侬。"),
    ("学费退款点解仲未到账", "呢个我而家都唔清楚，等我同财务处跟进下，听日覆返你。"),
    ("瓷砖能退吗", "瓷砖是您自己买的，退货得找卖瓷砖的那家哈，我把他们店长微信推给您"),
    ("我的订单怎么没了", "亲亲 是您自己下单的吗"),
])
def test_questions_and_promises_in_the_same_turn_are_not_flagged(matcher, customer, agent) -> None:
    assert not _flagged(matcher, agent, customer=customer)


@pytest.mark.parametrize(("customer", "agent"), [
    # (train81, older customers) pushed onto their family or a neighbour, talked down to
    ("我不会在手机上挂号，窗口又说没号了", "现在都是网上挂，让您孩子帮您挂吧。"),
    ("我在外地跟女儿住，怎么认证", "这个您让女儿帮您弄吧~"),
    ("楼上漏水把我家淹了，你们管不管", "楼上漏水属于邻里之间的事哦，您跟楼上商量一下~"),
    ("外地住院花的钱回来能报吗", "外地看的病，您回外地医院问去。"),
    ("我不会在网上买票，能给我留一张吗", "都什么年代了，网上买很方便的~"),
    ("暖气费能不能少交点", "人人都是这么交的，您也别跟小妹磨了~"),
    ("体检要空腹吗，我有糖尿病", "这个短信里都写着呢您自己看吧"),
    ("我听不清，报销要啥材料", "哎呀我都说两遍了您让您家里人来听吧"),
    # (train82) a chase answered with no result, a spoiled order shrugged off
    ("理赔材料交了快一个月了，到底赔多少？", "理赔金额目前还没有结果。"),
    ("航班延误五个小时了，到底什么时候能飞？？", "亲，目前还没有最新的起飞时间哦~"),
    ("买的草莓一半都烂了，你们就这质量？", "亲，生鲜产品难免会有损耗的哦~"),
])
def test_pushing_elders_away_and_empty_answers_to_a_chase_are_flagged(matcher, customer,
                                                                      agent) -> None:
    assert _flagged(matcher, agent, customer=customer)


@pytest.mark.parametrize(("customer", "agent", "next_turn"), [
    ("补贴申请了两个月了，还要多久", "那您就慢慢等着吧~",
     "系统显示您的申请在区里复核，预计本月底出结果，出结果会短信通知您~"),
    ("体检结果跟医院查的不一样", "医院那边怎么查的小妹不清楚呢",
     "您把两份报告都拍给小妹，我请主检医生对比看一下，明天给您回复~"),
    ("门口灯坏了你们管不管", "门口的灯是您家自己的，我们不管。",
     "不过您要是换不了，我们可以派电工帮您换，只收个灯泡钱。"),
    ("套餐是我儿子办的，我想知道扣的是啥", "您问问您儿子吧，他知道当时办的哪个。",
     "要是不方便问，我这边把套餐内容给您念一遍也行。"),
])
def test_a_step_in_the_next_turn_clears_them_too(matcher, customer, agent, next_turn) -> None:
    assert not _flagged(matcher, agent, customer=customer, next_turn=next_turn)


@pytest.mark.parametrize(("customer", "agent"), [
    ("这个要跟厂家谈吗", "非常抱歉，这个需要您与厂家协商呢"),   # a platform's referral, not a push
    ("师傅几点来我都在家", "那就随便您，上午下午都能排，您说个时间我记上。"),
])
def test_referrals_and_accommodating_choices_are_not_flagged(matcher, customer, agent) -> None:
    assert not _flagged(matcher, agent, customer=customer)


@pytest.mark.parametrize(("customer", "agent"), [
    # (train83, train84) 随便您 with each choice named and allowed
    ("安装师傅周六或者周日来都行吗？", "随便您，哪天来都行。"),
    ("我哪天去网点签合同都可以吗？", "随便您哪个工作日过来都行哦，提前一天跟客户经理约一下就好呢~"),
    ("送到楼下还是门口？", "随便您，放门口也行，送上楼也行，我备注给骑手。"),
])
def test_whatever_that_names_each_allowed_choice_is_not_flagged(matcher, customer, agent) -> None:
    assert not _flagged(matcher, agent, customer=customer)


@pytest.mark.parametrize(("customer", "agent"), [
    ("你们发错货了，我到底是退还是换", "都行，随便您吧"),
    ("太贵了", "嫌贵随便您去哪买。"),
])
def test_whatever_that_leaves_the_customer_alone_stays_flagged(matcher, customer, agent) -> None:
    assert _flagged(matcher, agent, customer=customer)
