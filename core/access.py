"""The one place that answers "may this user see or change this object".

Models declare how they relate to places with the ``governed`` decorator; views, admin
pages and exports call ``scope`` (a queryset of what the user may see or change) and
``can`` (a yes/no for one object or a model). Superusers and district administrators see
the whole district; street staff their street; managers and social workers their centers;
residents only rows they own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.db.models import BooleanField, Expression, F, Model, Q, QuerySet, Subquery
from django.db.models.constants import LOOKUP_SEP

from .models import AuditEntry, Center, Community, District, Role, RoleAssignment, Street, User

ACTIONS = ("view", "add", "change", "delete")
FIELD_WORKERS = frozenset({Role.SOCIAL_WORKER, Role.CENTER_MANAGER})
ALL_STAFF = frozenset({Role.SOCIAL_WORKER, Role.CENTER_MANAGER, Role.STREET_STAFF})


@dataclass(frozen=True)
class Rule:
    """How a model's rows map to places, and which roles may do what within their scope.

    ``center`` / ``street`` are lookup paths from the model to core.Center / core.Street;
    ``owner`` is a path to the user who owns the row (a resident sees and edits their own).
    District administrators and superusers may do everything, so they are not listed.
    """

    center: str | None = None
    street: str | None = None
    owner: str | None = None
    view: frozenset = ALL_STAFF
    add: frozenset = FIELD_WORKERS
    change: frozenset = FIELD_WORKERS
    delete: frozenset = frozenset({Role.CENTER_MANAGER})
    # The district administrator may be kept out of a model (e.g. health notes are need-to-know).
    district_admin: frozenset = field(default_factory=lambda: frozenset(ACTIONS))

    def roles_for(self, action: str) -> frozenset:
        return getattr(self, action)


_rules: dict[type[Model], Rule] = {}


def governed(**kwargs):
    """Class decorator: ``@governed(center="activity__center")`` registers the model's rule."""

    def register(model: type[Model]) -> type[Model]:
        _rules[model] = Rule(**kwargs)
        return model

    return register


def rule_for(model: type[Model]) -> Rule | None:
    return _rules.get(model._meta.concrete_model)


def governed_models() -> list[type[Model]]:
    return list(_rules)


# ------------------------------------------------------------------ who the user is
class _Assignments(list):
    """A user's role assignments, with the set of their roles (asked hundreds of times a page)."""

    def __init__(self, items=()):
        super().__init__(items)
        self.roles = frozenset(a.role for a in self)
        # can(user, action, Model), answered once per user object: an admin page asks it ~200 times.
        self.model_answers: dict[tuple, bool] = {}


def assignments(user) -> list[RoleAssignment]:
    """The user's role assignments, loaded once per user object."""
    cached = getattr(user, "_role_assignments", None)
    if cached is not None:
        return cached
    if not getattr(user, "is_authenticated", False):
        return _Assignments()
    cached = _Assignments(RoleAssignment.objects.filter(user=user).select_related("center"))
    user._role_assignments = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return not assignments(user).roles.isdisjoint(roles)


