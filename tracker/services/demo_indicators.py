"""The demo office's indicators (#16): 39 创新能力监测, 102 SDGs 进展 and 30 可持续发展规划
indicators for 临沧 — a border, multi-ethnic, less-developed prefecture building a national
innovation-driven sustainable development zone — with values from the 2020 baseline on,
targets for 2025 and 2030 (and a few per-year ones), some missing and some off track.

``build_demo`` calls ``build_indicators`` after the plan and the users exist. The catalogue
and who is behind depend on the seed only; which periods have values follows ``as_of``
(a value exists only once its period is due). Responsible units are the demo's lead units
(市科技局 also has a unit account, ``kejiju``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, col, select

from tracker.domain.indicators import (
    Direction,
    Frequency,
    IndicatorFacts,
    due_on,
    due_period,
    expected_value,
    periods_between,
)
from tracker.models import (
    Indicator,
    IndicatorGoal,
    IndicatorLink,
    IndicatorSystem,
    IndicatorTarget,
    IndicatorValue,
    Measure,
    Project,
    User,
)

SYSTEMS: tuple[tuple[str, str], ...] = (
    ("innovation", "创新能力监测"),
    ("sdg", "SDGs 进展"),
    ("plan", "可持续发展规划"),
)
BASELINE_YEAR = 2020

# the responsible units (all lead units of the demo plan)
K, F, G, N = "市科技局", "市发展改革委", "市工业和信息化局", "市农业农村局"
L, S, E, W = "市林草局", "市水务局", "市生态环境局", "市文化和旅游局"
J, Z, H, C = "市交通运输局", "市住房城乡建设局", "市卫生健康委", "市商务局"
Y, R = "市能源局", "市自然资源局"

# name, unit, direction (+ higher, - lower, b band), 2020 baseline, 2025 and 2030 targets
# (for a band: its low and high), responsible unit, SDG goals, linked measure, frequency
Row = tuple[str, str, str, float, float, float, str, tuple[int, ...], str, str]
A, Q, M = "annual", "quarterly", "monthly"

INNOVATION: list[Row] = [
    ("全社会研发经费投入强度", "%", "+", 0.30, 0.80, 1.20, K, (9,), "建设创新平台", A),
    ("全社会研发经费支出", "亿元", "+", 2.48, 8.0, 15.0, K, (9,), "建设创新平台", A),
    ("地方财政科技支出占一般公共预算支出比重", "%", "+", 0.52, 1.0, 1.5, K, (9, 17), "", A),
    ("规模以上工业企业研发经费支出", "亿元", "+", 1.35, 4.5, 8.0, G, (9,), "", A),
    ("有研发活动的规模以上工业企业占比", "%", "+", 12.5, 25.0, 35.0, G, (9,), "", A),
    ("高新技术企业数", "家", "+", 46, 100, 180, K, (8, 9), "培育科技型企业", A),
    ("科技型中小企业数", "家", "+", 58, 150, 260, K, (9,), "培育科技型企业", A),
    ("高新技术产业增加值占规模以上工业增加值比重", "%", "+", 18.0, 25.0, 32.0, G, (9,), "", A),
    ("每万人口高价值发明专利拥有量", "件", "+", 0.35, 1.0, 2.0, K, (9,), "", A),
    ("每万人口发明专利拥有量", "件", "+", 0.62, 1.5, 3.0, K, (9,), "", A),
    ("专利授权量", "件", "+", 820, 1300, 1800, K, (9,), "", A),
    ("技术合同成交额", "亿元", "+", 0.85, 3.0, 6.0, K, (9, 17), "推进跨境科技合作", A),
    ("省级以上科技创新平台数", "个", "+", 38, 60, 85, K, (9,), "建设创新平台", A),
    ("省级以上重点实验室和工程技术研究中心数", "个", "+", 9, 15, 22, K, (9,), "建设创新平台", A),
    ("院士专家工作站数", "个", "+", 12, 20, 28, K, (9, 17), "", A),
    ("每万名就业人员中研发人员数", "人年", "+", 6.8, 12.0, 20.0, K, (9,), "", A),
    ("科技特派员人数", "人", "+", 1250, 1600, 2000, K, (2, 9), "突破特色产业关键技术", A),
    ("农业科技进步贡献率", "%", "+", 58.0, 62.0, 66.0, N, (2, 9), "突破特色产业关键技术", A),
    ("主要农作物良种覆盖率", "%", "+", 92.0, 96.0, 98.0, N, (2,), "", A),
    ("登记科技成果数", "项", "+", 45, 80, 120, K, (9,), "", A),
    ("科技成果转化项目数", "项", "+", 22, 45, 70, K, (9,), "突破特色产业关键技术", A),
    ("获省级以上科技奖励项数", "项", "+", 3, 6, 9, K, (9,), "", A),
    ("新产品销售收入占规上工业企业营业收入比重", "%", "+", 6.5, 10.0, 15.0, G, (9, 12), "", A),
    (
        "数字经济核心产业增加值占地区生产总值比重",
        "%",
        "+",
        2.1,
        5.0,
        8.0,
        G,
        (9,),
        "推进数字乡村建设",
        A,
    ),
    ("行政村5G网络覆盖率", "%", "+", 15.0, 80.0, 100.0, G, (9,), "推进数字乡村建设", A),
    ("固定宽带家庭普及率", "%", "+", 68.0, 90.0, 98.0, G, (9, 17), "", A),
    ("公民具备科学素质比例", "%", "+", 5.8, 10.0, 15.0, K, (4,), "", A),
    ("省级以上科普教育基地数", "个", "+", 6, 10, 15, K, (4,), "", A),
    ("众创空间和科技企业孵化器数", "个", "+", 8, 15, 22, K, (8, 9), "培育科技型企业", A),
    ("在孵企业数", "家", "+", 120, 260, 400, K, (8, 9), "培育科技型企业", A),
    ("引进高层次科技人才数", "人", "+", 35, 120, 220, K, (9, 17), "", A),
    ("与南亚东南亚国家科技合作项目数", "项", "+", 5, 15, 25, K, (17,), "推进跨境科技合作", A),
    ("国际（跨境）科技合作平台数", "个", "+", 2, 5, 8, K, (17,), "推进跨境科技合作", A),
    ("企业研发费用加计扣除减免税额", "亿元", "+", 0.42, 1.2, 2.5, K, (9,), "", A),
    ("科技型企业贷款余额", "亿元", "+", 3.6, 10.0, 20.0, K, (8, 9), "", A),
    ("高新技术企业营业收入", "亿元", "+", 86, 200, 350, K, (8, 9), "", A),
    ("规上工业企业研发机构覆盖率", "%", "+", 9.5, 20.0, 30.0, G, (9,), "", A),
    ("科技创新券兑现金额", "万元", "+", 150, 500, 900, K, (9,), "", A),
    ("每万人科技服务业从业人员数", "人", "+", 4.2, 8.0, 12.0, K, (9,), "", A),
]

# six per goal, goals 1 to 17 in order
SDGS: list[Row] = [
    ("脱贫人口人均纯收入", "元", "+", 10500, 15000, 22000, N, (1,), "", A),
    ("防止返贫监测对象风险消除率", "%", "+", 72.0, 95.0, 100.0, N, (1,), "", A),
    ("农村最低生活保障平均标准", "元/人·年", "+", 4800, 6000, 7500, F, (1,), "", A),
    ("城乡居民基本养老保险参保率", "%", "+", 95.2, 97.0, 98.0, F, (1,), "", A),
    ("易地扶贫搬迁劳动力就业率", "%", "+", 90.0, 95.0, 97.0, F, (1, 8), "", A),
    ("农村低收入人口动态监测覆盖率", "%", "+", 85.0, 100.0, 100.0, N, (1,), "", A),
    ("粮食总产量", "万吨", "+", 103.5, 106.0, 108.0, N, (2,), "", A),
    ("茶叶综合产值", "亿元", "+", 260, 380, 520, N, (2, 8), "发展绿色高效农业", A),
    ("坚果综合产值", "亿元", "+", 80, 130, 200, N, (2, 8), "发展绿色高效农业", A),
    ("高标准农田面积", "万亩", "+", 118, 180, 230, N, (2,), "", A),
    ("农产品加工业产值与农业总产值之比", "—", "+", 1.1, 2.0, 2.5, N, (2, 9), "", A),
    ("5岁以下儿童生长迟缓率", "%", "-", 6.8, 5.0, 4.0, H, (2, 3), "", A),
    ("人均预期寿命", "岁", "+", 75.2, 76.5, 78.0, H, (3,), "", A),
    ("孕产妇死亡率", "1/10万", "-", 18.6, 15.0, 12.0, H, (3,), "", A),
    ("婴儿死亡率", "‰", "-", 5.8, 5.0, 4.5, H, (3,), "", A),
    ("每千人口执业（助理）医师数", "人", "+", 2.2, 2.8, 3.3, H, (3,), "", A),
    ("居民健康素养水平", "%", "+", 18.5, 25.0, 30.0, H, (3,), "", A),
    ("重大慢性病过早死亡率", "%", "-", 17.8, 16.0, 14.0, H, (3,), "发展康养旅游", A),
    ("学前教育毛入园率", "%", "+", 88.0, 92.0, 95.0, F, (4,), "", A),
    ("九年义务教育巩固率", "%", "+", 94.5, 96.0, 97.0, F, (4,), "", A),
    ("高中阶段毛入学率", "%", "+", 86.0, 91.0, 94.0, F, (4,), "", A),
    ("劳动年龄人口平均受教育年限", "年", "+", 9.3, 10.0, 10.8, F, (4,), "", A),
    ("职业院校毕业生就业率", "%", "+", 90.0, 93.0, 95.0, F, (4, 8), "", A),
    ("国家通用语言文字普及率", "%", "+", 78.0, 85.0, 90.0, F, (4, 10), "", A),
    ("适龄妇女“两癌”筛查覆盖率", "%", "+", 60.0, 80.0, 90.0, H, (5, 3), "", A),
    ("住院分娩率", "%", "+", 99.6, 99.8, 99.9, H, (5, 3), "", A),
    ("出生人口性别比（女=100）", "—", "b", 108.5, 103.0, 107.0, H, (5,), "", A),
    ("市级人大代表中女性比例", "%", "+", 26.0, 28.0, 30.0, F, (5, 16), "", A),
    ("村（居）委会成员中女性比例", "%", "+", 22.0, 30.0, 35.0, F, (5,), "", A),
    ("适龄女童义务教育入学率", "%", "+", 99.5, 99.8, 99.9, F, (5, 4), "", A),
    ("集中式饮用水水源地水质达标率", "%", "b", 100.0, 95.0, 100.0, E, (6,), "", A),
    (
        "地表水国控省控断面水质优良比例",
        "%",
        "+",
        92.3,
        95.0,
        97.0,
        E,
        (6,),
        "推进流域水环境综合治理",
        A,
    ),
    ("农村自来水普及率", "%", "+", 88.0, 92.0, 95.0, S, (6,), "", A),
    ("城市污水处理率", "%", "+", 93.0, 96.0, 97.0, Z, (6, 11), "推进城乡污水垃圾治理", A),
    ("万元地区生产总值用水量", "立方米", "-", 68.0, 55.0, 45.0, S, (6,), "", A),
    ("农田灌溉水有效利用系数", "—", "+", 0.51, 0.55, 0.58, S, (6,), "", A),
    ("清洁能源装机占电力总装机比重", "%", "+", 90.0, 93.0, 95.0, Y, (7,), "发展清洁能源", A),
    ("非化石能源占一次能源消费比重", "%", "+", 42.0, 46.0, 50.0, Y, (7, 13), "发展清洁能源", A),
    (
        "单位地区生产总值能耗",
        "吨标准煤/万元",
        "-",
        0.58,
        0.50,
        0.44,
        F,
        (7, 12),
        "推进工业节能降碳",
        A,
    ),
    ("光伏发电装机容量", "万千瓦", "+", 5, 80, 200, Y, (7,), "发展清洁能源", A),
    ("农村电网供电可靠率", "%", "+", 99.60, 99.80, 99.90, Y, (7,), "", A),
    ("公共充电桩数量", "个", "+", 320, 2000, 5000, Z, (7, 11), "推广绿色建筑与交通", A),
    ("地区生产总值", "亿元", "+", 868, 1150, 1600, F, (8,), "", A),
    ("地区生产总值增速", "%", "b", 4.8, 6.0, 8.5, F, (8,), "", Q),
    ("城镇调查失业率", "%", "-", 5.2, 5.0, 4.8, F, (8,), "", Q),
    ("城镇新增就业人数", "万人", "+", 1.6, 1.8, 2.0, F, (8,), "", A),
    ("接待游客总人次", "万人次", "+", 1850, 3000, 4200, W, (8,), "打造边境旅游精品线路", A),
    ("旅游总收入", "亿元", "+", 230, 420, 650, W, (8,), "发展康养旅游", A),
    ("规模以上工业增加值增速", "%", "b", 5.6, 7.0, 10.0, G, (9,), "", M),
    ("高速公路通车里程", "公里", "+", 280, 560, 800, J, (9,), "", A),
    ("行政村通硬化路比例", "%", "+", 100.0, 100.0, 100.0, J, (9,), "", A),
    ("自然村通硬化路比例", "%", "+", 65.0, 85.0, 95.0, J, (9,), "", A),
    ("货物运输量", "万吨", "+", 4200, 5200, 6500, J, (9,), "建设沿边绿色物流通道", A),
    ("工业园区营业收入", "亿元", "+", 420, 650, 950, G, (9,), "推进工业节能降碳", A),
    ("城乡居民人均可支配收入比（农村=1）", "—", "-", 2.72, 2.45, 2.20, F, (10,), "", A),
    ("农村常住居民人均可支配收入", "元", "+", 13800, 19500, 28000, N, (10, 1), "", A),
    ("城镇常住居民人均可支配收入", "元", "+", 37500, 49000, 65000, F, (10,), "", A),
    ("集体经济收入5万元以上的民族聚居村占比", "%", "+", 45.0, 80.0, 95.0, N, (10,), "", A),
    ("边境县居民人均可支配收入", "元", "+", 12800, 18500, 26000, F, (10, 16), "", A),
    ("基本公共服务均等化实现度", "%", "+", 82.0, 90.0, 95.0, F, (10,), "", A),
    ("常住人口城镇化率", "%", "+", 42.1, 48.0, 55.0, Z, (11,), "", A),
    ("城市建成区绿地率", "%", "+", 36.0, 38.5, 40.0, Z, (11,), "推广绿色建筑与交通", A),
    ("城市生活垃圾无害化处理率", "%", "+", 98.0, 100.0, 100.0, Z, (11,), "推进城乡污水垃圾治理", A),
    ("中心城区空气质量优良天数比例", "%", "+", 97.8, 98.5, 99.0, E, (11, 3), "", M),
    ("细颗粒物（PM2.5）年均浓度", "微克/立方米", "-", 21.0, 20.0, 18.0, E, (11, 3), "", A),
    ("城镇棚户区改造任务完成率", "%", "+", 70.0, 100.0, 100.0, Z, (11,), "", A),
    ("一般工业固体废物综合利用率", "%", "+", 52.0, 60.0, 70.0, G, (12,), "推进工业节能降碳", A),
    ("蔗渣综合利用率", "%", "+", 88.0, 95.0, 98.0, G, (12,), "推进蔗糖产业循环经济发展", A),
    ("化肥施用量（折纯）", "万吨", "-", 13.2, 12.5, 11.5, N, (12, 2), "", A),
    ("农药使用量", "吨", "-", 1050, 950, 850, N, (12, 2), "", A),
    ("绿色食品和有机农产品认证数", "个", "+", 210, 380, 520, N, (12, 2), "发展绿色高效农业", A),
    ("农作物秸秆综合利用率", "%", "+", 86.0, 90.0, 93.0, N, (12,), "", A),
    ("单位地区生产总值二氧化碳排放", "吨/万元", "-", 0.95, 0.82, 0.70, E, (13,), "", A),
    ("森林蓄积量", "亿立方米", "+", 1.85, 1.95, 2.10, L, (13, 15), "", A),
    ("气象灾害预警信息公众覆盖率", "%", "+", 92.0, 96.0, 98.0, F, (13,), "", A),
    ("地质灾害隐患点综合治理率", "%", "+", 55.0, 75.0, 90.0, R, (13, 11), "", A),
    ("综合减灾示范社区数", "个", "+", 18, 30, 45, R, (13, 11), "", A),
    ("林业碳汇项目面积", "万亩", "+", 0, 80, 200, L, (13, 15), "", A),
    ("澜沧江流域重点水域禁捕执行率", "%", "+", 95.0, 100.0, 100.0, N, (14,), "", A),
    ("重点河流生态流量达标率", "%", "+", 85.0, 92.0, 95.0, S, (14, 6), "推进流域水环境综合治理", A),
    ("累计水土流失治理面积", "平方公里", "+", 420, 1400, 2800, S, (14, 15), "", A),
    ("土著鱼类增殖放流数量", "万尾", "+", 120, 200, 300, N, (14,), "加强生物多样性保护", A),
    ("河湖“清四乱”问题整改率", "%", "+", 90.0, 100.0, 100.0, S, (14, 6), "", A),
    ("水生生物保护区数", "个", "+", 2, 3, 4, N, (14,), "加强生物多样性保护", A),
    ("森林覆盖率", "%", "+", 70.2, 71.0, 72.0, L, (15, 13), "实施国土绿化和石漠化治理", A),
    ("湿地保护率", "%", "+", 48.0, 55.0, 60.0, L, (15,), "加强生物多样性保护", A),
    ("自然保护地面积占国土面积比例", "%", "+", 8.6, 9.5, 10.5, L, (15,), "加强生物多样性保护", A),
    ("累计石漠化综合治理面积", "万亩", "+", 12, 38, 70, L, (15,), "实施国土绿化和石漠化治理", A),
    ("历史遗留矿山生态修复率", "%", "+", 20.0, 50.0, 80.0, R, (15,), "推进矿山生态修复", A),
    (
        "国家重点保护野生动植物物种保护率",
        "%",
        "+",
        90.0,
        95.0,
        97.0,
        L,
        (15,),
        "加强生物多样性保护",
        A,
    ),
    ("每万人刑事案件立案数", "件", "-", 22.0, 19.0, 16.0, F, (16,), "", A),
    ("政务服务事项网上可办率", "%", "+", 90.0, 98.0, 100.0, F, (16,), "", A),
    ("边境智慧管控设施覆盖率", "%", "+", 40.0, 80.0, 100.0, F, (16,), "", A),
    ("民族团结进步示范单位数", "个", "+", 150, 260, 360, F, (16, 10), "建设民族文化智慧小镇", A),
    ("群众安全感满意度", "%", "+", 96.0, 97.0, 98.0, F, (16,), "", A),
    ("矛盾纠纷调解成功率", "%", "+", 96.0, 97.0, 98.0, F, (16,), "", A),
    ("对外贸易进出口总额", "亿元", "+", 112, 220, 380, C, (17, 8), "建设沿边绿色物流通道", A),
    ("边民互市贸易额", "亿元", "+", 48, 90, 150, C, (17, 10), "建设沿边绿色物流通道", A),
    ("实际利用外资", "万美元", "+", 1800, 3500, 6000, C, (17,), "", A),
    ("口岸出入境人员", "万人次", "+", 60, 200, 350, C, (17,), "建设沿边绿色物流通道", A),
    ("与南亚东南亚国家友好交流城市数", "个", "+", 3, 5, 8, C, (17,), "推进跨境科技合作", A),
    ("沪滇东西部协作帮扶资金", "亿元", "+", 4.2, 4.5, 4.5, F, (17, 1), "", A),
]

PLAN: list[Row] = [
    ("人均地区生产总值", "元", "+", 38000, 52000, 75000, F, (8,), "", A),
    ("一般公共预算收入", "亿元", "+", 38.0, 52.0, 75.0, F, (17,), "", A),
    ("固定资产投资增速", "%", "b", 4.1, 8.0, 12.0, F, (9,), "", M),
    ("示范区重大项目年度投资完成率", "%", "+", 95.0, 100.0, 100.0, F, (9,), "", A),
    ("精制茶产量", "万吨", "+", 15.5, 18.0, 22.0, N, (2, 8), "发展绿色高效农业", A),
    ("坚果产量", "万吨", "+", 14.0, 25.0, 40.0, N, (2, 8), "发展绿色高效农业", A),
    ("产糖量", "万吨", "+", 95.0, 110.0, 120.0, G, (8, 9), "推进蔗糖产业循环经济发展", A),
    ("甘蔗平均糖分", "%", "+", 13.6, 14.2, 14.6, N, (2, 9), "推进蔗糖产业循环经济发展", A),
    ("咖啡精深加工率", "%", "+", 30.0, 50.0, 65.0, N, (9, 12), "发展绿色高效农业", A),
    ("“一县一业”示范县数", "个", "+", 2, 4, 6, N, (8,), "", A),
    ("锗产业产值", "亿元", "+", 12.0, 30.0, 50.0, G, (9,), "推进工业节能降碳", A),
    ("规模以上工业企业数", "户", "+", 282, 380, 480, G, (9,), "", A),
    ("建成民族文化智慧小镇数", "个", "+", 2, 6, 8, W, (11, 8), "建设民族文化智慧小镇", A),
    ("A级旅游景区数", "个", "+", 32, 45, 55, W, (8,), "完善旅游服务设施", A),
    ("4A级以上旅游景区数", "个", "+", 6, 10, 14, W, (8,), "完善旅游服务设施", A),
    ("康养旅游示范基地数", "个", "+", 3, 8, 12, W, (3, 8), "发展康养旅游", A),
    ("智慧旅游景区覆盖率", "%", "+", 35.0, 80.0, 100.0, W, (8, 9), "推进智慧旅游建设", A),
    ("城镇污水处理厂运行负荷率", "%", "+", 72.0, 80.0, 85.0, Z, (6,), "推进城乡污水垃圾治理", A),
    ("农村生活污水治理率", "%", "+", 18.0, 40.0, 60.0, Z, (6,), "推进城乡污水垃圾治理", A),
    (
        "南汀河等重点河流出境断面达标率",
        "%",
        "+",
        90.0,
        100.0,
        100.0,
        E,
        (6, 14),
        "推进流域水环境综合治理",
        A,
    ),
    ("年度新增造林面积", "万亩", "+", 25.0, 30.0, 30.0, L, (15, 13), "实施国土绿化和石漠化治理", A),
    ("生态保护红线面积占国土面积比例", "%", "b", 30.0, 28.0, 32.0, R, (15,), "", A),
    ("清洁能源装机容量", "万千瓦", "+", 740, 900, 1100, Y, (7,), "发展清洁能源", A),
    ("沿边物流园区货物吞吐量", "万吨", "+", 120, 300, 500, C, (17, 9), "建设沿边绿色物流通道", A),
    ("跨境电子商务交易额", "亿元", "+", 2.0, 15.0, 40.0, C, (17, 8), "建设沿边绿色物流通道", A),
    ("数字乡村试点村数", "个", "+", 20, 120, 300, G, (9, 10), "推进数字乡村建设", A),
    ("省级以上农业科技示范园区数", "个", "+", 12, 25, 35, K, (2, 9), "突破特色产业关键技术", A),
    ("示范区建设项目开工率", "%", "+", 80.0, 95.0, 100.0, F, (9, 17), "", A),
    ("公共文化服务设施覆盖率", "%", "+", 90.0, 97.0, 100.0, W, (4, 11), "", A),
    ("边境行政村“五通”达标率", "%", "+", 82.0, 100.0, 100.0, F, (10, 16), "", A),
]

# some per-year targets the office set (code -> {year: value})
YEAR_TARGETS: dict[str, dict[int, float]] = {
    "CX-01": {2022: 0.45, 2023: 0.55, 2024: 0.68},
    "CX-06": {2023: 75, 2024: 88},
    "GH-04": {2023: 100.0, 2024: 100.0},
}
RANKS: dict[str, list[int]] = {  # 全省排名 recorded by the office, 2020 on (16 prefectures)
    "CX-01": [13, 13, 12, 12, 11, 11],
    "CX-06": [12, 12, 11, 11, 10, 10],
    "CX-10": [14, 14, 14, 13, 13, 12],
}
# profiles set by hand: 市科技局's 公民具备科学素质比例 (goal 4) has not reported its latest
# value; once it does and the office accepts it on target, goal 4's tile turns from amber to
# green (the demo's walk through "a unit enters, the office accepts, the tile changes")
FORCED: dict[str, str] = {"CX-27": "missing"}
RETURN_REASON = "数据与《临沧统计年鉴》口径不一致，请核实后重新报送"


@dataclass(frozen=True)
class DemoIndicators:
    systems: dict[str, int]  # system code -> indicators
    values: int


COUNTS = {"家", "个", "项", "件", "人", "户"}  # whole numbers


def _decimals(base: float, way: float, unit: str) -> int:
    if unit in COUNTS:
        return 0
    digits = 2 if abs(base) < 10 else 1 if abs(base) < 1000 else 0
    while way and 10**-digits > abs(way) / 50 and digits < 4:
        digits += 1
    return digits


def _profile(rng: random.Random) -> str:
    """How an indicator has gone: mostly on track, some behind, some not reported."""
    draw = rng.random()
    for share, profile in (
        (0.60, "on_track"),
        (0.74, "behind"),
        (0.80, "far_behind"),
        (0.88, "missing"),
        (0.91, "missing_two"),
        (0.95, "pending"),
        (0.97, "returned"),
        (0.98, "draft"),
    ):
        if draw < share:
            return profile
    return "moving_away"


FACTORS = {"behind": (0.74, 0.84), "far_behind": (0.35, 0.6)}


def _path(row: Row, facts: IndicatorFacts, profile: str, rng: random.Random, year: int) -> float:
    """The indicator's value for ``year`` as the profile has it go."""
    base = row[3]
    if row[2] == "b":
        low, high = row[4], row[5]
        inside = low + (high - low) * rng.uniform(0.2, 0.8)
        if profile in ("behind", "far_behind"):
            return low - (high - low) * (0.15 if profile == "behind" else 0.5)
        return inside
    expected, _ = expected_value(facts, year)
    expected = base if expected is None else expected
    low, high = FACTORS.get(profile, (0.99, 1.06))
    if profile == "moving_away" and year >= 2023:  # fell back each year since 2022
        before, _ = expected_value(facts, 2022)
        return base + ((before or base) - base) * (1.0 - 0.15 * (year - 2022))
    return base + (expected - base) * rng.uniform(low, high)


