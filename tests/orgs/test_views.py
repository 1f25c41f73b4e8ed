import datetime
import io

import openpyxl
import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from orgs import services
from orgs.me import my_contracts
from orgs.models import Domain, GrantCall, Metric, Organization, Period, Stage
from tests.factories import CenterFactory, UserFactory
from tests.query_budget import assert_flat_queries

from .factories import GrantCallFactory, contract_for, filed_org, new_credit_code, registered_org

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


# ------------------------------------------------------------------ the public directory
def test_the_directory_lists_filed_and_registered_organizations_in_chinese(client):
    filed_org(name="白鱼潭银龄互助团")
    registered_org(name="乐家社工")
    page = text(client.get(reverse("orgs:list")))
    assert "白鱼潭银龄互助团" in page and "乐家社工" in page
    assert "备案" in page and "注册登记" in page
    assert "社会组织" in page


def test_the_directory_filters_by_status(client):
    filed_org(name="白鱼潭银龄互助团")
    registered_org(name="乐家社工")
    filed = text(client.get(reverse("orgs:list"), {"status": "filed"}))
    assert "白鱼潭银龄互助团" in filed and "乐家社工" not in filed
    registered = text(client.get(reverse("orgs:list"), {"status": "registered"}))
    assert "乐家社工" in registered and "白鱼潭银龄互助团" not in registered


def test_the_directory_filters_by_type_domain_street_community_stage_grade_and_keyword(client):
    center = CenterFactory()
    elderly = Domain.objects.get(name="养老服务")
    team = filed_org(name="银龄互助团", community=center.community, kind=Organization.Kind.VOLUNTEER_TEAM)
    team.domains.add(elderly)
    agency = registered_org(name="南太湖居家养老服务中心", grade="4A", graded_on=datetime.date(2024, 1, 1))
    services.move_stage(organization=agency, to_stage=Stage.SUPPORT, actor=None, reason="支持")
    other = filed_org(name="文体队", kind=Organization.Kind.COMMUNITY)
    cases = {
        "kind=volunteer_team": {team},
        f"domain={elderly.pk}": {team},
        f"street={center.street_id}": {team},
        f"community={center.community_id}": {team},
        "stage=support": {agency},
        "grade=4A": {agency},
        "q=居家养老": {agency},
        f"q={agency.credit_code.lower()}": {agency},
    }
    everyone = {team, agency, other}
    for query, expected in cases.items():
        page = text(client.get(reverse("orgs:list") + "?" + query))
        shown = {o for o in everyone if f">{o.name}<" in page}
        assert shown == expected, query


def test_the_directory_is_paginated(client):
    street = CenterFactory().street
    for i in range(25):
        filed_org(street=street, name=f"队伍{i:02d}")
    first = text(client.get(reverse("orgs:list"), {"street": street.pk}))
    second = text(client.get(reverse("orgs:list"), {"street": street.pk, "page": 2}))
    assert first.count("队伍") - first.count("队伍24") >= 20
    assert "队伍24" in second and f"street={street.pk}" in first


def test_the_directory_query_count_does_not_grow_with_its_rows(client):
    domains = list(Domain.objects.all()[:3])

    def add(n):
        for _ in range(n):
            org = filed_org()
            org.domains.set(domains)

    assert_flat_queries(client, reverse("orgs:list"), add, small=1, large=20)


def test_an_organization_page_shows_its_public_facts_only(client, world):
    org = registered_org(
        street=world.center_a.street,
        name="乐家社工",
        contact_name="周渊",
        contact_phone="13905721234",
        description="专业社工机构",
    )
    org.staff.create(name="沈佳怡", level="junior")
    contract_for(center=world.center_a, operator=org)
    page = text(client.get(org.get_absolute_url()))
    assert "乐家社工" in page and org.credit_code in page and world.center_a.name in page
    for private in ("周渊", "13905721234", "沈佳怡", 'id="history"'):
        assert private not in page


def test_the_organization_page_query_count_does_not_grow_with_its_centers_and_domains(client):
    org = registered_org()

    def add(n):
        for _ in range(n):
            contract_for(operator=org)
            org.domains.add(Domain.objects.create(name=f"领域{Domain.objects.count()}"))

    assert_flat_queries(client, org.get_absolute_url(), add, small=1, large=6)


