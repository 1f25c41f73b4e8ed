from allauth.core.exceptions import RateLimited

from . import idle

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)
# The admin renders a few inline styles and scripts of Django's own; it gets a looser policy.
ADMIN_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)


class SecurityHeadersMiddleware:
    """Content-Security-Policy (no inline script), and sign staff out after an idle period."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        idle.check(request)
        response = self.get_response(request)
        response.headers.setdefault(
            "Content-Security-Policy", ADMIN_CSP if request.path.startswith("/admin/") else CSP
        )
        if request.path.startswith("/admin/"):
            # Staff pages hold personal data: never kept by a browser or proxy cache.
            response.headers["Cache-Control"] = "no-store"
        return response


class RateLimitedMiddleware:
    """A limit allauth raises deep in a flow (the SMS code sent at sign-up) answers with the 429 page.

    Without this the exception would end in a 500; the request's transaction is already rolled
    back when it gets here, so the refused sign-up leaves no half-made account behind.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RateLimited):
            from .views import error_429

            return error_429(request)
        return None


def _contains_nul(request) -> bool:
    if "\x00" in request.path:
        return True
    for query in (request.GET, request.POST if request.method == "POST" else None):
        if query is None:
            continue
        for key, values in query.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return True
    if request.method == "POST":
        for key, files in request.FILES.lists():
            if "\x00" in key or any("\x00" in (upload.name or "") for upload in files):
                return True
    return False


class RejectNulCharactersMiddleware:
    """Refuse a NUL character in the address or a form with the friendly 400 page.

    PostgreSQL can neither store nor compare text holding NUL (the driver raises ValueError, a
    server error), and no person types one: it comes from a broken client or an attack. Form
    parsing errors (too many fields or files, a body too large) surface here as Django's 400.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _contains_nul(request):
            from .views import bad_request

            return bad_request(request, reason="nul")
        return self.get_response(request)