def _facts(row: Row, code: str) -> IndicatorFacts:
    targets = {} if row[2] == "b" else {2025: float(row[4]), 2030: float(row[5])}
    targets.update(YEAR_TARGETS.get(code, {}))
    return IndicatorFacts(
        baseline_year=BASELINE_YEAR, baseline_value=float(row[3]), targets=targets
    )


def _periods(row: Row, as_of: date) -> list[date]:
    frequency = Frequency(row[9])
    first = date(BASELINE_YEAR, 1, 1) if frequency is Frequency.ANNUAL else date(2024, 1, 1)
    return periods_between(frequency, first, due_period(frequency, as_of))


def _indicator(system_id: int, code: str, row: Row, order: int) -> Indicator:
    name, unit, sign, base, t25, t30, lead_unit, _goals, _measure, frequency = row
    direction = {"+": Direction.HIGHER, "-": Direction.LOWER, "b": Direction.BAND}[sign]
    source = "临沧市统计年鉴" if frequency == A else f"{lead_unit}统计月报"
    return Indicator(
        system_id=system_id,
        code=code,
        name=name,
        unit=unit,
        definition=f"{name}（{unit}），按{lead_unit}统计口径计算。",
        direction=direction.value,
        band_low=float(t25) if sign == "b" else None,
        band_high=float(t30) if sign == "b" else None,
        baseline_year=BASELINE_YEAR,
        baseline_value=float(base),
        lead_unit=lead_unit,
        data_source=source,
        frequency=frequency,
        sort_order=order,
    )