# ------------------------------------------------------------------ the staff part of an organization's page
@pytest.mark.parametrize("role", ["street", "district", "admin", "worker", "manager"])
def test_staff_responsible_for_an_organization_see_its_contacts_staff_and_history(client_for, world, role):
    org = filed_org(street=world.center_a.street, contact_name="徐维丽", contact_phone="13905725678")
    org.staff.create(name="周渊", level="intermediate")
    contract_for(center=world.center_a, operator=org)
    services.move_stage(
        organization=org, to_stage=Stage.SUPPORT, actor=world.user("street"), reason="承接中心运营"
    )
    page = text(client_for(world.user(role)).get(org.get_absolute_url()))
    assert "徐维丽" in page and "13905725678" in page and "周渊" in page
    assert "承接中心运营" in page and 'id="history"' in page
    can_move = role in ("street", "district", "admin")
    assert ('id="move"' in page) is can_move


@pytest.mark.parametrize("actor", ["resident", "volunteer", "street@other", "worker@other"])
def test_others_never_see_the_staff_part(client_for, world, actor):
    role, _, scope = actor.partition("@")
    org = filed_org(street=world.center_a.street, contact_phone="13905725678")
    contract_for(center=world.center_a, operator=org)
    user = world.user(role)
    if scope:  # the same role in the other street / center
        from core.models import Role
        from core.services import grant_role

        user.roles.all().delete()
        if role == "street":
            grant_role(user=user, role=Role.STREET_STAFF, street=world.center_b.street)
        else:
            grant_role(user=user, role=Role.SOCIAL_WORKER, center=world.center_b)
    page = text(client_for(user).get(org.get_absolute_url()))
    assert "13905725678" not in page and 'id="history"' not in page


def test_street_staff_move_an_organization_and_the_move_shows_in_its_history(client_for, world):
    org = filed_org(street=world.center_a.street)
    hub = filed_org(street=world.center_a.street, kind=Organization.Kind.HUB, name="白鱼潭社区发展联合会")
    client = client_for(world.user("street"))
    response = client.post(
        reverse("orgs:move_stage", kwargs={"pk": org.pk}),
        {
            "to_stage": Stage.INCUBATE,
            "reason": "进入社会组织孵化室",
            "incubation_center": world.center_a.pk,
            "incubation_room": "社会组织孵化室",
            "incubator": hub.pk,
            "expected_stage": Stage.INTRODUCE,
        },
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.stage == Stage.INCUBATE and org.incubator == hub
    page = text(client.get(org.get_absolute_url()))
    assert "进入社会组织孵化室" in page and "培育" in page and world.user("street").real_name in page


def test_a_refused_move_keeps_what_was_typed_and_says_why(client_for, world):
    org = filed_org(street=world.center_a.street)
    response = client_for(world.user("street")).post(
        reverse("orgs:move_stage", kwargs={"pk": org.pk}),
        {"to_stage": Stage.INCUBATE, "reason": "孵化理由写在这里", "expected_stage": Stage.INTRODUCE},
    )
    assert response.status_code == 200
    page = text(response)
    assert "孵化理由写在这里" in page
    assert "孵化室" in page  # the error names what is missing
    org.refresh_from_db()
    assert org.stage == Stage.INTRODUCE


def test_a_social_worker_cannot_move_an_organization(client_for, world):
    org = filed_org(street=world.center_a.street)
    contract_for(center=world.center_a, operator=org)
    response = client_for(world.user("worker")).post(
        reverse("orgs:move_stage", kwargs={"pk": org.pk}),
        {"to_stage": Stage.SUPPORT, "reason": "试试", "expected_stage": Stage.INTRODUCE},
    )
    assert response.status_code == 404
    org.refresh_from_db()
    assert org.stage == Stage.INTRODUCE


# ------------------------------------------------------------------ the contract page
def _activity(center, minutes):
    midnight = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time.min))
    start = midnight + datetime.timedelta(minutes=minutes)
    apps.get_model("centers", "Activity").objects.create(
        center=center,
        title="银龄互助活动",
        category="elderly",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        capacity=30,
    )


