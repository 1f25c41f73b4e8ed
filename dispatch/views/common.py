"""Helpers shared by the dispatch views."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from core import access

from .. import services


def staff_required(view):
    """Signed-in staff of some center, street or the district; others are refused."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not access.is_staff_member(request.user):
            raise PermissionDenied
        request.sensitive = True  # no caching of pages with residents' data
        return view(request, *args, **kwargs)

    return wrapper


def add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


STATUS_ACTIONS = {
    "start": (services.start_request, _("Marked as in progress.")),
    "complete": (services.complete_request, _("Marked as done; the resident is asked to rate it.")),
    "cannot": (services.close_request_as_impossible, _("Closed as cannot be done.")),
    "withdraw": (services.withdraw_assignment, _("Taken back; the request waits for a new assignee.")),
}
