"""Families of the twenty-ninth session (lexicons/README.md, "Requests mocked,
asked again, done is done (twenty-ninth session)"): the customer's request
mocked (您事儿还挺多, 您以为就您一家), answered with "then leave" (那您搬走好了,
不想看就别来), or held against them when asked again (还要问几遍, 打多少遍都一样)
is a brush-off; 爱V不V takes more verbs, and 爱上哪V上哪V joins it; lost
stays lost (错过了就错过了) is resigned; which step or side caused it (说不好是
哪一步出的问题) is a cause not known, not a clarifying question; done is done, and what could be done is
asked back (送都送了还能怎么办, said without a pause) is a give-up; 跟店里无干 is
无关. Firm or friendly answers with the same words are not."""

from __future__ import annotations

import pytest
from talk import flagged_at_major as _flagged


@pytest.mark.parametrize(("customer", "agent"), [
    ("能帮我把狗狗的指甲也剪一下吗？", "剪指甲？您事儿还挺多~"),
    ("能不能帮我换个靠窗的位置", "您这事儿可真多啊"),
    ("搬家师傅能不能今天早点到？", "早点？您以为就您一家搬呢。"),
    ("能晚两天交物业费吗？", "你以为就你一个人困难啊"),
    ("能帮我把这个月房租晚交三天吗？", "晚交？那您搬走好了~"),
    ("这个课能退吗？", "不想上就别来，退是不可能退的。"),
    ("我想把车票改签到早一点的车次", "都跟您说过没票了，还要问几遍呀"),
    ("我想提一下信用卡额度", "提额是系统定的，您打多少遍都一样"),
    ("能帮我把明天的专家号改到后天吗？", "号源就这样，您爱挂不挂。"),
    ("会员卡能不能先停一个月？", "爱停不停，规矩就是这样。"),
    ("骑手把我的餐送错楼了，能再送回来吗？", "送都送了还能怎么办呢"),
    ("信用卡被盗刷了两笔，能先冻结吗？", "刷都刷出去了哪还有什么办法呀"),
    ("狗洗完澡回来皮肤红了，能带去看看吗？", "它自己皮肤敏感，跟店里无干。"),
    # (train181: lost stays lost; go wherever; asked back as normal; which step caused it, not known)
    ("上次课我生病没去，这节课还能补吗", "错过了就错过了呀，课表都排满了"),
    ("第一次滑雪，能在高级道试试不？", "你爱上哪滑上哪滑，摔了别找俺。"),
    ("机器吞了我的币也没出票，你们管不管", "嗯机器吞币那不很正常吗"),
    ("我报名付了钱名单里没我，咋回事？", "这个情况我也说不好是哪一步出的问题呢"),
    ("这单咋扣了两回钱，是你们扣的还是银行扣的？", "这玩意儿我也整不明白是哪儿扣的。"),
    # (train184, train187: the topic restated is no question asked back; unrelated, not our blame;
    # nothing can be changed; gone is gone)
    ("光猫上那个LOS灯一直闪红是什么意思？", "那个灯什么意思我这边也说不上来。"),
    ("保养完发动机异响了，是不是你们的问题？", "异响是车本身老化了，跟保养挨不着哈~"),
    ("做完美甲三天就掉了两个，是不是你们胶不好", "掉不掉跟您平时用手习惯有关，不是店里的锅"),
    ("订单已经付款了，我想把颜色改一下", "付完款的单子就定死了呀，啥也动不了了~"),
    ("我扫码付错商家了，能撤回吗？", "付出去的钱，泼出去的水。"),
    # (third wave, train188-191: not the place's doing; yours from now on; anybody gets the same; not held,
    # no way to learn; settled for good; the recogniser's 没辄; cannot explain)
    ("狗狗游完泳耳朵发炎了。", "耳朵发炎是您回家没吹干，不关泳池。"),
    ("领养的狗带回家第二天就病了！", "领养协议签了，之后生病就归您负责了哦"),
    ("猫做完绝育伤口裂开了", "伤口裂开是您回家没看好，跟手术没关系的"),
    ("拍的照片狗全是糊的", "狗动来动去的，谁拍都是这样。"),
    ("泳池的水看着有点浑", "狗游泳的池子哪有那么清的"),
    ("请问哪位医师看青春痘比较好？", "关于各位医师的专长，本服务台并未掌握相关资讯，敬请见谅。"),
    ("我们小区停电了，什么时候来电？", "关于贵小区的复电时间，目前我处暂无从获悉。"),
    ("导游中途把我们扔下去购物点", "您所述行程问题我社已悉知，此事已成定局，无可挽回。"),
    ("我就想换个颜色你们真的都不能处理啊", "嗯那个这个这个真的没辄了就这样吧"),
    ("为什么这个月水费突然翻倍了", "为啥翻倍我这边也没法解释哦亲"),
    ("专员说会给我回电话，都三天了", "打几次都一样哦，没人回您的，您也只能等"),
])
def test_a_request_mocked_or_asked_again_is_flagged(matcher, customer, agent) -> None:
    assert _flagged(matcher, agent, customer=customer)


@pytest.mark.parametrize(("customer", "agent"), [
    ("能帮我把狗狗的指甲也剪一下吗？", "可以的，剪指甲不另收费，洗完一起帮您剪。"),
    ("我想把车票改签到早一点的车次", "早一点的车次已经没票了，我帮您登记候补，有票第一时间通知您。"),
    ("都问了三遍了", "不好意思让您问了这么多次，我这就帮您查清楚。"),
    ("这个课能退吗？", "您要是不想上了，剩下的课时可以按比例退，我帮您申请。"),
    ("送错楼了怎么办", "送都送了也没关系，我让骑手现在取回来给您送到正确的楼。"),
    # which of the customer's things is meant: a clarifying question
    ("我那个订单怎么还没到", "我不太清楚您说的是哪一个订单，麻烦发一下订单号，我马上查。"),
    ("课还能补吗", "错过的课可以补的，我帮您约下周三的班。"),
    ("我这边水发黄能喝吗", "先别喝哦，具体原因我这边暂时不清楚，已经帮您报了水质检测，下午会有人上门取样~"),
    ("这个错误提示是啥", "不太清楚，您这是什么意思？是哪个页面弹出来的呢"),
    ("这个药饭前吃还是饭后？", "饭后吃比较不伤胃，用法贴在药盒上了，不清楚再打给我。"),
    ("包间最低消费多少", "包间最低消费我还真不清楚，现在就去问经理，一分钟回您~"),
])
def test_the_same_words_answered_helpfully_are_not(matcher, customer, agent) -> None:
    assert not _flagged(matcher, agent, customer=customer)
