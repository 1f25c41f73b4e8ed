"""The resident timeline's extension point: other capabilities add entries about a resident.

An app contributes from its own ``timeline.py`` (discovered by name, never imported by care)::

    from care.timeline import timeline_source

    @timeline_source
    def signups(*, resident, viewer):
        return [TimelineEntry(when=..., kind="活动", title=...), ...]

``resident`` is the recipient's portal account (core.User); ``viewer`` is the staff member, so
a source can apply its own access rules. Sources return plain entries, newest first or not.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.module_loading import autodiscover_modules

from .selectors import TimelineItem as TimelineEntry

_sources: list[Callable] = []
_discovered = False


def timeline_source(func: Callable) -> Callable:
    _sources.append(func)
    return func


def collect(*, resident, viewer) -> list[TimelineEntry]:
    """Entries from every registered source about ``resident`` (nothing without an account)."""
    global _discovered
    if not _discovered:
        autodiscover_modules("timeline")
        _discovered = True
    if resident is None:
        return []
    entries: list[TimelineEntry] = []
    for source in _sources:
        entries.extend(source(resident=resident, viewer=viewer) or [])
    return entries


__all__ = ["TimelineEntry", "timeline_source", "collect"]