def _values(
    indicator: Indicator,
    row: Row,
    profile: str,
    rng: random.Random,
    as_of: date,
    enterer: int | None,
) -> list[IndicatorValue]:
    facts = _facts(row, indicator.code)
    periods = _periods(row, as_of)
    skip: set[date] = set()
    if profile in ("missing", "missing_two") and periods:
        skip = set(periods[-(2 if profile == "missing_two" else 1) :])
    way = float(row[4]) - float(row[3])
    digits = _decimals(
        float(row[3]), way if row[2] != "b" else float(row[5]) - float(row[4]), row[1]
    )
    ranks = RANKS.get(indicator.code, [])
    out = []
    for index, period in enumerate(periods):
        if period in skip:
            continue
        number = (
            float(row[3])
            if period.year == BASELINE_YEAR
            else _path(row, facts, profile, rng, period.year)
        )
        number = round(number, digits)
        if row[1] == "%" and row[2] != "b" and max(row[3], row[4], row[5]) <= 100:
            number = min(number, 100.0)  # a share (coverage, rate) stops at 100%
        latest = period == periods[-1]
        status = _status(profile) if latest else "accepted"
        rank = ranks[index] if index < len(ranks) else None
        out.append(_value_row(indicator, period, number, status, rank, enterer, as_of))
    return out


