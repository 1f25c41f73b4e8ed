"""The report's sections: one module per app, each section a function ``(period, scope) -> Table``.

Sections are imported lazily, one by one, and each runs inside its own savepoint: when an app
has not landed a model (or renamed a field), that one section says so and the rest of the
report is still produced. Titles, headers and notes are stored as their English source
strings (gettext_noop) and translated when shown, so a stored report reads in any language.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import import_module

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, transaction
from django.utils import translation
from django.utils.translation import gettext, gettext_noop, pgettext

from ..periods import Period, Scope

logger = logging.getLogger(__name__)

# Column types: how a value is shown and which number format the Excel file uses.
LABEL = "label"  # a translatable word (a choice label), stored as its English source
TEXT = "text"  # a name (center, organization), shown verbatim
INT = "int"
DECIMAL = "decimal"  # one decimal place (hours, points, scores)
PERCENT = "percent"  # a share between 0 and 1
TYPES = (LABEL, TEXT, INT, DECIMAL, PERCENT)


@dataclass
class Column:
    key: str
    label: str  # English source string (gettext_noop); translated when rendered
    type: str = INT

    def as_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "type": self.type}


@dataclass
class Table:
    """What a section returns: aggregate rows only (never a person), plus an optional total."""

    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    total: list | None = None
    notes: list[str] = field(default_factory=list)
    keys: list = field(default_factory=list)  # the unit id of each row, for the dashboard


class Unavailable(Exception):
    """The section cannot be computed yet: an app has not landed what it needs."""

    def __init__(self, reason: str, **params):
        super().__init__(reason % params if params else reason)
        self.reason = reason
        self.params = {k: str(v) for k, v in params.items()}


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: str  # English source string
    module: str  # "reports.sections.centers"
    function: str
    app: str  # the app label whose data the section reads


SECTIONS: list[SectionSpec] = [
    SectionSpec(
        "activities", gettext_noop("Activities"), "reports.sections.centers", "activities", "centers"
    ),
    SectionSpec("care", gettext_noop("Home visits and care"), "reports.sections.care", "visits", "care"),
    SectionSpec(
        "requests", gettext_noop("Service requests"), "reports.sections.dispatch", "requests", "dispatch"
    ),
    SectionSpec(
        "requests_by_kind",
        gettext_noop("Service requests by channel and category"),
        "reports.sections.dispatch",
        "requests_by_channel_and_category",
        "dispatch",
    ),
    SectionSpec(
        "volunteers",
        gettext_noop("Volunteers, hours and points"),
        "reports.sections.volunteers",
        "volunteers",
        "volunteers",
    ),
    SectionSpec(
        "deliberation",
        gettext_noop("3+1 deliberation"),
        "reports.sections.deliberation",
        "deliberation",
        "deliberation",
    ),
    SectionSpec(
        "mediation",
        gettext_noop("Mediation cases by outcome"),
        "reports.sections.deliberation",
        "mediation",
        "deliberation",
    ),
    SectionSpec(
        "organizations",
        gettext_noop("Organizations by status and lifecycle stage"),
        "reports.sections.orgs",
        "organizations",
        "orgs",
    ),
    SectionSpec(
        "contracts",
        gettext_noop("Service contracts: targets against actuals"),
        "reports.sections.orgs",
        "contracts",
        "orgs",
    ),
]


# ------------------------------------------------------------------ stored source strings
CONTEXT_SEPARATOR = "\x04"  # gettext's own separator between a message's context and its text


def source_text(label) -> str:
    """The English source of a (lazy) label, kept with its gettext context: what is stored.

    ``pgettext_lazy("lifecycle stage", "Introduce")`` is stored as "lifecycle stage\x04Introduce"
    so that it translates with its context when shown; plain strings are stored as they are.
    """
    args = getattr(label, "_args", None)
    if isinstance(args, tuple) and args and all(isinstance(a, str) for a in args):
        if len(args) == 2:
            return f"{args[0]}{CONTEXT_SEPARATOR}{args[1]}"
        if len(args) == 1:
            return args[0]
    return str(label)


def translate_source(text: str) -> str:
    """A stored source string in the active language (the inverse of ``source_text``)."""
    if not text:
        return ""
    if CONTEXT_SEPARATOR in text:
        context, message = text.split(CONTEXT_SEPARATOR, 1)
        return pgettext(context, message)
    return gettext(text)


def choice_labels(model, field_name: str) -> list[tuple[str, str]]:
    """(value, stored source label) of a model field's choices, in their declared order."""
    return [(value, source_text(label)) for value, label in model._meta.get_field(field_name).choices]


# ------------------------------------------------------------------ helpers for section modules
def need_model(app_label: str, model_name: str):
    """The model, or Unavailable naming what has not landed."""
    try:
        return apps.get_model(app_label, model_name)
    except LookupError:
        raise Unavailable(
            gettext_noop("Not available yet: the %(app)s app has no %(model)s model."),
            app=app_label,
            model=model_name,
        ) from None


def need_fields(model, *names: str) -> None:
    for name in names:
        try:
            model._meta.get_field(name)
        except FieldDoesNotExist:
            raise Unavailable(
                gettext_noop("Not available yet: %(model)s has no field %(field)s."),
                model=model._meta.label,
                field=name,
            ) from None


