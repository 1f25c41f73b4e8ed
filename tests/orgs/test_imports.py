"""The spreadsheet import, below the web page: parsing, validation per row, idempotence."""

import datetime
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from orgs.imports import import_organizations, read_rows
from orgs.models import Organization, Stage
from tests.factories import CenterFactory

from .factories import filed_org, new_credit_code

pytestmark = pytest.mark.django_db

HEADER = [
    "组织名称",
    "组织类型",
    "状态",
    "统一社会信用代码",
    "登记机关",
    "登记日期",
    "街道",
    "社区",
    "备案日期",
    "服务领域",
    "承担角色",
    "评估等级",
    "评估日期",
    "党组织",
    "党员人数",
]


def xlsx(rows, header=HEADER) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["吴兴区社区社会组织台账"])  # a title row above the header, as sheets often have
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def center():
    return CenterFactory()


def test_cells_in_the_forms_people_type_are_understood(center):
    code = new_credit_code()
    rows = [
        [
            "银龄互助团",
            "志愿服务队",
            "备案",
            "",
            "",
            "",
            center.street.name,
            center.community.name,
            datetime.datetime(2019, 7, 1),
            "养老服务、志愿服务",
            "组织者",
            "",
            "",
            "无",
            "2人",
        ],
        [
            "乐家社工",
            "社会工作服务机构",
            "已登记",
            code.lower(),
            "吴兴区民政局",
            "2016年8月18日",
            center.street.name,
            "",
            "",
            "环保，社区营造",
            "倡导者 资源整合者",
            "AAAA",
            45230,
            "单独组建",
            5,
        ],
    ]
    report = import_organizations(uploaded=xlsx(rows), filename="a.xlsx", actor=None)
    assert report.is_clean, [r.errors for r in report.rows]
    team = Organization.objects.get(name="银龄互助团")
    assert (team.status, team.community, team.filed_on, team.party_members) == (
        "filed",
        center.community,
        datetime.date(2019, 7, 1),
        2,
    )
    assert set(team.domains.values_list("name", flat=True)) == {"养老服务", "志愿服务"}
    agency = Organization.objects.get(name="乐家社工")
    assert (agency.credit_code, agency.registered_on, agency.grade, agency.party_branch) == (
        code,
        datetime.date(2016, 8, 18),
        "4A",
        "own",
    )
    assert agency.graded_on == datetime.date(2023, 10, 31)  # an Excel serial date
    assert agency.roles == ["advocate", "resource_integrator"]
    assert agency.stage == Stage.INTRODUCE and agency.stage_changes.count() == 1