def _status(profile: str) -> str:
    return {"pending": "submitted", "returned": "returned", "draft": "draft"}.get(
        profile, "accepted"
    )


def _value_row(
    indicator: Indicator,
    period: date,
    number: float,
    status: str,
    rank: int | None,
    enterer: int | None,
    as_of: date,
) -> IndicatorValue:
    accepted = status == "accepted"
    when = min(due_on(indicator.frequency, period) - timedelta(days=15), as_of)
    stamp = datetime.combine(when, time(2, 30), tzinfo=UTC)  # 10:30 in Shanghai
    note = ""
    if indicator.code == "CX-01" and period.year == BASELINE_YEAR:
        note = "全社会研发经费投入2.48亿元，投入强度0.3%，较上年下降0.07个百分点，全省第13位"
    return IndicatorValue(
        indicator_id=indicator.id or 0,
        period=period,
        value=number,
        source=f"《临沧统计年鉴{period.year + 1}》"
        if indicator.frequency == A
        else indicator.data_source,
        note=note,
        province_rank=rank,
        status=status,
        return_reason=RETURN_REASON if status == "returned" else "",
        accepted_value=number if accepted else None,
        accepted_at=stamp if accepted else None,
        entered_by=enterer,
        submitted_at=stamp if status != "draft" else None,
        reviewed_at=stamp if status in ("accepted", "returned") else None,
    )


