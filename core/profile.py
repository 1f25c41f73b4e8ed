"""Sections of "my page" (/me/). Each app contributes from its own ``me.py``:

    from core.expressions import count_of
    from core.profile import figures, me_figures, me_section

    @me_figures
    def my_counts():
        return {"children_count": count_of(Child.objects.filter(guardian=OuterRef("pk")))}

    @me_section(order=20)
    def my_children(request):
        if not figures(request)["children_count"]:
            return None
        return "centers/me_children.html", {"children": ...}

Small figures (counts, a balance, the next duty) are annotations on the signed-in user's own row:
every app's figures come back in one query per request (``figures``), so a section shows its
counts for free and runs its list query only when there is something to list.

Core discovers those modules by name and never imports the apps themselves.
"""

from collections.abc import Callable

from django.template.loader import render_to_string
from django.utils.module_loading import autodiscover_modules

from .models import User

_sections: list[tuple[int, Callable]] = []
_figures: list[Callable[[], dict]] = []
_statement: list = []  # the figures' annotated queryset, built on first use
_discovered = False


def me_section(*, order: int = 50):
    def register(func: Callable) -> Callable:
        _sections.append((order, func))
        return func

    return register


def me_figures(func: Callable[[], dict]) -> Callable[[], dict]:
    """Register ``func() -> {name: expression}``: annotations on ``core.User`` (``OuterRef("pk")`` is
    the signed-in user), read by sections with ``figures(request)[name]``.

    The expressions are built once per process (building twenty subqueries costs more than running
    them), so they must not capture the time of the call: compare with ``Now()``, never with
    ``timezone.now()``."""
    _figures.append(func)
    _statement.clear()
    return func


def _discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("me")
        _discovered = True


def _figures_queryset():
    if not _statement:
        _discover()
        annotations: dict = {}
        for func in _figures:
            annotations.update(func())
        _statement.append(User.objects.values(**annotations) if annotations else None)
    return _statement[0]


def figures(request) -> dict:
    """Every app's figures for the signed-in user: one query, made once per request."""
    cached = getattr(request, "_me_figures", None)
    if cached is None:
        queryset = _figures_queryset()
        cached = queryset.filter(pk=request.user.pk).get() if queryset is not None else {}
        request._me_figures = cached
    return cached


def render_me_sections(request) -> list[str]:
    _discover()
    html = []
    for _order, func in sorted(_sections, key=lambda item: item[0]):
        result = func(request)
        if result:
            template, context = result
            html.append(render_to_string(template, context, request=request))
    return html
