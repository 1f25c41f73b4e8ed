from django import template

from .. import exports
from ..sections import translate_source

register = template.Library()


@register.filter
def cell(value, kind: str) -> str:
    """A stored cell as text: numbers grouped, shares as percentages, choice labels translated."""
    return exports.cell_text(value, kind)


@register.filter
def msg(text: str) -> str:
    """Translate an English source string stored in a report (a title, a header, a note)."""
    return translate_source(text)


@register.filter
def reason(section: dict) -> str:
    return exports.section_reason(section)


@register.filter
def numeric(kind: str) -> bool:
    return kind in exports.NUMBER_FORMATS


@register.filter
def cells(row: list, columns: list[dict]) -> list[tuple[str, bool]]:
    """(text, is_number) for each cell of a stored row; a total row's first cell is a source string."""
    out = []
    for index, (value, column) in enumerate(zip(row, columns, strict=False)):
        kind = column["type"]
        if index == 0 and value == "Total":
            out.append((translate_source(value), False))
        else:
            out.append((exports.cell_text(value, kind), kind in exports.NUMBER_FORMATS))
    return out
