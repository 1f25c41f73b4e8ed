"""One timeline per resident, across capabilities (for authorised staff).

Core owns the registry; each app that knows something about a resident adds a source in its
own ``<app>/timeline.py`` (discovered by name, so core imports no app)::

    from core.timeline import TimelineEntry, timeline_source

    @timeline_source
    def signups(*, resident, viewer):
        return [TimelineEntry(when=..., kind=_("Activity"), title=...), ...]

``resident`` is the person's portal account (core.User); ``viewer`` is the staff member who is
already allowed to see the resident, so a source applies its own rules to what it adds (links
only to what the viewer may open, no third party's personal data). The page that shows a
timeline writes the audit row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.module_loading import autodiscover_modules


@dataclass
class TimelineEntry:
    when: dt.date
    kind: str
    title: str
    detail: str = ""
    url: str = ""
    extra: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if isinstance(self.when, dt.datetime):  # sources may give times; the page shows days
            self.when = timezone.localdate(self.when) if timezone.is_aware(self.when) else self.when.date()


_sources: list[Callable] = []
_discovered = False


def timeline_source(func: Callable) -> Callable:
    """Register ``func(*, resident, viewer) -> list[TimelineEntry]``."""
    if func not in _sources:
        _sources.append(func)
    return func


def collect(*, resident, viewer, limit: int = 200) -> list[TimelineEntry]:
    """Entries from every source about ``resident``, newest first (nothing without an account)."""
    global _discovered
    if not _discovered:
        autodiscover_modules("timeline")
        _discovered = True
    if resident is None:
        return []
    entries: list[TimelineEntry] = []
    for source in _sources:
        entries.extend(source(resident=resident, viewer=viewer) or [])
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit]
