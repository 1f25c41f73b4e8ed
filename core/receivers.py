"""Signal receivers of core."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from . import idle


@receiver(user_logged_in, dispatch_uid="core.start_idle_clock")
def start_idle_clock(request, user, **kwargs) -> None:
    """Staff idle time counts from signing in (SecurityHeadersMiddleware then updates it)."""
    session = getattr(request, "session", None)
    if session is not None and user.is_staff:
        idle.start_clock(session)
