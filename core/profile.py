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
from dataclasses import dataclass

from django.db import connections, router
from django.db.models.sql.compiler import SQLCompiler
from django.template.loader import render_to_string
from django.utils.module_loading import autodiscover_modules

from .models import User

_sections: list[tuple[int, Callable]] = []
_figures: list[Callable[[], dict]] = []
_statements: dict = {}  # database alias -> the figures' compiled statement, made on first use
_discovered = False
# Stands for the user's id in the compiled statement; no real id or constant of a figure is this.
_USER_MARK = -918_273_645


def me_section(*, order: int = 50):
    def register(func: Callable) -> Callable:
        _sections.append((order, func))
        return func

    return register


def me_figures(func: Callable[[], dict]) -> Callable[[], dict]:
    """Register ``func() -> {name: expression}``: annotations on ``core.User`` (``OuterRef("pk")`` is
    the signed-in user), read by sections with ``figures(request)[name]``.

    The statement is built and compiled once per process (building and compiling twenty subqueries
    costs more than running them), so the expressions must not capture the time of the call:
    compare with ``Now()``, never with ``timezone.now()``."""
    _figures.append(func)
    _statements.clear()
    return func


def _discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("me")
        _discovered = True


@dataclass(frozen=True)
class _Statement:
    sql: str
    params: tuple
    user_at: tuple[int, ...]  # where the user's id goes in params
    names: tuple[str, ...]
    compiler: SQLCompiler  # converts the row's values as the queryset would

    def run(self, user_id: int) -> dict:
        params = list(self.params)
        for index in self.user_at:
            params[index] = user_id
        with connections[self.compiler.using].cursor() as cursor:
            cursor.execute(self.sql, params)
            row = cursor.fetchone()
        values = next(iter(self.compiler.results_iter(results=[[row]])))
        return dict(zip(self.names, values, strict=True))


def _statement(using: str) -> _Statement | None:
    if using not in _statements:
        _discover()
        annotations: dict = {}
        for func in _figures:
            annotations.update(func())
        statement = None
        if annotations:
            query = User.objects.values(**annotations).filter(pk=_USER_MARK).query
            compiler = query.get_compiler(using=using)
            sql, params = compiler.as_sql()
            user_at = tuple(i for i, value in enumerate(params) if value == _USER_MARK)
            names = (*query.extra_select, *query.values_select, *query.annotation_select)
            statement = _Statement(sql, tuple(params), user_at, names, compiler)
        _statements[using] = statement
    return _statements[using]


def figures(request) -> dict:
    """Every app's figures for the signed-in user: one query, made once per request."""
    cached = getattr(request, "_me_figures", None)
    if cached is None:
        statement = _statement(router.db_for_read(User))
        cached = statement.run(request.user.pk) if statement is not None else {}
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
