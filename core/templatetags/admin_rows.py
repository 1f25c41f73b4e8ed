"""The changelist's rows as Django's admin renders them, with what is the same on every row
worked out once a page.

Django's ``items_for_result`` asks, for each of a page's 400 cells, which column links to the
record, what an empty value shows, re-reads the page's address to keep its filters, formats
every date again and builds each cell through ``format_html``: a third of a changelist's time.
Here the columns are looked at once, a value shown in a column (a date, a choice, a number)
is formatted once a page, and addresses without filters to keep are used as they are. Pages
with editable columns, pop-ups and ``to_field`` links are left to Django.
"""

import contextlib
import datetime
import functools
import html
from collections.abc import Callable
from dataclasses import dataclass

from django import template
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
    lookup_field,
)
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.urls import NoReverseMatch
from django.utils.functional import Promise
from django.utils.safestring import SafeString

register = template.Library()


@dataclass
class _Column:
    name: str
    classes: tuple[str, ...]
    link: bool
    tag: str
    # How ``lookup_field`` finds the value, decided once: a model field, or a method of the admin
    # (neither: ``lookup_field`` is asked for every row).
    field: models.Field | None = None
    method: Callable | None = None


def _lookup(cl, name) -> tuple[models.Field | None, Callable | None]:
    """``lookup_field``'s first decisions, which depend only on the column."""
    try:
        return _get_non_gfk_field(cl.opts, name), None
    except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
        if not callable(name) and name != "__str__" and hasattr(cl.model_admin, name):
            return None, getattr(cl.model_admin, name)
        return None, None


@functools.lru_cache(maxsize=512)
def _class_attribute(classes: tuple[str, ...]) -> str:
    return html.escape(" ".join(classes))


def _columns(cl) -> list[_Column]:
    """What Django decides per cell that depends only on the column (the order of links too)."""
    columns, first = [], True
    for index, name in enumerate(cl.list_display):
        if cl.list_display_links is None:
            link = False
        elif first and not cl.list_display_links:
            link = True
        else:
            link = name in cl.list_display_links
        tag = "td"
        if link:
            tag = "th" if first else "td"
            first = False
        classes = (f"field-{admin_list._coerce_field_name(name, index)}",)
        columns.append(_Column(name, classes, link, tag, *_lookup(cl, name)))
    return columns


def _items(cl, result, columns, shown: dict, empty: str):
    """A row's cells as HTML text (each value escaped here; the row is marked safe as a whole)."""
    for column in columns:
        classes = column.classes
        try:
            if column.field is not None:
                f, attr, value = column.field, None, getattr(result, column.name)
            elif column.method is not None:
                f, attr, value = None, column.method, column.method(result)
            else:
                f, attr, value = lookup_field(column.name, result, cl.model_admin)
        except ObjectDoesNotExist:
            result_repr = empty
        else:
            empty_value_display = getattr(attr, "empty_value_display", empty)
            if isinstance(value, str) and value.strip() == "":
                value = ""
            if f is None or f.auto_created:
                if column.name == "action_checkbox":
                    classes = ("action-checkbox",)
                boolean = getattr(attr, "boolean", False)
                if isinstance(attr, property) and hasattr(attr, "fget"):
                    boolean = getattr(attr.fget, "boolean", False)
                result_repr = _display_value(column.name, value, empty_value_display, boolean, shown)
                if isinstance(value, (datetime.date, datetime.time)):
                    classes = (*classes, "nowrap")
            else:
                if isinstance(f.remote_field, models.ManyToOneRel):
                    field_val = getattr(result, f.name)
                    result_repr = empty_value_display if field_val is None else field_val
                else:
                    key = (column.name, type(value), value)
                    try:
                        result_repr = shown[key]
                    except (KeyError, TypeError):  # TypeError: a value that cannot be a key
                        result_repr = display_for_field(value, f, empty_value_display, avoid_link=column.link)
                        if isinstance(result_repr, Promise):
                            result_repr = str(result_repr)  # a choice's label: translated once a page
                        with contextlib.suppress(TypeError):
                            shown[key] = result_repr
                if isinstance(f, (models.DateField, models.TimeField, models.ForeignKey)):
                    classes = (*classes, "nowrap")
        cell = _escaped(result_repr)
        if column.link:
            try:
                url = cl.url_for_result(result)
            except NoReverseMatch:
                pass
            else:
                if cl.preserved_filters:
                    url = add_preserved_filters(
                        {"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url
                    )
                cell = f'<a href="{html.escape(url)}">{cell}</a>'  # an address is plain text
        yield f'<{column.tag} class="{_class_attribute(classes)}">{cell}</{column.tag}>'  # escaped above


def _display_value(name: str, value, empty: str, boolean: bool, shown: dict):
    """``display_for_value``, with text shown as it is and other values formatted once a page."""
    if isinstance(value, Promise):
        value = str(value)  # a lazy translation shows as its text (display_for_value compares it too)
    if not boolean:
        if type(value) in (str, SafeString):
            return value if value != "" else empty
        if isinstance(value, models.Model):
            return str(value)  # what display_for_value shows for a related record
    key = (name, type(value), value, boolean, empty)
    try:
        return shown[key]
    except (KeyError, TypeError):  # TypeError: a value that cannot be a key
        result = display_for_value(value, empty, boolean)
        with contextlib.suppress(TypeError):
            shown[key] = result
        return result


def _escaped(value) -> str:
    """``conditional_escape`` without its layers: safe text as it is, anything else escaped."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _row(cl, result, columns, shown: dict, empty: str) -> admin_list.ResultList:
    """One row as Django's template expects it (a list of cells), its cells joined into one:
    ``change_list_results.html`` then renders one item a row instead of one a cell."""
    # SafeString, not mark_safe: the same for a str, without the check for lazy text.
    return admin_list.ResultList(None, [SafeString("".join(_items(cl, result, columns, shown, empty)))])


def result_list(cl):
    if getattr(cl, "formset", None) or cl.is_popup or cl.to_field:
        return admin_list.result_list(cl)
    headers = list(admin_list.result_headers(cl))
    columns, shown = _columns(cl), {}
    empty = cl.model_admin.get_empty_value_display()
    return {
        "cl": cl,
        "result_hidden_fields": list(admin_list.result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": [_row(cl, result, columns, shown, empty) for result in cl.result_list],
    }


@register.tag(name="rows_result_list")
def result_list_tag(parser, token):
    return InclusionAdminNode(
        parser, token, func=result_list, template_name="change_list_results.html", takes_context=False
    )
