"""What a report is about: a calendar month (``Period``) and a place (``Scope``).

Sections receive both and turn them into filters, so that every section counts the same
centers over the same half-open interval [start, end).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_noop

from core.models import Center, District, Street


@dataclass(frozen=True, order=True)
class Period:
    year: int
    month: int

    def __post_init__(self):
        if not 1 <= self.month <= 12 or not 2000 <= self.year <= 2100:
            raise ValueError(f"not a month: {self.year}-{self.month}")

    @classmethod
    def of(cls, day: dt.date) -> Period:
        return cls(day.year, day.month)

    @classmethod
    def parse(cls, text: str) -> Period:
        """``"2026-10"`` (what <input type="month"> sends) -> Period(2026, 10); ValueError otherwise."""
        year, _sep, month = text.strip().partition("-")
        return cls(int(year), int(month))

    @classmethod
    def current(cls) -> Period:
        return cls.of(timezone.localdate())

    @classmethod
    def last_month(cls) -> Period:
        return cls.current().shift(-1)

    def shift(self, months: int) -> Period:
        index = self.year * 12 + (self.month - 1) + months
        return Period(index // 12, index % 12 + 1)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def end(self) -> dt.date:
        """The first day of the next month (exclusive)."""
        return self.shift(1).start

    @property
    def start_at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.start, dt.time.min))

    @property
    def end_at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.end, dt.time.min))

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return date_format(self.start, "YEAR_MONTH_FORMAT")

    def months_back(self, count: int) -> list[Period]:
        """The ``count`` months ending with this one, oldest first."""
        return [self.shift(-i) for i in reversed(range(count))]

    def __str__(self) -> str:
        return self.key


@dataclass(frozen=True)
class Scope:
    """A district, a street or a center; ``by`` says how a section breaks its figures down.

    Street and center reports list their centers; the district roll-up lists its streets
    (``by="center"`` gives the district's centers side by side, for the dashboard).
    """

    kind: str  # Report.Kind values
    district_id: int
    street_id: int | None = None
    center_id: int | None = None
    by: str = ""

    DISTRICT = "district"
    STREET = "street"
    CENTER = "center"

    @classmethod
    def for_district(cls, district: District, by: str = "street") -> Scope:
        return cls(cls.DISTRICT, district.pk, by=by)

    @classmethod
    def for_street(cls, street: Street) -> Scope:
        return cls(cls.STREET, street.district_id, street.pk, by="center")

    @classmethod
    def for_center(cls, center: Center) -> Scope:
        return cls(cls.CENTER, center.street.district_id, center.street_id, center.pk, by="center")

    @classmethod
    def from_key(cls, key: str) -> Scope:
        """``"street:12"`` -> the street's scope; LookupError (DoesNotExist) for an unknown place."""
        kind, _sep, pk = key.partition(":")
        if kind == cls.DISTRICT:
            return cls.for_district(District.objects.get(pk=int(pk)))
        if kind == cls.STREET:
            return cls.for_street(Street.objects.get(pk=int(pk)))
        if kind == cls.CENTER:
            return cls.for_center(Center.objects.select_related("street").get(pk=int(pk)))
        raise Center.DoesNotExist(key)

    @property
    def key(self) -> str:
        pk = {self.DISTRICT: self.district_id, self.STREET: self.street_id, self.CENTER: self.center_id}
        return f"{self.kind}:{pk[self.kind]}"

    # ------------------------------------------------------------ places in the scope
    @cached_property
    def centers(self) -> list[tuple[int, str]]:
        """(id, name) of the scope's centers, in the portal's usual order (one query)."""
        qs = Center.objects.filter(street__district_id=self.district_id)
        if self.kind == self.STREET:
            qs = qs.filter(street_id=self.street_id)
        elif self.kind == self.CENTER:
            qs = qs.filter(pk=self.center_id)
        return list(qs.order_by("street__name", "level", "name").values_list("id", "name"))

    @cached_property
    def center_ids(self) -> list[int]:
        return [pk for pk, _name in self.centers]

    @cached_property
    def street_ids(self) -> list[int]:
        if self.kind == self.DISTRICT:
            return list(Street.objects.filter(district_id=self.district_id).values_list("id", flat=True))
        return [self.street_id]

    @cached_property
    def units(self) -> list[tuple[int, str]]:
        """The rows of a breakdown: streets for the district roll-up, centers otherwise."""
        if self.by == "street":
            return list(
                Street.objects.filter(district_id=self.district_id).order_by("name").values_list("id", "name")
            )
        return self.centers

    @property
    def unit_label(self) -> str:
        return gettext_noop("Street") if self.by == "street" else gettext_noop("Center")

    @cached_property
    def label(self) -> str:
        if self.kind == self.CENTER:
            return Center.objects.values_list("name", flat=True).get(pk=self.center_id)
        if self.kind == self.STREET:
            return Street.objects.values_list("name", flat=True).get(pk=self.street_id)
        return District.objects.values_list("name", flat=True).get(pk=self.district_id)

    # ------------------------------------------------------------ filters for sections
    def by_center(self, path: str) -> Q:
        """Rows whose center (reached by ``path``, e.g. ``"activity__center"``) lies in the scope."""
        if self.kind == self.DISTRICT:
            return Q(**{f"{path}__street__district_id": self.district_id})
        if self.kind == self.STREET:
            return Q(**{f"{path}__street_id": self.street_id})
        return Q(**{f"{path}_id": self.center_id})

    def by_street(self, path: str) -> Q:
        """Rows whose street (reached by ``path``) lies in the scope (a center report: its street)."""
        if self.kind == self.DISTRICT:
            return Q(**{f"{path}__district_id": self.district_id})
        return Q(**{f"{path}_id": self.street_id})

    def unit_of_center(self, path: str) -> str:
        """The ``values()`` lookup that groups rows reached by a center path into breakdown units."""
        return f"{path}__street" if self.by == "street" else path

    def unit_of_street(self, path: str) -> str | None:
        """Grouping for rows that know only their street: possible only for a street breakdown."""
        return path if self.by == "street" else None
