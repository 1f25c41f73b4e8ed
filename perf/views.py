"""The minimal view: a page's one essential query, answered with a few bytes and no template."""

from django.http import Http404, HttpRequest, HttpResponse

from .pages import by_key
from .world import world


def minimal(request: HttpRequest, key: str) -> HttpResponse:
    page = by_key().get(key)
    if page is None:
        raise Http404
    result = page.essential(world())
    size = len(result) if isinstance(result, (list, tuple)) else 1
    return HttpResponse(f"{key} {size}\n", content_type="text/plain; charset=utf-8")
