"""Excel and CSV writing shared by every export: Chinese headers, frozen header row, safe cells."""

import csv
import io

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Escape text that a spreadsheet would run as a formula (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def workbook_bytes(sheets: dict[str, list[dict]]) -> bytes:
    """One sheet per section; the first row holds the headers and stays frozen."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title=str(title)[:31] or "-")
        headers = list(rows[0].keys()) if rows else []
        sheet.append([safe_cell(h) for h in headers])
        for row in rows:
            sheet.append([safe_cell(row.get(h)) for h in headers])
        sheet.freeze_panes = "A2"
        for index, header in enumerate(headers, start=1):
            width = max([len(str(header))] + [len(str(r.get(header) or "")) for r in rows[:200]])
            sheet.column_dimensions[get_column_letter(index)].width = min(max(10, width * 1.6), 60)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[dict]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel shows Chinese."""
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0].keys()))
        writer.writeheader()
        writer.writerows({k: safe_cell(v) for k, v in row.items()} for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