def breakdown(
    scope: Scope,
    columns: list[Column],
    per_unit: Iterable[dict],
    totals: dict | None = None,
    unit_key: str = "unit",
    derived: Callable[[dict], dict] | None = None,
) -> Table:
    """Rows per unit (street or center) from grouped aggregates, in the scope's order, plus the total.

    ``per_unit`` are the dicts of one or more ``values(unit).annotate(...)`` queries (merged by
    unit). The total of a figure is the sum over the units unless ``totals`` gives it: only
    what does not add up (distinct counts, medians) needs its own ``aggregate(...)`` query.
    Units without data show zeros.
    """
    merged: dict = {}
    for item in per_unit:
        merged.setdefault(item[unit_key], {}).update(item)
    summed: dict = {}
    for values in merged.values():  # one aggregate row per unit, not per fact
        for key, value in values.items():
            if key != unit_key and isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                summed[key] = summed.get(key, 0) + value
    totals = {**summed, **(totals or {})}
    value_columns = columns[1:]
    rows, keys = [], []
    for unit_id, name in scope.units:
        values = merged.get(unit_id, {})
        if derived:
            values = {**values, **derived(values)}
        rows.append([name, *[_cell(values.get(c.key), c) for c in value_columns]])
        keys.append(unit_id)
    if derived:
        totals = {**totals, **derived(totals)}
    total = [gettext_noop("Total"), *[_cell(totals.get(c.key), c) for c in value_columns]]
    return Table(columns=columns, rows=rows, total=total, keys=keys)


def _cell(value, column: Column):
    """Counts of nothing are 0; an average, median or rate of nothing stays empty (shown "—")."""
    if value is None:
        return 0 if column.type == INT else None
    if column.type in (DECIMAL, PERCENT):
        return round(float(value), 4)
    return value


def ratio(numerator, denominator) -> float | None:
    if not denominator:
        return None
    return round((numerator or 0) / denominator, 4)


def unit_column(scope: Scope) -> Column:
    return Column("unit", scope.unit_label, TEXT)


def per_center_month(qs, center: str, when: str, **figures) -> dict[tuple[int, str], dict]:
    """``{(center id, "2026-10"): {figure: value}}``: one query grouped by center and local month."""
    from django.db.models.functions import TruncMonth

    out: dict[tuple[int, str], dict] = {}
    for row in qs.annotate(_month=TruncMonth(when)).values(center, "_month").annotate(**figures).order_by():
        month = row.pop("_month")
        if month is not None:
            out.setdefault((row.pop(center), f"{month:%Y-%m}"), {}).update(row)
    return out


def merge_figures(*parts: dict) -> dict[tuple[int, str], dict]:
    merged: dict = {}
    for part in parts:
        for key, values in part.items():
            merged.setdefault(key, {}).update(values)
    return merged


# ------------------------------------------------------------------ running sections
# Sorts and hashes of a district's month (COUNT DISTINCT over ~10^5 sign-ups) fit in memory
# instead of spilling to disk; SET LOCAL lasts only for the section's transaction.
WORK_MEM = "64MB"


def tune_for_aggregates() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")


def _unavailable(spec: SectionSpec, status: str, reason: str, params: dict | None = None) -> dict:
    return {
        "key": spec.key,
        "title": spec.title,
        "app": spec.app,
        "status": status,
        "reason": reason,
        "params": params or {},
        "columns": [],
        "rows": [],
        "total": None,
        "notes": [],
    }


def run_section(spec: SectionSpec, period: Period, scope: Scope) -> dict:
    """Compute one section as stored JSON; never raises for a missing or changed app."""
    # Choice labels are stored as their English source strings, translated when shown.
    with translation.override("en"):
        try:
            function = getattr(import_module(spec.module), spec.function)
            with transaction.atomic():  # a failing query rolls back to here, not the whole task
                tune_for_aggregates()
                table = function(period, scope)
        except Unavailable as exc:
            return _unavailable(spec, "missing", exc.reason, exc.params)
        except Exception as exc:  # an app changed under us: this section fails alone, and says so
            logger.exception("report section %s failed", spec.key)
            return _unavailable(
                spec,
                "error",
                gettext_noop(
                    "This section could not be computed (%(error)s); the other sections are complete."
                ),
                {"error": exc.__class__.__name__},
            )
        return {
            "key": spec.key,
            "title": spec.title,
            "app": spec.app,
            "status": "ok",
            "reason": "",
            "params": {},
            "columns": [c.as_dict() for c in table.columns],
            "rows": [_plain(row) for row in table.rows],
            "total": _plain(table.total) if table.total is not None else None,
            "notes": [str(n) for n in table.notes],
            "keys": list(table.keys),
        }


def _plain(row: list) -> list:
    """JSON-safe cells: lazy strings become their (English) text, Decimals floats."""
    out = []
    for value in row:
        if value is None or isinstance(value, bool | int | float):
            out.append(value)
        elif hasattr(value, "as_tuple"):  # Decimal
            out.append(float(value))
        else:
            out.append(str(value))
    return out


def run_sections(
    period: Period, scope: Scope, on_progress: Callable[[int, int, SectionSpec], None] | None = None
):
    results = []
    for index, spec in enumerate(SECTIONS):
        if on_progress:
            on_progress(index, len(SECTIONS), spec)
        results.append(run_section(spec, period, scope))
    return results
