"""The staff idle timeout, in one place: the clock lives in the session, starts when a staff
member signs in (core.receivers) and moves on with each request (SecurityHeadersMiddleware)."""

import time

from django.conf import settings
from django.contrib.auth import logout

KEY = "last_seen"
# Activity is recorded at most once a minute: writing the session on every request would cost a
# query per staff page, and the timeout is counted in tens of minutes.
RESOLUTION = 60


def start_clock(session) -> None:
    session[KEY] = int(time.time())


def check(request) -> None:
    """Sign a staff member out after STAFF_IDLE_TIMEOUT seconds without a request; else note this one."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_staff:
        return
    now = int(time.time())
    last = request.session.get(KEY, now)
    if now - last > settings.STAFF_IDLE_TIMEOUT:
        logout(request)
    elif now - last >= RESOLUTION or KEY not in request.session:
        request.session[KEY] = now
