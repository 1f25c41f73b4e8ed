"""A server-side cache of public pages for anonymous visitors.

Only anonymous GET requests are served from it; a signed-in user always gets a fresh page. A
cached page varies by host, path and query string, language and the large-text switch. The
CSRF token of the page's forms is cut out before the page is stored and a fresh one is put in
for each visitor, so a cached page never hands out another visitor's token. Each group of pages
has a version that the owning app bumps when their data change (``bump``): every page of the
group then misses at once.
"""

import hashlib
import re
import uuid
from collections.abc import Callable
from functools import wraps

from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
CSRF_PLACEHOLDER = b"\x00csrf\x00"


def _version_key(group: str) -> str:
    return f"pagecache:{group}:version"


def version(group: str) -> str:
    """The group's current version: part of every cache key of its pages and fragments."""
    current = cache.get(_version_key(group))
    if current is None:
        cache.add(_version_key(group), uuid.uuid4().hex, None)
        current = cache.get(_version_key(group))
    return current


def bump(group: str) -> None:
    """Invalidate every cached page of ``group``, now and again when the transaction commits
    (so that a request that read the old rows meanwhile cannot keep them cached)."""

    def new_version():
        cache.set(_version_key(group), uuid.uuid4().hex, None)

    new_version()
    transaction.on_commit(new_version)


def _key(request: HttpRequest, group: str) -> str:
    variant = "|".join(
        [
            request.get_host(),
            request.get_full_path(),
            getattr(request, "LANGUAGE_CODE", ""),
            request.COOKIES.get("large_text", ""),
        ]
    )
    digest = hashlib.sha256(variant.encode()).hexdigest()
    return f"pagecache:{group}:{version(group)}:{digest}"


def _cacheable_request(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        # Pending messages are shown by the next page rendered, never by a cached one.
        and CookieStorage.cookie_name not in request.COOKIES
    )


def _messages_shown(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    return bool(
        storage and (getattr(storage, "_loaded_data", None) or getattr(storage, "_queued_messages", None))
    )


def anonymous_page_cache(*, group: str, timeout: int) -> Callable:
    """Serve anonymous visitors a page rendered at most ``timeout`` seconds ago."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not _cacheable_request(request):
                return view(request, *args, **kwargs)
            key = _key(request, group)
            cached = cache.get(key)
            if cached is not None:
                content, content_type = cached
                token = get_token(request).encode()
                return HttpResponse(content.replace(CSRF_PLACEHOLDER, token), content_type=content_type)
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            if (
                response.status_code == 200
                and not response.streaming
                and not response.cookies
                and not _messages_shown(request)
            ):
                content = CSRF_INPUT.sub(rb"\1" + CSRF_PLACEHOLDER + rb"\2", response.content)
                cache.set(key, (content, response["Content-Type"]), timeout)
            return response

        return wrapped

    return decorator