def test_every_bad_row_is_reported_with_its_row_number_and_nothing_is_imported(center):
    rows = [
        ["好队伍", "志愿服务队", "备案", "", "", "", center.street.name, "", "", "", "", "", "", "", ""],
        ["", "志愿服务队", "备案", "", "", "", center.street.name, "", "", "", "", "", "", "", ""],
        [
            "错代码协会",
            "协会",
            "注册登记",
            "91350100M000100Y44",
            "民政局",
            "2020-01-01",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        ["怪类型", "外星组织", "备案", "", "", "", "不存在街道", "", "昨天", "", "", "6A", "", "", "-3"],
    ]
    report = import_organizations(uploaded=xlsx(rows), filename="a.xlsx", actor=None)
    assert not report.imported
    assert [r.number for r in report.error_rows] == [4, 5, 6]
    errors = {r.number: " ".join(r.errors) for r in report.error_rows}
    assert "组织名称" in errors[4]
    assert "91350100M000100Y44" in errors[5] and "校验" in errors[5]
    for fragment in ("外星组织", "不存在街道", "昨天", "6A", "-3"):
        assert fragment in errors[6]
    assert not Organization.objects.exists()


def test_importing_valid_rows_only_when_asked(center):
    rows = [
        ["好队伍", "志愿服务队", "备案", "", "", "", center.street.name, "", "", "", "", "", "", "", ""],
        [
            "错代码协会",
            "协会",
            "注册登记",
            "91350100M000100Y44",
            "民政局",
            "2020-01-01",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
    ]
    report = import_organizations(uploaded=xlsx(rows), filename="a.xlsx", actor=None, import_valid_rows=True)
    assert report.imported and report.created == 1
    assert list(Organization.objects.values_list("name", flat=True)) == ["好队伍"]


def test_reimporting_changes_nothing_and_a_changed_row_updates_its_organization(center):
    code = new_credit_code()
    rows = [
        [
            "好队伍",
            "志愿服务队",
            "备案",
            "",
            "",
            "",
            center.street.name,
            "",
            "",
            "养老服务",
            "",
            "",
            "",
            "",
            "",
        ],
        [
            "好机构",
            "社工服务机构",
            "注册登记",
            code,
            "民政局",
            "2020-01-01",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
    ]
    import_organizations(uploaded=xlsx(rows), filename="a.xlsx", actor=None)
    before = list(Organization.objects.order_by("pk").values())
    again = import_organizations(uploaded=xlsx(rows), filename="a.xlsx", actor=None)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert list(Organization.objects.order_by("pk").values()) == before
    rows[1][4] = "湖州市吴兴区民政局"
    changed = import_organizations(uploaded=xlsx(rows), filename="a.xlsx", actor=None)
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    assert Organization.objects.get(credit_code=code).registering_authority == "湖州市吴兴区民政局"
    assert Organization.objects.count() == 2


def test_a_filed_organization_that_registers_is_matched_by_name_and_street(center):
    org = filed_org(street=center.street, name="平安大姐工作室")
    code = new_credit_code()
    rows = [
        [
            "平安大姐工作室",
            "工作室",
            "注册登记",
            code,
            "民政局",
            "2023-03-01",
            center.street.name,
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ]
    ]
    report = import_organizations(uploaded=xlsx(rows), filename="a.xlsx", actor=None)
    assert report.updated == 1
    org.refresh_from_db()
    assert (org.status, org.credit_code) == ("registered", code)


def test_the_same_organization_twice_in_one_file_is_reported(center):
    code = new_credit_code()
    rows = [
        ["甲机构", "协会", "注册登记", code, "民政局", "2020-01-01", "", "", "", "", "", "", "", "", ""],
        ["乙机构", "协会", "注册登记", code, "民政局", "2020-01-01", "", "", "", "", "", "", "", "", ""],
    ]
    report = import_organizations(uploaded=xlsx(rows), filename="a.xlsx", actor=None)
    assert [r.number for r in report.error_rows] == [4]
    assert "第 3 行" in report.error_rows[0].errors[0] or "3" in report.error_rows[0].errors[0]


def test_street_staff_cannot_change_an_organization_another_street_keeps(world):
    org = filed_org(street=world.center_b.street, name="外街道队伍")
    code = new_credit_code()
    rows = [
        [
            "外街道队伍",
            "志愿服务队",
            "备案",
            "",
            "",
            "",
            world.center_b.street.name,
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        [
            "本街道机构",
            "协会",
            "注册登记",
            code,
            "民政局",
            "2020-01-01",
            world.center_a.street.name,
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
    ]
    report = import_organizations(
        uploaded=xlsx(rows), filename="a.xlsx", actor=world.user("street"), import_valid_rows=True
    )
    assert [r.number for r in report.error_rows] == [3]
    assert report.created == 1
    org.refresh_from_db()
    assert org.name == "外街道队伍"


def test_a_csv_in_utf8_or_gbk_is_read_like_a_workbook(center):
    lines = ["组织名称,组织类型,状态,街道", f"文体队,社区社会组织,备案,{center.street.name}"]
    for encoding in ("utf-8-sig", "gb18030"):
        rows = read_rows("\n".join(lines).encode(encoding), "台账.csv")
        assert rows == [
            (2, {"name": "文体队", "kind": "社区社会组织", "status": "备案", "street": center.street.name})
        ]


def test_a_file_that_is_not_a_spreadsheet_is_refused_as_a_whole():
    from orgs.imports import SheetError

    with pytest.raises(SheetError):
        read_rows(b"not a spreadsheet", "a.xlsx")
    with pytest.raises(SheetError):
        read_rows("名字,电话\n张三,1".encode(), "a.csv")


def test_the_management_command_imports_and_refuses_a_dirty_sheet(center, tmp_path, capsys):
    good = tmp_path / "good.xlsx"
    good.write_bytes(
        xlsx(
            [["好队伍", "志愿服务队", "备案", "", "", "", center.street.name, "", "", "", "", "", "", "", ""]]
        )
    )
    call_command("import_orgs", str(good))
    call_command("import_orgs", str(good))
    assert Organization.objects.count() == 1
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(
        xlsx([["坏队伍", "志愿服务队", "备案", "", "", "", "无此街道", "", "", "", "", "", "", "", ""]])
    )
    with pytest.raises(CommandError):
        call_command("import_orgs", str(bad))
    assert "第3行" in capsys.readouterr().out
