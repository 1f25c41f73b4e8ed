"""Reading stored sections in tests: a row (or the total) as {column key: value}."""

from reports.sections import SECTIONS, run_section


def compute(key: str, period, scope) -> dict:
    spec = next(s for s in SECTIONS if s.key == key)
    return run_section(spec, period, scope)


def row_of(section: dict, label) -> dict:
    keys = [c["key"] for c in section["columns"]]
    if label == "total":
        return dict(zip(keys, section["total"], strict=True))
    for row in section["rows"]:
        # Choice labels with a gettext context are stored as "context\x04text".
        if row[0] == label or (isinstance(row[0], str) and row[0].split("\x04")[-1] == label):
            return dict(zip(keys, row, strict=True))
    raise AssertionError(f"no row {label!r} in {[r[0] for r in section['rows']]}")


def subset(values: dict, expected: dict) -> dict:
    return {k: values[k] for k in expected}