def is_district_wide(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or has_role(user, Role.DISTRICT_ADMIN)


def is_staff_member(user) -> bool:
    return is_district_wide(user) or has_role(user, *ALL_STAFF)


def center_ids(user, roles=ALL_STAFF) -> set[int]:
    """Ids of the centers in which the user holds one of ``roles`` (street staff: all of their street's)."""
    ids = {a.center_id for a in assignments(user) if a.role in roles and a.center_id}
    street_ids = {a.street_id for a in assignments(user) if a.role in roles and a.street_id}
    if street_ids:
        ids |= set(Center.objects.filter(street_id__in=street_ids).values_list("id", flat=True))
    return ids


def street_ids(user, roles=ALL_STAFF) -> set[int]:
    ids = {a.street_id for a in assignments(user) if a.role in roles and a.street_id}
    ids |= {a.center.street_id for a in assignments(user) if a.role in roles and a.center_id}
    return ids


def visible_centers(user, roles=ALL_STAFF) -> QuerySet[Center]:
    if is_district_wide(user):
        return Center.objects.all()
    return Center.objects.filter(id__in=center_ids(user, roles))


def center_choices(user, roles=ALL_STAFF) -> list[tuple[int, str]]:
    """(id, name) of ``visible_centers``, in the centers' order. A member of one center (most
    social workers) has it in their role assignments already: no query."""
    held = [a for a in assignments(user) if a.role in roles]
    centers = {a.center_id: a.center for a in held if a.center_id}
    if len(centers) == 1 and not is_district_wide(user) and not any(a.street_id for a in held):
        return [(center.pk, center.name) for center in centers.values()]
    return list(visible_centers(user, roles).values_list("pk", "name"))


def visible_streets(user, roles=ALL_STAFF) -> QuerySet[Street]:
    if is_district_wide(user):
        return Street.objects.all()
    return Street.objects.filter(id__in=street_ids(user, roles))


# ------------------------------------------------------------------ the two questions
def scope(user, queryset: QuerySet, action: str = "view") -> QuerySet:
    """The part of ``queryset`` that ``user`` may ``action``; nothing for an unknown model."""
    rule = rule_for(queryset.model)
    if rule is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    if has_role(user, Role.DISTRICT_ADMIN) and action in rule.district_admin:
        return queryset
    roles = rule.roles_for(action)
    branches = []
    if rule.center and (ids := center_ids(user, roles)):
        branches.append(Q(**{f"{rule.center}__in": sorted(ids)}))
    if rule.street and (ids := street_ids(user, roles)):
        branches.append(Q(**{f"{rule.street}__in": sorted(ids)}))
    if rule.owner:
        branches.append(Q(**{rule.owner: user}))
    return queryset.filter(any_of(queryset.model, branches))


def any_of(model: type[Model], branches: list[Q]) -> Q:
    """Rows of ``model`` matching any of ``branches``.

    An OR across joins (center OR street OR owner) makes PostgreSQL scan the whole table. So each
    branch is first put on the model's own columns: a path through foreign keys becomes a fixed
    list of ids (``activity__center__in=[14]`` -> ``activity_id`` in the ids of center 14's
    activities, see ``InIds``), and an OR of conditions on one table's own indexed columns is a
    BitmapOr of index scans. A branch that leaves through a many-to-many or reverse relation
    cannot be put so; then the union of each branch's ids lets every branch use its own index.
    UNION ALL, because ``IN`` ignores duplicates anyway, and without the deduplicating step the
    planner fetches the rows by primary key instead of scanning the table (1,000,000 sign-ups:
    1,084 ms -> 350 ms).
    """
    if not branches:
        return Q(pk__in=[])
    if len(branches) == 1:
        return branches[0]
    own = [_on_own_columns(model, branch) for branch in branches]
    if all(condition is not None for condition in own):
        return Q(*own, _connector=Q.OR)
    ids = [model._base_manager.filter(branch).order_by().values("pk") for branch in branches]
    return Q(pk__in=ids[0].union(*ids[1:], all=True))


class InIds(Expression):
    """``column IN (subquery)``; on PostgreSQL ``column = ANY(ARRAY(subquery))``.

    PostgreSQL checks an ``IN (subquery)`` under an OR row by row (a hashed subplan over a
    sequential scan), whereas the array is computed once before the scan and is an index
    condition like any list of ids.
    """

    conditional = True

    def __init__(self, column: str, queryset: QuerySet):
        super().__init__(output_field=BooleanField())
        self.column, self.subquery = F(column), Subquery(queryset)

    def get_source_expressions(self):
        return [self.column, self.subquery]

    def set_source_expressions(self, exprs):
        self.column, self.subquery = exprs

    def as_sql(self, compiler, connection, template="%s IN %s"):
        column, column_params = compiler.compile(self.column)
        subquery, subquery_params = compiler.compile(self.subquery)  # "(SELECT ...)"
        return template % (column, subquery), (*column_params, *subquery_params)

    def as_postgresql(self, compiler, connection):
        return self.as_sql(compiler, connection, template="%s = ANY(ARRAY%s)")


def _on_own_columns(model: type[Model], branch: Q) -> Q | None:
    """``branch`` (one lookup) as a condition on ``model``'s own columns, or None if it cannot be."""
    if branch.negated or len(branch.children) != 1 or not isinstance(branch.children[0], tuple):
        return None
    path, value = branch.children[0]
    if value is None or path.endswith(f"{LOOKUP_SEP}isnull"):
        return None  # "a__b is null" also holds where a_id is null, which an id list would drop
    condition = _path_on_own_columns(model, path.split(LOOKUP_SEP), value)
    return None if condition is None else Q(condition)


def _path_on_own_columns(model: type[Model], parts: list[str], value):
    opts = model._meta
    try:
        field = opts.pk if parts[0] == "pk" else opts.get_field(parts[0])
    except FieldDoesNotExist:
        return None
    if not field.concrete or field.many_to_many:
        return None  # a reverse or many-to-many relation: a join whatever is done
    rest = parts[1:]
    if not rest or not field.is_relation or not _is_field(field.related_model, rest[0]):
        return Q(**{LOOKUP_SEP.join(parts): value})  # this table's column (and a lookup)
    inner = _path_on_own_columns(field.related_model, rest, value)
    if inner is None:
        return None
    related = field.related_model._base_manager.filter(inner).order_by()
    return InIds(field.attname, related.values(field.target_field.attname))


def _is_field(model: type[Model], name: str) -> bool:
    if name == "pk":
        return True
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def _can_model(roles: frozenset, action: str, model: type, is_active: bool, is_superuser: bool) -> bool:
    rule = rule_for(model)
    if rule is None or not is_active:
        return False
    if is_superuser:
        return True
    if Role.DISTRICT_ADMIN in roles and action in rule.district_admin:
        return True
    return not roles.isdisjoint(rule.roles_for(action)) or (rule.owner is not None and action == "view")


def can(user, action: str, target) -> bool:
    """May ``user`` ``action`` ``target`` (a model instance, or a model class for "any row")?"""
    if isinstance(target, type):
        if not getattr(user, "is_authenticated", False):
            return False
        held = assignments(user)
        key = (action, target, user.is_active, user.is_superuser)
        answer = held.model_answers.get(key)
        if answer is None:
            answer = held.model_answers[key] = _can_model(held.roles, action, target, *key[2:])
        return answer
    model = type(target)
    return scope(user, model._default_manager.filter(pk=target.pk), action).exists()


# ------------------------------------------------------------------ core's own models
NOBODY = frozenset()
governed(center="pk", view=ALL_STAFF, add=NOBODY, change=frozenset({Role.CENTER_MANAGER}), delete=NOBODY)(
    Center
)
governed(street="pk", add=NOBODY, change=NOBODY, delete=NOBODY)(Street)
governed(street="street", add=NOBODY, change=NOBODY, delete=NOBODY)(Community)
# People, roles and the audit log belong to the district administrator alone.
governed(view=NOBODY, add=NOBODY, change=NOBODY, delete=NOBODY)(District)
governed(view=NOBODY, add=NOBODY, change=NOBODY, delete=NOBODY)(User)
governed(view=NOBODY, add=NOBODY, change=NOBODY, delete=NOBODY)(RoleAssignment)
governed(view=NOBODY, add=NOBODY, change=NOBODY, delete=NOBODY, district_admin=frozenset({"view"}))(
    AuditEntry
)
