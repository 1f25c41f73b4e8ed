"""Scalar subqueries for annotations: a count, a sum or one field of a related set, in the same query."""

from django.db.models import Aggregate, CharField, Func, IntegerField, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce


def count_of(queryset: QuerySet) -> Coalesce:
    """The number of rows of ``queryset`` (filtered by ``OuterRef``s); 0 when there is none."""
    counted = queryset.order_by().annotate(_n=Func(Value(1), function="COUNT")).values("_n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def sum_of(queryset: QuerySet, field: str, grouped_by: str) -> Subquery:
    """The sum of ``field`` over ``queryset``, whose rows share one ``grouped_by`` value; None for none."""
    return Subquery(queryset.order_by().values(grouped_by).annotate(_total=Sum(field)).values("_total"))


def first_of(queryset: QuerySet, field: str) -> Subquery:
    """``field`` of the first row of the ordered ``queryset``, or None."""
    return Subquery(queryset.values(field)[:1])


# Separates the values that ``joined_of`` puts in one string; not a character names contain.
JOINER = "\x1f"


class _Joined(Aggregate):
    """The group's values in one string, ``JOINER`` between them (STRING_AGG; GROUP_CONCAT on SQLite)."""

    function = "STRING_AGG"
    output_field = CharField()

    def __init__(self, expression, **extra):
        super().__init__(expression, Value(JOINER), **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra)


def joined_of(queryset: QuerySet, field: str, grouped_by: str) -> Subquery:
    """The values of ``field`` over ``queryset`` (rows sharing one ``grouped_by`` value), joined by
    ``JOINER``; None for none. Split with ``str.split(JOINER)``."""
    return Subquery(
        queryset.order_by().values(grouped_by).annotate(_joined=_Joined(field)).values("_joined"),
        output_field=CharField(),
    )
