"""A published report as Excel (openpyxl) and CSV (UTF-8 with BOM), and the cell formatting both share.

Reports hold aggregates only (counts, sums, rates per street or center), never a person's data.
Every text cell that a spreadsheet could read as a formula is escaped with a leading quote.
"""

from __future__ import annotations

import csv
import io
import re

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import Report
from .sections import DECIMAL, INT, LABEL, PERCENT, translate_source

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER_FORMATS = {INT: "#,##0", DECIMAL: "#,##0.0", PERCENT: "0.0%"}
BOM = "\ufeff"


def escape_formula(text: str) -> str:
    """``=SUM(A1)`` -> ``'=SUM(A1)``: a spreadsheet shows it as text and never runs it."""
    return "'" + text if text.startswith(FORMULA_START) else text


def cell_text(value, kind: str) -> str:
    """A stored cell as the reader sees it, in the active language."""
    if value is None:
        return "—"
    if kind == PERCENT:
        return f"{value * 100:.1f}%"
    if kind == DECIMAL:
        return f"{value:,.1f}"
    if kind == INT:
        return f"{int(value):,}" if isinstance(value, int | float) else str(value)
    if kind == LABEL:
        return translate_source(value)
    return str(value)


def section_title(section: dict) -> str:
    return translate_source(section["title"])


def section_reason(section: dict) -> str:
    reason = translate_source(section.get("reason") or "")
    params = section.get("params") or {}
    return reason % params if params else reason


def report_heading(report: Report) -> str:
    return _("%(scope)s monthly report, %(period)s (version %(version)s)") % {
        "scope": report.scope_label,
        "period": report.period_label,
        "version": report.version,
    }


def filename(report: Report, extension: str) -> str:
    # ASCII for the header's filename=, with the Chinese name in filename*= (RFC 6266).
    return f"report-{report.kind}-{report.period:%Y-%m}-v{report.version}.{extension}"


# ------------------------------------------------------------------ CSV
def build_csv(report: Report) -> bytes:
    """All sections one after another, each with its title row and header row; UTF-8 with BOM."""
    with translation.override(settings.LANGUAGE_CODE):
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([escape_formula(report_heading(report))])
        for section in report.sections:
            writer.writerow([])
            writer.writerow([escape_formula(section_title(section))])
            if section["status"] != "ok":
                writer.writerow([escape_formula(section_reason(section))])
                continue
            columns = section["columns"]
            writer.writerow([escape_formula(translate_source(c["label"])) for c in columns])
            for row in _rows_with_total(section):
                writer.writerow([_csv_cell(value, c["type"]) for value, c in zip(row, columns, strict=False)])
            for note in section.get("notes", []):
                writer.writerow([escape_formula(translate_source(note))])
    return (BOM + out.getvalue()).encode("utf-8")


def _csv_cell(value, kind: str):
    if value is None:
        return ""
    if kind == PERCENT:
        return f"{value * 100:.1f}%"
    if kind == DECIMAL:
        return f"{value:.1f}"
    if kind == INT and isinstance(value, int | float):
        return int(value)
    return escape_formula(cell_text(value, kind))


def _rows_with_total(section: dict) -> list[list]:
    rows = list(section["rows"])
    total = section.get("total")
    if total is not None:
        rows.append([translate_source(total[0]) if isinstance(total[0], str) else total[0], *total[1:]])
    return rows


# ------------------------------------------------------------------ Excel
SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(title: str, taken: set[str]) -> str:
    name = SHEET_NAME_BAD.sub(" ", title).strip("'")[:31] or "Sheet"
    base, n = name, 2
    while name in taken:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(name)
    return name


def _width(text: str) -> float:
    # CJK characters take about two columns of a Latin font.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def build_xlsx(report: Report) -> bytes:
    """One sheet per section (Chinese headers, number formats, frozen header row, fitted widths)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="B3261E")
    bold = Font(bold=True)
    with translation.override(settings.LANGUAGE_CODE):
        wb = Workbook()
        summary = wb.active
        taken: set[str] = set()
        summary.title = _sheet_name(_("Report summary"), taken)
        summary.append([_("Item"), _("Value")])
        summary.append([_("Report"), escape_formula(report_heading(report))])
        summary.append([_("Scope"), escape_formula(report.scope_label)])
        summary.append([_("Month"), report.period_label])
        summary.append([_("Version"), report.version])
        published = report.published_at and date_format(report.published_at.astimezone(), "DATETIME_FORMAT")
        summary.append([_("Published at"), published or ""])
        summary.append([])
        summary.append([_("Section"), _("State")])
        for section in report.sections:
            state = _("Complete") if section["status"] == "ok" else section_reason(section)
            summary.append([escape_formula(section_title(section)), escape_formula(state)])
        _style_header(summary, 2, header_font, header_fill)
        summary.column_dimensions["A"].width = 36
        summary.column_dimensions["B"].width = 60
        summary.freeze_panes = "A2"

        for section in report.sections:
            ws = wb.create_sheet(_sheet_name(section_title(section), taken))
            if section["status"] != "ok":
                ws.append([_("Note")])
                ws.append([escape_formula(section_reason(section))])
                _style_header(ws, 1, header_font, header_fill)
                ws.column_dimensions["A"].width = max(20, min(100, _width(section_reason(section)) + 2))
                ws.freeze_panes = "A2"
                continue
            columns = section["columns"]
            headers = [escape_formula(translate_source(c["label"])) for c in columns]
            ws.append(headers)
            widths = [_width(h) for h in headers]
            for row in _rows_with_total(section):
                cells = []
                for i, (value, column) in enumerate(zip(row, columns, strict=False)):
                    if value is None:
                        cells.append(None)
                        continue
                    if column["type"] in NUMBER_FORMATS:
                        cells.append(value)
                        widths[i] = max(widths[i], len(cell_text(value, column["type"])))
                    else:
                        text = escape_formula(cell_text(value, column["type"]))
                        cells.append(text)
                        widths[i] = max(widths[i], _width(text))
                ws.append(cells)
            for i, column in enumerate(columns, start=1):
                fmt = NUMBER_FORMATS.get(column["type"])
                letter = get_column_letter(i)
                for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                    if fmt:
                        cell.number_format = fmt
                    else:
                        cell.data_type = "s"  # never a formula, whatever the text
                ws.column_dimensions[letter].width = max(8, min(60, widths[i - 1] + 2))
            _style_header(ws, len(columns), header_font, header_fill)
            if section.get("total") is not None:
                for cell in ws[ws.max_row]:
                    cell.font = bold
            ws.freeze_panes = "A2"
            last_data_row = ws.max_row - (1 if section.get("total") is not None else 0)
            ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(last_data_row, 1)}"
            notes = section.get("notes", [])
            if notes:
                ws.append([])
                for note in notes:
                    ws.append([escape_formula(translate_source(note))])
            ws.sheet_view.zoomScale = 110
        for ws in wb.worksheets:
            ws.page_setup.paperSize = ws.PAPERSIZE_A4
            ws.page_setup.orientation = "landscape"
            ws.page_setup.fitToWidth = 1
            ws.print_title_rows = "1:1"
            for row in ws.iter_rows(min_row=1, max_row=1):
                for cell in row:
                    cell.alignment = Alignment(wrap_text=True, vertical="center")
        buffer = io.BytesIO()
        wb.save(buffer)
    return buffer.getvalue()


def _style_header(ws, count: int, font, fill) -> None:
    for cell in ws[1][:count]:
        cell.font = font
        cell.fill = fill