def test_the_contract_page_shows_each_target_with_its_actual_and_shortfall(client_for, world):
    contract = contract_for(
        center=world.center_a,
        targets=[(Metric.ACTIVITIES, Period.MONTH, 8), (Metric.HOME_VISITS, Period.MONTH, 30)],
    )
    for i in range(3):
        _activity(world.center_a, i + 1)
    page = text(client_for(world.user("street")).get(contract.get_absolute_url()))
    assert "开展活动" in page or "活动场次" in page
    assert "至少 8" in page
    assert '<td data-label="实际完成">3</td>' in page
    assert "差 5" in page
    assert "入户走访" in page and "至少 30" in page


def test_the_contract_page_reports_the_month_asked_for(client_for, world):
    year = timezone.localdate().year
    contract = contract_for(center=world.center_a, starts_on=datetime.date(year - 1, 1, 1))
    page = text(
        client_for(world.user("manager")).get(contract.get_absolute_url(), {"month": f"{year - 1}-03"})
    )
    assert f"{year - 1}-03-01 – {year - 1}-03-31" in page
    assert "差 8" in page


def test_another_streets_staff_cannot_open_a_contract(client_for, world):
    contract = contract_for(center=world.center_b)
    assert client_for(world.user("street")).get(contract.get_absolute_url()).status_code == 404


def test_staff_see_the_contracts_of_their_centers_listed(client_for, world):
    own, other = contract_for(center=world.center_a), contract_for(center=world.center_b)
    page = text(client_for(world.user("worker")).get(reverse("orgs:contract_list")))
    assert own.title in page and other.title not in page


def test_my_page_lists_the_active_contracts_of_a_staff_members_centers(world):
    contract = contract_for(center=world.center_a)
    request = RequestFactory().get("/me/")
    request.user = world.user("manager")
    template, context = my_contracts(request)
    assert context["contracts"] == [contract]
    request.user = world.user("resident")
    assert my_contracts(request) is None


# ------------------------------------------------------------------ import
def _sheet(rows) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        [
            "组织名称",
            "组织类型",
            "备案/登记",
            "统一社会信用代码",
            "登记机关",
            "登记日期",
            "街道",
            "社区",
            "服务领域",
        ]
    )
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("社会组织台账.xlsx", out.getvalue())


def _rows(world, code=None):
    street = world.center_a.street.name
    community = world.center_a.community.name
    return [
        ["银龄互助团", "志愿服务队", "备案", "", "", "", street, community, "养老服务、志愿服务"],
        [
            "乐家社工",
            "社工服务机构",
            "注册登记",
            code or new_credit_code(),
            "吴兴区民政局",
            "2016-08-18",
            street,
            "",
            "环境保护",
        ],
    ]


def test_importing_the_same_excel_file_twice_leaves_the_registry_as_after_the_first_import(client_for, world):
    client = client_for(world.user("street"))
    rows = _rows(world)
    first = client.post(reverse("orgs:import"), {"file": _sheet(rows)})
    assert "2 个新增" in text(first) or "新增 2" in text(first)
    snapshot = list(Organization.objects.order_by("pk").values())
    domains = list(Organization.domains.through.objects.order_by("pk").values())
    second = client.post(reverse("orgs:import"), {"file": _sheet(rows)})
    assert "2 个已是最新" in text(second) or "已是最新 2" in text(second) or "2 个无需更新" in text(second)
    assert list(Organization.objects.order_by("pk").values()) == snapshot
    assert list(Organization.domains.through.objects.order_by("pk").values()) == domains


def test_a_file_with_an_error_imports_nothing_and_reports_the_row_in_chinese(client_for, world):
    rows = _rows(world, code="91350100M000100Y44")
    response = client_for(world.user("street")).post(reverse("orgs:import"), {"file": _sheet(rows)})
    page = text(response)
    assert "第 3 行" in page or "第3行" in page
    assert "统一社会信用代码" in page and "校验" in page
    assert "未导入" in page or "没有导入" in page
    assert not Organization.objects.exists()


def test_the_user_may_choose_to_import_only_the_valid_rows(client_for, world):
    rows = _rows(world, code="91350100M000100Y44")
    client_for(world.user("street")).post(
        reverse("orgs:import"), {"file": _sheet(rows), "import_valid_rows": "on"}
    )
    assert list(Organization.objects.values_list("name", flat=True)) == ["银龄互助团"]


