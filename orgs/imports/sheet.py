"""Reading a sheet: the columns it may have (under their Chinese or English names), XLSX and CSV,
and the template sheet the import page offers."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_ROWS = 20_000


@dataclass(frozen=True)
class Column:
    key: str
    label: object  # lazy: the header written in the template sheet
    aliases: tuple[str, ...]


COLUMNS = [
    Column(
        "name",
        gettext_lazy("Organization name"),
        ("组织名称", "社会组织名称", "名称", "組織名稱", "名稱", "name"),
    ),
    Column("kind", gettext_lazy("Type"), ("组织类型", "类型", "類型", "組織類型", "type")),
    Column(
        "status",
        gettext_lazy("Filed or registered"),
        ("备案/登记", "状态", "登记状态", "備案/登記", "狀態", "status"),
    ),
    Column(
        "credit_code",
        gettext_lazy("Unified social credit code"),
        ("统一社会信用代码", "信用代码", "統一社會信用代碼", "credit code"),
    ),
    Column(
        "registering_authority",
        gettext_lazy("Registering authority"),
        ("登记机关", "登記機關", "registering authority"),
    ),
    Column(
        "registered_on",
        gettext_lazy("Registered on"),
        ("登记日期", "成立登记日期", "登記日期", "registered on"),
    ),
    Column(
        "street", gettext_lazy("Street"), ("街道", "所属街道", "备案街道", "街道（镇）", "街道(镇)", "street")
    ),
    Column("community", gettext_lazy("Community"), ("社区", "所属社区", "备案社区", "社區", "community")),
    Column("filed_on", gettext_lazy("Filed on"), ("备案日期", "備案日期", "filed on")),
    Column("domains", gettext_lazy("Service domains"), ("服务领域", "服務領域", "service domains")),
    Column("roles", gettext_lazy("Roles it plays"), ("承担角色", "角色", "承擔角色", "roles")),
    Column("contact_name", gettext_lazy("Contact person"), ("联系人", "负责人", "聯繫人", "contact person")),
    Column(
        "contact_phone",
        gettext_lazy("Contact telephone"),
        ("联系电话", "联系方式", "聯繫電話", "contact telephone"),
    ),
    Column(
        "phone", gettext_lazy("Public telephone"), ("办公电话", "公开电话", "辦公電話", "public telephone")
    ),
    Column("address", gettext_lazy("Address"), ("地址", "办公地址", "辦公地址", "address")),
    Column("grade", gettext_lazy("Evaluation grade"), ("评估等级", "等级", "評估等級", "evaluation grade")),
    Column("graded_on", gettext_lazy("Evaluated on"), ("评估日期", "評估日期", "evaluated on")),
    Column(
        "party_branch",
        gettext_lazy("Party organization"),
        ("党组织", "党组织情况", "黨組織", "party organization"),
    ),
    Column("party_members", gettext_lazy("Party members"), ("党员人数", "黨員人數", "party members")),
    Column("description", gettext_lazy("Introduction"), ("简介", "组织简介", "簡介", "introduction")),
]


def header_names() -> dict[str, str]:
    """Header text -> column key: the aliases, and each column's label in every language of the
    portal (so that the template sheet, downloaded in any language, imports as it is)."""
    from django.conf import settings
    from django.utils import translation

    names = {alias.lower(): c.key for c in COLUMNS for alias in (*c.aliases, c.key)}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names.update({str(c.label).lower(): c.key for c in COLUMNS})
    return names


class SheetError(Exception):
    """The file as a whole cannot be read (not a spreadsheet, no header row, too many rows)."""


# ------------------------------------------------------------------ reading the file
def read_rows(uploaded, filename: str = "") -> list[tuple[int, dict[str, object]]]:
    """(row number, {column key: cell}) for each non-empty row under the header row."""
    name = (filename or getattr(uploaded, "name", "") or "").lower()
    data = uploaded.read() if hasattr(uploaded, "read") else uploaded
    if name.endswith(".csv"):
        table = _csv_table(data)
    elif name.endswith((".xlsx", ".xlsm")) or data[:2] == b"PK":
        table = _xlsx_table(data)
    else:
        raise SheetError(_("Upload an Excel file (.xlsx) or a CSV file."))
    headers = header_names()
    header_at, mapping = None, {}
    for index, (_number, cells) in enumerate(table[:10]):
        found = {
            i: headers[str(c).strip().lower()]
            for i, c in enumerate(cells)
            if c is not None and str(c).strip().lower() in headers
        }
        if "name" in found.values():
            header_at, mapping = index, found
            break
    if header_at is None:
        raise SheetError(
            _("No header row found: the first rows must name the columns, with at least “%(name)s”.")
            % {"name": COLUMNS[0].label}
        )
    rows = []
    for number, cells in table[header_at + 1 :]:
        values = {key: cells[i] if i < len(cells) else None for i, key in mapping.items()}
        if any(v not in (None, "") and str(v).strip() for v in values.values()):
            rows.append((number, values))
    if len(rows) > MAX_ROWS:
        raise SheetError(_("A file holds at most %(max)d organizations; split it.") % {"max": MAX_ROWS})
    return rows


def _csv_table(data: bytes) -> list[tuple[int, list]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise SheetError(_("The CSV file is neither UTF-8 nor GBK text."))
    return [(n, row) for n, row in enumerate(csv.reader(io.StringIO(text)), start=1)]


def _xlsx_table(data: bytes) -> list[tuple[int, list]]:
    import zipfile

    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise SheetError(_("This file cannot be read as an Excel workbook (.xlsx).")) from exc
    sheet = book.worksheets[0]
    table = []
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        table.append((number, list(row)))
        if number > MAX_ROWS + 20:
            break
    book.close()
    return table


# ------------------------------------------------------------------ the template sheet
def template_workbook() -> bytes:
    """An XLSX with the column headers (in the reader's language) and two example rows."""
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = str(_("Organizations"))[:31]
    sheet.append([str(c.label) for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(
        [
            "白鱼潭银龄互助团",
            "社区社会组织",
            "备案",
            "",
            "",
            "",
            "爱山街道",
            "白鱼潭社区",
            "2019-06-01",
            "养老服务、志愿服务",
            "组织者",
            "张阿姨",
            "13900000011",
            "",
            "白鱼潭路18号",
            "",
            "",
            "无",
            "3",
            "低龄老人每月走访社区高龄老人",
        ]
    )
    sheet.append(
        [
            "湖州市吴兴区乐家社会工作服务中心",
            "社工服务机构",
            "注册登记",
            "52330502MJ8796823W",
            "湖州市吴兴区民政局",
            "2016-08-18",
            "爱山街道",
            "",
            "",
            "社区营造、环保",
            "倡导者、资源整合者",
            "周渊",
            "13900000012",
            "0572-2001234",
            "白鱼潭路18号",
            "4A",
            "2023-11-20",
            "单独组建",
            "5",
            "专业社工机构",
        ]
    )
    sheet.freeze_panes = "A2"
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = 18
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
