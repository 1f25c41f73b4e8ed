"""The Excel file opens in a real spreadsheet program; formula escaping on its own."""

import csv
import io
import shutil
import subprocess
import zipfile

import pytest

from reports import exports
from reports.services import generate_report, request_report

from .factories import PERIOD, build_dataset


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+86 139", "'+86 139"),
        ("-1+2", "'-1+2"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("仁与社工", "仁与社工"),
        ("3+1协商", "3+1协商"),
    ],
)
def test_cells_a_spreadsheet_would_run_are_escaped(text, escaped):
    assert exports.escape_formula(text) == escaped


def test_libreoffice_converts_the_excel_file_with_the_report_figures(world, tmp_path):
    build_dataset(world)
    from reports.periods import Scope

    report, _ = request_report(
        scope=Scope.for_street(world.center_a.street), period=PERIOD, requested_by=None, queue=False
    )
    report = generate_report(report_id=report.pk)
    path = tmp_path / "report.xlsx"
    path.write_bytes(exports.build_xlsx(report))

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:
        result = subprocess.run(
            [
                soffice,
                "--headless",
                f"-env:UserInstallation=file://{tmp_path}/profile",
                "--convert-to",
                "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
                "--outdir",
                str(tmp_path / "out"),
                str(path),
            ],
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert result.returncode == 0, result.stderr
        sheets = {
            p.name.removeprefix("report-").removesuffix(".csv"): p for p in (tmp_path / "out").iterdir()
        }
        assert len(sheets) == 1 + len(report.sections)
        rows = list(csv.reader(io.StringIO(sheets["活动"].read_text(encoding="utf-8"))))
        assert rows[0][:2] == ["中心", "开展活动"]
        assert next(r for r in rows if r[0] == world.center_a.name)[1] == "3"
    else:
        # No LibreOffice on this machine (apt-get install libreoffice-calc): check the package itself.
        with zipfile.ZipFile(path) as package:
            assert package.testzip() is None
            assert "[Content_Types].xml" in package.namelist() and "xl/workbook.xml" in package.namelist()