def test_checking_only_writes_nothing(client_for, world):
    response = client_for(world.user("district")).post(
        reverse("orgs:import"), {"file": _sheet(_rows(world)), "check": "1"}
    )
    assert response.status_code == 200
    assert not Organization.objects.exists()


def test_street_staff_import_only_into_their_own_street(client_for, world):
    rows = [["文体队", "社区社会组织", "备案", "", "", "", world.center_b.street.name, "", ""]]
    page = text(client_for(world.user("street")).post(reverse("orgs:import"), {"file": _sheet(rows)}))
    assert "本街道" in page
    assert not Organization.objects.exists()


def test_the_template_sheet_downloads_with_chinese_headers(client_for, world):
    response = client_for(world.user("street")).get(reverse("orgs:import_template"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    headers = [c.value for c in book.active[1]]
    assert headers[:3] == ["组织名称", "类型", "备案或注册登记"]


def test_the_template_sheet_imports_cleanly(client_for, world):
    from core.models import Community, Street

    street, _ = Street.objects.get_or_create(district=world.center_a.street.district, name="爱山街道")
    Community.objects.get_or_create(street=street, name="白鱼潭社区")
    template = client_for(world.user("district")).get(reverse("orgs:import_template")).content
    response = client_for(world.user("district")).post(
        reverse("orgs:import"), {"file": SimpleUploadedFile("template.xlsx", template)}
    )
    assert Organization.objects.count() == 2, text(response)


# ------------------------------------------------------------------ venture grants
def test_the_grant_pages_show_funded_projects_and_their_progress(client):
    call = GrantCallFactory(title="2025年社区公益创投")
    proposal = services.submit_proposal(
        call=call, organization=filed_org(name="平安大姐工作室"), title="矛盾调解", requested_amount=10000
    )
    services.review_proposal(proposal=proposal, reviewer=UserFactory(), score=90)
    services.decide_proposal(proposal=proposal, fund=True)
    services.record_progress(proposal=proposal, percent_done=40, note="调解12起", actor=None)
    assert "2025年社区公益创投" in text(client.get(reverse("orgs:grant_list")))
    page = text(client.get(call.get_absolute_url()))
    assert "平安大姐工作室" in page and "矛盾调解" in page and "调解12起" in page and "40%" in page
    assert GrantCall.objects.count() == 1


def test_the_contract_pages_query_counts_do_not_grow_with_centers_or_contracts(client_for, world):
    client = client_for(world.user("street"))
    contract = contract_for(
        center=world.center_a,
        targets=[(Metric.ACTIVITIES, Period.MONTH, 8), (Metric.VOLUNTEER_HOURS, Period.QUARTER, 200)],
    )

    def more_centers(n):
        for _ in range(n):
            center = CenterFactory(community__street=world.center_a.street)
            contract.centers.add(center)
            _activity(center, 2)

    assert_flat_queries(client, contract.get_absolute_url(), more_centers, small=1, large=5)

    def more_contracts(n):
        for _ in range(n):
            contract_for(center=CenterFactory(community__street=world.center_a.street))

    assert_flat_queries(client, reverse("orgs:contract_list"), more_contracts, small=1, large=10)


def test_the_grant_pages_query_counts_do_not_grow_with_projects(client):
    call = GrantCallFactory(budget=10**7)

    def more_projects(n):
        for _ in range(n):
            p = services.submit_proposal(
                call=call, organization=filed_org(), title=f"项目{filed_org().pk}", requested_amount=1000
            )
            services.review_proposal(proposal=p, reviewer=UserFactory(), score=80)
            services.decide_proposal(proposal=p, fund=True)
            services.record_progress(proposal=p, percent_done=20, note="进行中", actor=None)

    assert_flat_queries(client, call.get_absolute_url(), more_projects, small=1, large=8)
    assert_flat_queries(
        client, reverse("orgs:grant_list"), lambda n: [GrantCallFactory() for _ in range(n)], small=1, large=8
    )


def test_a_centers_page_names_its_operator(client):
    contract = contract_for(operator=registered_org(name="南太湖居家养老服务中心"))
    page = text(client.get(reverse("centers:detail", kwargs={"slug": contract.centers.get().slug})))
    assert "南太湖居家养老服务中心" in page and contract.operator.get_absolute_url() in page
