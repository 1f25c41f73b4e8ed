import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import access
from .audit import AuditContext
from .forms import ErasureForm
from .models import WorkerPing
from .privacy import erase_personal_data, export_personal_data
from .profile import render_me_sections
from .selectors import list_streets_with_centers
from .spreadsheets import workbook_bytes
from .tasks import ping_worker_task

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"streets": list_streets_with_centers()})


@login_required
@never_cache
def me(request: HttpRequest) -> HttpResponse:
    return render(request, "core/me.html", {"sections": render_me_sections(request)})


@login_required
@never_cache
def my_data(request: HttpRequest) -> HttpResponse:
    """Download my data (JSON or Excel), or close my account and erase my personal information."""
    fmt = request.GET.get("format")
    if fmt in ("json", "xlsx"):
        data = export_personal_data(
            user=request.user, context=AuditContext.from_request(request, "personal data download")
        )
        if fmt == "json":
            response = JsonResponse(
                data, json_dumps_params={"ensure_ascii": False, "indent": 1, "default": str}
            )
            filename = "my-data.json"
        else:
            response = HttpResponse(workbook_bytes(data), content_type=XLSX)
            filename = "my-data.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    form = ErasureForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        erase_personal_data(user=request.user, context=AuditContext.from_request(request, "erasure request"))
        logout(request)
        messages.success(request, _("Your account is closed and your personal information has been removed."))
        return redirect("core:home")
    return render(request, "core/my_data.html", {"form": form})


@require_POST
def text_size(request: HttpRequest) -> HttpResponse:
    """Switch large text for elderly readers; remembered in a cookie, no script needed."""
    target = request.POST.get("next") or "/"
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        target = "/"
    # Not redirect(): it would take a bare word for a URL name and fail to reverse it.
    response = HttpResponseRedirect(target)
    if request.POST.get("large") == "1":
        response.set_cookie("large_text", "1", max_age=365 * 24 * 3600, samesite="Lax")
    else:
        response.delete_cookie("large_text")
    return response


def _broker_status() -> str:
    from neighborhood.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception as exc:  # any broker failure is reported, not raised
        return f"error: {exc.__class__.__name__}"


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception as exc:  # any database failure is reported, not raised
        database = f"error: {exc.__class__.__name__}"
    broker = _broker_status()
    transport = settings.CELERY_BROKER_URL.split("://", 1)[0]
    healthy = database == "ok" and broker == "ok"
    return JsonResponse(
        {
            "status": "ok" if healthy else "error",
            "database": database,
            "broker": broker,
            "broker_transport": transport,
        },
        status=200 if healthy else 503,
    )


@require_POST
def worker_ping(request: HttpRequest) -> JsonResponse:
    """Staff queue a ping; the background worker marks it done (see worker_ping_status)."""
    if not access.is_staff_member(request.user):
        return JsonResponse({"error": "forbidden"}, status=403)
    ping = WorkerPing.objects.create(token=secrets.token_hex(16))
    ping_worker_task.delay_on_commit(ping.token)
    return JsonResponse({"token": ping.token, "status_url": f"/healthz/worker/{ping.token}/"}, status=202)


@never_cache
def worker_ping_status(request: HttpRequest, token: str) -> JsonResponse:
    ping = get_object_or_404(WorkerPing, token=token)
    return JsonResponse({"token": ping.token, "done": ping.done_at is not None, "worker": ping.hostname})


def _bad_request_reason(exception) -> str:
    if isinstance(exception, RequestDataTooBig):
        return "too_big"
    if isinstance(exception, TooManyFieldsSent | TooManyFilesSent):
        return "too_many"
    return "malformed"


BAD_REQUEST_REASONS = {
    "nul": gettext_lazy(
        "What you sent contains an invisible control character (NUL) that the portal cannot accept. "
        "Go back, type the text again instead of pasting it, and send it once more."
    ),
    "too_big": gettext_lazy("What you sent is too large. Send smaller files, or fewer at a time."),
    "too_many": gettext_lazy(
        "What you sent has too many fields or files. Go back and send the form as it is."
    ),
    "malformed": gettext_lazy(
        "The portal could not read what your browser sent. Go back, reload the page and try again."
    ),
}


def bad_request(request: HttpRequest, *, reason: str) -> HttpResponse:
    """The friendly 400 page, saying what was wrong with the request."""
    return render(request, "400.html", {"reason": BAD_REQUEST_REASONS[reason]}, status=400)


def error_400(request, exception=None):
    return bad_request(request, reason=_bad_request_reason(exception))


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    return render(request, "500.html", status=500)


def csrf_failure(request, reason=""):
    """The CSRF refusal in the portal's words: most often a form left open for too long."""
    return render(request, "403_csrf.html", status=403)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_429(request, exception=None):
    return render(request, "429.html", status=429)
