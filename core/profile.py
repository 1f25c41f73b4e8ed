"""Sections of "my page" (/me/). Each app contributes from its own ``me.py``:

    from core.profile import me_section

    @me_section(order=20)
    def my_signups(request):
        return "centers/me_signups.html", {"signups": ...}

Core discovers those modules by name and never imports the apps themselves.
"""

from collections.abc import Callable

from django.template.loader import render_to_string
from django.utils.module_loading import autodiscover_modules

_sections: list[tuple[int, Callable]] = []
_discovered = False


def me_section(*, order: int = 50):
    def register(func: Callable) -> Callable:
        _sections.append((order, func))
        return func

    return register


def render_me_sections(request) -> list[str]:
    global _discovered
    if not _discovered:
        autodiscover_modules("me")
        _discovered = True
    html = []
    for _order, func in sorted(_sections, key=lambda item: item[0]):
        result = func(request)
        if result:
            template, context = result
            html.append(render_to_string(template, context, request=request))
    return html
