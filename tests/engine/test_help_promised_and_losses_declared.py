"""Families of the twenty-sixth session (lexicons/README.md, "Life events,
stated limits, business customers (twenty-sixth session)"): a loss declared
final, a customer told off for their tone, no recollection, nothing found
yet; and what clears a line — a call made to ask, an answer promised back,
somebody sent to explain, the money returned by the agent, the customer's
own not-understanding met with help."""

from __future__ import annotations

import pytest
from talk import flagged_at_major as _flagged


@pytest.mark.parametrize(("customer", "agent"), [
    # a loss declared final
    ("快递少送了两箱水，下午就要用", "少了就少了，这会儿也变不出来。"),
    ("蛋糕盒子摔了，奶油全糊了", "碎了就碎了，没办法的事。"),
    ("急需一批防水卷材，你们能调货吗？", "这种规格，这会儿上哪儿找去。"),
    ("机票没赶上能退吗？", "没赶上那票钱就打水漂了。"),
    ("孩子生病课上不了，学费能退吗？", "学费算是打水漂了，规定如此。"),
    # the customer told off for their tone or for caring
    ("送来的桌子颜色跟图片差好多", "网上买的总有色差，侬勿要噶较真。"),
    ("少了一件货你们都不点的吗？", "就少一件而已，用得着这么凶吗？"),
    ("沙发被你们师傅划了一道，能修好吗？", "划都划了，修不回原样的。"),
    ("电影中途黑屏了，能退点钱吗？", "已经放完了，也没得退。"),
    ("网一到晚上就卡", "老毛病了，没得治。"),
    ("押金能退吗？", "押金个事体侬讲到天亮也呒没用场个。"),
    # the customer told off, or dared to leave
    ("能不能多派一个人？", "您爱约不约，我们就两个人。"),
    ("能指定白色的车吗？", "有车开就不错了还挑颜色。"),
    ("再断网我就销户！", "想销户的话您请便。"),
    ("你们客服是机器人吗？听不懂人话！", "麻烦您说话客气点哦。"),
    # sent to the embassy or the maker; "nothing to do with us", in Shanghainese
    ("签证被拒了团费能退吗？", "拒签是使馆的决定，您去问使馆吧。"),
    ("牙套硌得疼能调吗？", "牙套是厂家做的，有问题您找厂家。"),
    ("照片底色不对，单位不收", "单位勿收是单位个事体，搭阿拉照相馆啥相干。"),
    ("今天能升到500兆吗？", "几时有得升，呢个我答你唔到喎。"),
    ("冰箱不制冷了，能修吗？", "机器用了十年了，修不修都那样了。"),
    ("我明年不想订了，你们自动续了", "都已经续订了，这个没得弄啦。"),
    ("收到的二手包有划痕", "二手的东西还想要全新的嘛。"),
    ("为什么燃气又涨价了？", "涨价是上面定的，用不用您自己决定。"),
    ("外卖里吃出头发了，怎么处理？", "餐品问题需要您和商家沟通哦。"),
    ("会员是苹果扣的钱，能退吗？", "苹果扣的钱您找苹果。"),
    ("车票退款咋还没到？", "退款是车站的活儿，你上车站整去。"),
    ("续费后车牌要重新登记吗？", "这个我也迷糊。"),
    # no recollection, nothing found
    ("我上周寄存的行李箱是你接的吧？", "这个我没什么印象。"),
    ("狗狗到底什么病，查出来没有？", "目前还查不出是什么原因。"),
])
def test_they_are_flagged(matcher, customer, agent) -> None:
    assert _flagged(matcher, agent, customer=customer)


@pytest.mark.parametrize(("customer", "agent", "next_turn"), [
    # a call made to ask, an answer promised back
    ("张师傅今天上班吗？", "他今天在不在我也说不好。", "我打个电话问一下，您稍等。"),
    ("这批货下周能到齐吗？", "到货时间我现在不清楚。", "我先跟仓库核一下，今天下班前给您准话。"),
    ("附近有什么好玩的地方？", "附近耍的地方我也晓不得哦。", "我问哈我们经理，他是本地人。"),
    ("楼上漏水把我家天花板泡了，物业管不管？", "这事儿物业也没招。",
     "不过我可以今天就带维修工上楼查漏。"),
    ("会员重复扣了两次钱！", "重复扣款您得找银行。",
     "我这边核实到确实多扣了一笔，已经原路退回，三个工作日到账。"),
    ("会员红包用不了，是不是有门槛？", "红包是商家设的门槛，您去问商家。",
     "我把这张红包的使用条件截图发您，满三十元的店都能用。"),
    # the money returned by the agent
    ("外卖汤洒了一半，你们怎么处理？", "洒了是骑手的事，您直接跟骑手说。",
     "同时我这边先把这单的餐费退给您，稍后原路到账。"),
])
def test_the_next_turn_clears_them(matcher, customer, agent, next_turn) -> None:
    assert not _flagged(matcher, agent, customer=customer, next_turn=next_turn)


@pytest.mark.parametrize(("customer", "agent"), [
    ("隔壁墓地的树根长到我们这边了，是谁家的？",
     "那块是谁家的我这里查不到，我请管理处明天去现场看，再跟您回报。"),
    ("寿衣和骨灰盒有什么讲究？", "这个我要是讲不清楚，就让负责的师傅跟您详细说。"),
    ("我找不到退款的入口", "入口在订单详情最下面，整不明白再找我。"),
    ("我明明还车了为什么还在扣钱？", "原因我现在还不清楚，先帮您手动结束订单，多扣的钱退回钱包。"),
    ("师傅，俺家门锁坏了，得多少钱？", "中，先去给恁瞅瞅，不清楚坏哪儿了，看了再说价。"),
])
def test_the_same_words_with_help_are_not(matcher, customer, agent) -> None:
    assert not _flagged(matcher, agent, customer=customer)
