"""Import organizations from the spreadsheets streets keep today (XLSX or CSV).

Every row is validated before anything is written; errors are reported per row in the reader's
language (Chinese by default). Nothing is imported unless the whole file is clean, or the user
explicitly asks to import the valid rows. The key of an organization is its credit code, or its
name and street, so importing the same file again changes nothing.
"""

from .rows import RowResult, validate_rows
from .service import ImportReport, import_organizations
from .sheet import COLUMNS, MAX_ROWS, SheetError, header_names, read_rows, template_workbook

__all__ = [
    "COLUMNS",
    "MAX_ROWS",
    "ImportReport",
    "RowResult",
    "SheetError",
    "header_names",
    "import_organizations",
    "read_rows",
    "template_workbook",
    "validate_rows",
]
