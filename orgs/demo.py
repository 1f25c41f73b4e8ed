"""Demo organizations of 吴兴区 from the seed article: filed and registered ones, their
lifecycle, the service contracts of the demo centers, and a venture-grant call.

Idempotent: organizations are keyed by credit code (registered) or street + name (filed),
contracts by number; lifecycle moves and grants are made only when their subject is new.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.demo import demo_center, demo_user
from core.models import Community, Street

from . import services
from .credit_code import make_credit_code
from .models import (
    Domain,
    GrantCall,
    Metric,
    Organization,
    Period,
    PlayedRole,
    ServiceContract,
    SocialWorkerLevel,
    StaffMember,
    Stage,
)

AUTHORITY = "湖州市吴兴区民政局"
K = Organization.Kind
R = PlayedRole

# name: (kind, street, community, credit-code body or None (filed), registered/filed on, domains,
#        roles, grade, party (branch, members), description)
ORGANIZATIONS = {
    "吴兴区社会组织党群服务中心": (
        K.HUB,
        None,
        None,
        "52330502MJ0026001",
        "2016-03-18",
        ["社会组织培育", "党建引领"],
        [R.RESOURCE_INTEGRATOR, R.GUIDE],
        "5A",
        ("own", 9),
        "“城市温度26°”品牌的枢纽型社会组织，以“集中孵化+网格培育”模式培育社会组织、行业协会、乡贤、媒体、律师和志愿者等力量参与基层治理。",
    ),
    "仁与公益组织发展中心": (
        K.SOCIAL_SERVICE,
        "龙泉街道",
        None,
        "52330502MJ0026002",
        "2017-09-06",
        ["协商议事", "社区营造"],
        [R.ORGANIZER, R.ADVOCATE],
        "4A",
        ("joint", 3),
        "专业社会组织，运用“3+1四方会谈”组织并主持社区协商议事会，以“社工+自治队伍”组成社区议事会，开展“睦邻自治”项目。",
    ),
    "湖州市吴兴区南太湖居家养老服务中心": (
        K.SOCIAL_SERVICE,
        "龙泉街道",
        None,
        "52330502MJ0026003",
        "2015-11-20",
        ["养老服务", "助残服务", "健康服务"],
        [R.EDUCATOR, R.RESOURCE_INTEGRATOR],
        "4A",
        ("own", 5),
        "从“城市温度26°”培育出来的品牌社会组织，从事老年人居家养老、社区照料和邻里中心运营，运营龙庭社区幸福邻里中心。",
    ),
    "乐家社工": (
        K.SOCIAL_SERVICE,
        "爱山街道",
        None,
        "52330502MJ0026004",
        "2016-08-18",
        ["环境保护", "养老服务", "社区营造"],
        [R.ADVOCATE, R.EDUCATOR, R.GUIDE, R.ORGANIZER, R.RESOURCE_INTEGRATOR],
        "3A",
        ("own", 4),
        "2017年起协助白鱼潭社区发展联合会承接公益创投项目，2019年5月正式入驻白鱼潭社区幸福邻里中心，培育环保志愿团队和“银龄互助团”。",
    ),
    "吴兴区蚂蚁公益协会": (
        K.ASSOCIATION,
        None,
        None,
        "51330502MJ0026005",
        "2014-05-12",
        ["志愿服务", "公益慈善"],
        [R.ORGANIZER, R.RESOURCE_INTEGRATOR],
        "4A",
        ("own", 6),
        "打造“一元·益愿”暖心志愿服务品牌，建立群众动态诉求采集站点30个，主导开发志愿服务指挥系统。",
    ),
    "吴兴区志愿者联合会": (
        K.ASSOCIATION,
        None,
        None,
        "51330502MJ0026006",
        "2013-12-02",
        ["志愿服务"],
        [R.ORGANIZER],
        "3A",
        ("instructor", 2),
        "统筹全区志愿服务力量，与蚂蚁公益等社会组织共建“一元·益愿”品牌。",
    ),
    "吴兴区慈善总会": (
        K.ASSOCIATION,
        None,
        None,
        "51330502MJ0026007",
        "2008-06-30",
        ["公益慈善"],
        [R.RESOURCE_INTEGRATOR],
        "5A",
        ("own", 7),
        "与蚂蚁公益等共同设立志愿服务专项资金，通过志愿积分兑换奖励志愿者。",
    ),
    "织里镇安徽商会": (
        K.CHAMBER,
        "织里镇",
        None,
        "51330502MJ0026008",
        "2012-04-16",
        ["矛盾调解", "新居民服务"],
        [R.RESOURCE_INTEGRATOR],
        "",
        ("joint", 8),
        "织里13个异地商会之一，参与协调劳资纠纷、服务新居民。",
    ),
    "织里镇江西商会": (
        K.CHAMBER,
        "织里镇",
        None,
        "51330502MJ0026009",
        "2013-03-08",
        ["矛盾调解", "新居民服务"],
        [R.RESOURCE_INTEGRATOR],
        "",
        ("joint", 6),
        "织里13个异地商会之一。",
    ),
    "织里镇河南商会": (
        K.CHAMBER,
        "织里镇",
        None,
        "51330502MJ0026010",
        "2014-10-21",
        ["新居民服务"],
        [],
        "",
        ("none", 0),
        "织里13个异地商会之一。",
    ),
    # filed with a street or community
    "白鱼潭社区发展联合会": (
        K.HUB,
        "爱山街道",
        "白鱼潭社区",
        None,
        "2016-05-10",
        ["社会组织培育", "社区营造"],
        [R.RESOURCE_INTEGRATOR],
        "",
        ("none", 0),
        "白鱼潭社区的枢纽型社会组织，与社区共同培育社区社会组织（目前已有7个）。",
    ),
    "白鱼潭银龄互助团": (
        K.VOLUNTEER_TEAM,
        "爱山街道",
        "白鱼潭社区",
        None,
        "2019-07-01",
        ["养老服务", "志愿服务"],
        [R.ORGANIZER],
        "",
        ("none", 2),
        "低龄老人帮助高龄老人，以“月月助老”为主题每月走访社区30多位高龄老人。",
    ),
    "白鱼潭绿色会客厅环保志愿队": (
        K.VOLUNTEER_TEAM,
        "爱山街道",
        "白鱼潭社区",
        None,
        "2019-09-15",
        ["环境保护", "社区营造"],
        [R.ADVOCATE],
        "",
        ("none", 0),
        "从最初的2位居民发展到40多位，开展环保小课堂、捡拾白鱼潭、手工墙绘、阳台种植。",
    ),
    "匠心坊老党员志愿服务队": (
        K.VOLUNTEER_TEAM,
        "爱山街道",
        "白鱼潭社区",
        None,
        "2020-03-01",
        ["党建引领", "志愿服务"],
        [R.ORGANIZER],
        "",
        ("none", 6),
        "社区退休老党员看管“匠心坊”社区超市，发挥余热。",
    ),
    "湖小师志愿服务队": (
        K.VOLUNTEER_TEAM,
        "爱山街道",
        "月漾苑社区",
        None,
        "2018-09-01",
        ["儿童青少年", "三点半课堂"],
        [R.EDUCATOR],
        "",
        ("none", 0),
        "湖州师范学院学生志愿者，每天下午三点半接孩子到“三点半课堂”辅导作业。",
    ),
    "余家漾睦邻自治议事会": (
        K.COMMUNITY,
        "龙泉街道",
        "余家漾社区",
        None,
        "2020-06-18",
        ["协商议事"],
        [R.ORGANIZER],
        "",
        ("none", 3),
        "“社工+自治队伍”组成的社区议事会，参与垃圾投放驿站选点等社区公共问题的协商。",
    ),
    "龙庭社区银龄助老服务队": (
        K.VOLUNTEER_TEAM,
        "龙泉街道",
        "龙庭社区",
        None,
        "2020-10-09",
        ["养老服务"],
        [R.ORGANIZER],
        "",
        ("none", 1),
        "配合南太湖居家养老服务中心上门陪伴独居、高龄老人。",
    ),
    "平安大姐工作室": (
        K.STUDIO,
        "织里镇",
        "织里社区",
        None,
        "2016-12-01",
        ["矛盾调解", "新居民服务"],
        [R.ORGANIZER, R.GUIDE],
        "",
        ("none", 4),
        "由在织里创业的“老板娘”们在镇政府帮助下成立，来自12个省18个地区的20余名“平安大姐”协调劳资纠纷、调解房租矛盾。",
    ),
    "平安公益联盟": (
        K.COMMUNITY,
        "织里镇",
        None,
        None,
        "2017-05-20",
        ["矛盾调解", "志愿服务"],
        [R.ORGANIZER],
        "",
        ("none", 0),
        "织里新老居民共同参与的公益联盟，维护社会和谐。",
    ),
    "月河社区文体队": (
        K.COMMUNITY,
        "月河街道",
        "月河社区",
        None,
        "2021-04-12",
        ["文化体育"],
        [],
        "",
        ("none", 0),
        "社区居民自发组织的文体队伍。",
    ),
}

STAFF = {
    "乐家社工": [
        ("周渊", "项目主管", SocialWorkerLevel.INTERMEDIATE, True),
        ("沈佳怡", "社工", SocialWorkerLevel.JUNIOR, False),
    ],
    "湖州市吴兴区南太湖居家养老服务中心": [
        ("陆晓燕", "中心主任", SocialWorkerLevel.SENIOR, True),
        ("钱嘉伟", "社工", SocialWorkerLevel.INTERMEDIATE, False),
        ("蒋敏", "护理员", SocialWorkerLevel.NONE, False),
    ],
    "仁与公益组织发展中心": [("孙立群", "理事长", SocialWorkerLevel.INTERMEDIATE, True)],
    "平安大姐工作室": [("徐维丽", "负责人", SocialWorkerLevel.NONE, False)],
}

# organization: [(stage, reason, incubator, center slug)]
LIFECYCLE = {
    "湖州市吴兴区南太湖居家养老服务中心": [
        (Stage.INCUBATE, "入驻“城市温度26°”集中孵化", "吴兴区社会组织党群服务中心", "longquan"),
        (Stage.GUIDE, "孵化期满，引导承接居家养老服务项目", None, None),
        (Stage.SUPPORT, "承接龙庭社区幸福邻里中心运营", None, None),
        (Stage.REGULATE, "年度评估4A，规范化运作", None, None),
    ],
    "乐家社工": [
        (Stage.SUPPORT, "专业社工机构引入，直接支持承接白鱼潭社区幸福邻里中心", None, None),
    ],
    "仁与公益组织发展中心": [(Stage.SUPPORT, "承接余家漾社区“睦邻自治”项目", None, None)],
    "吴兴区社会组织党群服务中心": [
        (Stage.SUPPORT, "区级枢纽型组织", None, None),
        (Stage.REGULATE, "5A等级，规范运作", None, None),
    ],
    "白鱼潭社区发展联合会": [(Stage.SUPPORT, "社区枢纽型组织，承担社区社会组织培育", None, None)],
    "白鱼潭银龄互助团": [
        (Stage.INCUBATE, "社区和枢纽型组织共同培育", "白鱼潭社区发展联合会", "baiyutan"),
        (Stage.GUIDE, "“月月助老”项目成效显著，引导规范运作", None, None),
    ],
    "白鱼潭绿色会客厅环保志愿队": [
        (Stage.INCUBATE, "居民自发的环保团队进入孵化", "白鱼潭社区发展联合会", "baiyutan")
    ],
    "匠心坊老党员志愿服务队": [
        (Stage.INCUBATE, "老党员志愿队伍进入孵化", "白鱼潭社区发展联合会", "baiyutan")
    ],
    "余家漾睦邻自治议事会": [(Stage.INCUBATE, "仁与公益协助培育社区议事会", None, "yujiayang")],
    "平安大姐工作室": [
        (Stage.INCUBATE, "镇政府帮助成立，集中孵化", None, "zhili-town"),
        (Stage.GUIDE, "引导参与矛盾调解", None, None),
        (Stage.SUPPORT, "调解成效显著，给予场地和项目支持", None, None),
    ],
}


def _date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def _organization(name: str, spec, actor) -> tuple[Organization, bool]:
    kind, street_name, community_name, body, day, domains, roles, grade, party, description = spec
    street = Street.objects.get(name=street_name) if street_name else None
    community = Community.objects.get(street=street, name=community_name) if community_name else None
    code = make_credit_code(body) if body else None
    existing = (
        Organization.objects.filter(credit_code=code).first()
        if code
        else Organization.objects.filter(street=street, name=name).first()
    )
    if existing is not None:
        return existing, False
    fields = {
        "name": name,
        "kind": kind,
        "street": street,
        "community": community,
        "roles": [str(r) for r in roles],
        "description": description,
        "party_branch": party[0],
        "party_members": party[1],
        "grade": grade,
        "graded_on": _date("2024-11-20") if grade else None,
        "address": f"{street_name or '吴兴区'}{community_name or ''}幸福邻里中心",
        "contact_name": {"乐家社工": "周渊", "平安大姐工作室": "徐维丽"}.get(name, "王老师"),
        "contact_phone": "13905720000",
        "phone": "0572-2000000" if code else "",
    }
    if code:
        fields.update(
            status=Organization.Status.REGISTERED,
            credit_code=code,
            registering_authority=AUTHORITY,
            registered_on=_date(day),
        )
    else:
        fields.update(status=Organization.Status.FILED, filed_on=_date(day))
    org = services.register_organization(actor=actor, domains=services.domains_by_name(domains), **fields)
    return org, True


@transaction.atomic
def load(*, stdout) -> None:
    district_user, street_user = demo_user("district"), demo_user("street")
    orgs: dict[str, Organization] = {}
    created = []
    for name, spec in ORGANIZATIONS.items():
        orgs[name], is_new = _organization(name, spec, district_user)
        if is_new:
            created.append(name)
    for name in created:
        for person, position, level, party in STAFF.get(name, []):
            StaffMember.objects.get_or_create(
                organization=orgs[name],
                name=person,
                defaults={"position": position, "level": level, "is_party_member": party},
            )
        for stage, reason, hub, slug in LIFECYCLE.get(name, []):
            services.move_stage(
                organization=orgs[name],
                to_stage=stage,
                actor=street_user if slug != "longquan" else district_user,
                reason=reason,
                incubator=orgs.get(hub) if hub else None,
                incubation_center=demo_center(slug) if slug else None,
                incubation_room="社会组织孵化室" if slug else "",
            )
    _contracts(orgs)
    _grants(orgs, district_user, street_user)
    stdout.write(
        f"orgs: {Organization.objects.count()} organizations, {ServiceContract.objects.count()} contracts, "
        f"{Domain.objects.count()} domains"
    )


def _contracts(orgs) -> None:
    today = timezone.localdate()
    year_start, year_end = datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)
    previous_end = year_start - datetime.timedelta(days=1)
    M, V, H, P, MT = (
        Metric.ACTIVITIES,
        Metric.HOME_VISITS,
        Metric.VOLUNTEER_HOURS,
        Metric.PARTICIPANTS,
        Metric.MEETINGS,
    )
    contracts = [
        # number, title, buyer street, operator, centers, start, end, amount, targets
        (
            f"WX-AS-{today.year - 1}-001",
            "白鱼潭社区幸福邻里中心运营服务（上一期）",
            "爱山街道",
            "乐家社工",
            ["baiyutan"],
            datetime.date(2019, 5, 1),
            previous_end,
            "820000",
            [(M, Period.MONTH, 6)],
        ),
        (
            f"WX-AS-{today.year}-001",
            "白鱼潭、月漾苑社区幸福邻里中心运营服务",
            "爱山街道",
            "乐家社工",
            ["baiyutan", "yueyangyuan"],
            year_start,
            year_end,
            "360000.00",
            [(M, Period.MONTH, 8), (V, Period.MONTH, 30), (H, Period.QUARTER, 200), (P, Period.MONTH, 120)],
        ),
        (
            f"WX-AS-{today.year}-002",
            "爱山街道幸福邻里中心运营及社会组织孵化服务",
            "爱山街道",
            "吴兴区社会组织党群服务中心",
            ["aishan"],
            year_start,
            year_end,
            "200000.00",
            [(M, Period.MONTH, 4)],
        ),
        (
            f"WX-LQ-{today.year}-001",
            "龙庭社区幸福邻里中心运营服务",
            "龙泉街道",
            "湖州市吴兴区南太湖居家养老服务中心",
            ["longting"],
            year_start,
            year_end,
            "280000.00",
            [(M, Period.MONTH, 8), (V, Period.MONTH, 30), (H, Period.QUARTER, 150)],
        ),
        (
            f"WX-LQ-{today.year}-002",
            "余家漾社区幸福邻里中心运营及“睦邻自治”项目",
            "龙泉街道",
            "仁与公益组织发展中心",
            ["yujiayang"],
            year_start,
            year_end,
            "250000.00",
            [(M, Period.MONTH, 6), (MT, Period.MONTH, 2), (V, Period.MONTH, 20)],
        ),
        (
            f"WX-ZL-{today.year}-001",
            "织里社区幸福邻里中心运营及志愿服务指挥",
            "织里镇",
            "吴兴区蚂蚁公益协会",
            ["zhili"],
            year_start,
            year_end,
            "300000.00",
            [(M, Period.MONTH, 8), (H, Period.QUARTER, 300)],
        ),
    ]
    for number, title, street, operator, slugs, start, end, amount, targets in contracts:
        if ServiceContract.objects.filter(number=number).exists():
            continue
        services.create_contract(
            number=number,
            title=title,
            buyer_street=Street.objects.get(name=street),
            operator=orgs[operator],
            centers=[demo_center(s) for s in slugs],
            starts_on=start,
            ends_on=end,
            amount=Decimal(amount),
            targets=targets,
        )


def _grants(orgs, district_user, street_user) -> None:
    today = timezone.localdate()
    title = f"{today.year}年吴兴区社区公益创投"
    if GrantCall.objects.filter(title=title).exists():
        return
    call = GrantCall(
        title=title,
        street=None,
        budget=Decimal("300000"),
        opens_on=datetime.date(today.year, 1, 1),
        closes_on=datetime.date(today.year, 3, 31),
        description="以公益创投催生优秀项目：面向社区社会组织，聚焦养老、环保、矛盾调解和社区营造。",
    )
    call.full_clean()
    call.save()
    projects = [
        (
            "白鱼潭社区发展联合会",
            "银龄互助·月月助老",
            "50000",
            [88, 92],
            Decimal("45000"),
            [(60, "已走访社区高龄老人30余位，节日慰问2次")],
        ),
        (
            "平安大姐工作室",
            "织里新居民劳资与房租矛盾调解",
            "40000",
            [90, 86],
            Decimal("40000"),
            [(30, "调解劳资纠纷12起，房租矛盾5起")],
        ),
        ("白鱼潭绿色会客厅环保志愿队", "绿色会客厅：阳台种植与手工墙绘", "20000", [75], Decimal("15000"), []),
        ("湖小师志愿服务队", "三点半课堂课外拓展", "30000", [], None, []),
    ]
    for org_name, project, requested, scores, grant, progress in projects:
        proposal = services.submit_proposal(
            call=call,
            organization=orgs[org_name],
            title=project,
            requested_amount=Decimal(requested),
            on=call.opens_on,
            summary=f"{org_name}申报的公益创投项目。",
        )
        for reviewer, score in zip([district_user, street_user], scores, strict=False):
            services.review_proposal(
                proposal=proposal, reviewer=reviewer, score=score, comment="项目设计合理。"
            )
        if grant is not None:
            services.decide_proposal(proposal=proposal, fund=True, amount=grant)
        for percent, note in progress:
            services.record_progress(proposal=proposal, percent_done=percent, note=note, actor=street_user)
