"""Panels on a center's page contributed by other apps (e.g. orgs shows the center's operator).

Centers never imports the apps that build on it; they register here instead, from a module
named ``center_panels``:

    from centers.panels import center_panel

    @center_panel(order=10)
    def operator(request, center):
        return "orgs/center_operator.html", {"contract": ...}
"""

from collections.abc import Callable

from django.template.loader import render_to_string
from django.utils.module_loading import autodiscover_modules

_panels: list[tuple[int, Callable]] = []
_discovered = False


def center_panel(*, order: int = 50):
    def register(func: Callable) -> Callable:
        _panels.append((order, func))
        return func

    return register


def render_center_panels(request, center) -> list[str]:
    global _discovered
    if not _discovered:
        autodiscover_modules("center_panels")
        _discovered = True
    html = []
    for _order, func in sorted(_panels, key=lambda item: item[0]):
        result = func(request, center)
        if result:
            template, context = result
            html.append(render_to_string(template, {"center": center, **context}, request=request))
    return html
