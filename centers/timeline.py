"""The resident timeline: the resident's activity sign-ups (core.timeline)."""

from django.utils.translation import gettext as _

from core.timeline import TimelineEntry, timeline_source

from .models import Signup


@timeline_source
def activity_signups(*, resident, viewer, limit: int = 50) -> list[TimelineEntry]:
    signups = (
        Signup.objects.filter(resident=resident)
        .select_related("activity__center", "child")
        .order_by("-activity__starts_at")[:limit]
    )
    return [
        TimelineEntry(
            when=signup.activity.starts_at,
            kind=_("Activity"),
            title=f"{signup.activity.title} · {signup.activity.center.name}",
            detail=" · ".join(
                filter(
                    None,
                    [
                        signup.get_status_display(),
                        _("for %(child)s") % {"child": signup.child.name} if signup.child_id else "",
                        _("checked in") if signup.attended_at else "",
                    ],
                )
            ),
            url=signup.activity.get_absolute_url(),
        )
        for signup in signups
    ]