def _links(
    indicator_id: int, measure: str, measures: dict[str, int], projects: dict[int, list[int]]
) -> list[IndicatorLink]:
    """The measure the indicator follows and two of its projects."""
    measure_id = measures.get(measure)
    if measure_id is None:
        return []
    return [IndicatorLink(indicator_id=indicator_id, measure_id=measure_id)] + [
        IndicatorLink(indicator_id=indicator_id, project_id=p)
        for p in projects.get(measure_id, [])[:2]
    ]


def build_indicators(session: Session, *, as_of: date, seed: int = 2021) -> DemoIndicators:
    """Fill the three systems, their targets, goals, links and values (as accepted, a few
    waiting for review, returned or in draft, some missing)."""
    measures = {m.name: m.id or 0 for m in session.exec(select(Measure))}
    projects: dict[int, list[int]] = {}
    for project_id, measure_id in session.exec(
        select(Project.id, Project.measure_id).order_by(col(Project.code))
    ):
        projects.setdefault(measure_id, []).append(project_id or 0)
    units = {
        u.lead_unit: u.id
        for u in session.exec(select(User).where(col(User.lead_unit).is_not(None)))
        if u.lead_unit
    }
    rng = random.Random(f"indicators:{seed}")
    counts: dict[str, int] = {}
    values = 0
    for order, ((code, name), rows, prefix) in enumerate(
        zip(SYSTEMS, (INNOVATION, SDGS, PLAN), ("CX", "SDG", "GH"), strict=True), start=1
    ):
        system = IndicatorSystem(code=code, name=name, sort_order=order)
        session.add(system)
        session.flush()
        made = [
            _indicator(system.id or 0, _code(prefix, index, row), row, index)
            for index, row in enumerate(rows, start=1)
        ]
        session.add_all(made)
        session.flush()
        children: list[object] = []
        for indicator, row in zip(made, rows, strict=True):
            children += _children(indicator, row, measures, projects)
            profile = FORCED.get(indicator.code, _profile(rng))
            found = _values(indicator, row, profile, rng, as_of, units.get(row[6]))
            values += len(found)
            children += found
        session.add_all(children)
        counts[code] = len(made)
    session.flush()
    return DemoIndicators(counts, values)


def _code(prefix: str, index: int, row: Row) -> str:
    if prefix == "SDG":
        return f"SDG{row[7][0]:02d}-{(index - 1) % 6 + 1}"
    return f"{prefix}-{index:02d}"


def _children(
    indicator: Indicator, row: Row, measures: dict[str, int], projects: dict[int, list[int]]
) -> list[object]:
    key = indicator.id or 0
    targets = {} if row[2] == "b" else {2025: float(row[4]), 2030: float(row[5])}
    targets.update(YEAR_TARGETS.get(indicator.code, {}))
    out: list[object] = [
        IndicatorTarget(indicator_id=key, year=y, value=v) for y, v in sorted(targets.items())
    ]
    out += [
        IndicatorGoal(indicator_id=key, goal=g, sdg_target=f"{g}.{1 + (key % 5)}" if i == 0 else "")
        for i, g in enumerate(row[7])
    ]
    out += _links(key, row[8], measures, projects)
    return out
