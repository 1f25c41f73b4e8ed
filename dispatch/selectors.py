"""Reads for service requests, sites and supplies; visibility is applied here, once."""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from core import access
from core.expressions import JOINER, count_of, joined_of
from core.models import Center, Community, User
from volunteers.models import Availability, Membership, Skill, Team, Volunteer

from .models import (
    Assignment,
    CallAnswer,
    Category,
    CollectionSite,
    Feedback,
    Mobilisation,
    ServiceRequest,
    ServiceVehicle,
    Status,
    StatusChange,
    SupplyEntry,
)


# ------------------------------------------------------------------ places
def center_for_community(community: Community) -> Center | None:
    """The center that handles requests from ``community``: its own center, else its street's."""
    centers = Center.objects.filter(is_active=True)
    return (
        centers.filter(community=community).order_by("pk").first()
        or centers.filter(street_id=community.street_id, level=Center.Level.STREET).order_by("pk").first()
        or centers.filter(street_id=community.street_id).order_by("pk").first()
    )


def list_request_communities() -> QuerySet[Community]:
    """Communities a resident can pick on the form (those a center serves), grouped by street."""
    return (
        Community.objects.filter(Q(centers__is_active=True) | Q(street__centers__is_active=True))
        .select_related("street")
        .distinct()
        .order_by("street__name", "name")
    )


def list_public_sites() -> QuerySet[CollectionSite]:
    """Active collection sites with their communities: public information for residents."""
    return (
        CollectionSite.objects.filter(is_active=True)
        .select_related("center__street")
        .prefetch_related(Prefetch("communities", queryset=Community.objects.order_by("name")))
        .order_by("center__street__name", "name")
    )


# ------------------------------------------------------------------ requests
def _active_assignments() -> Prefetch:
    return Prefetch(
        "assignments",
        queryset=Assignment.objects.filter(response__in=Assignment.ACTIVE).select_related(
            *assignee_relations()
        ),
        to_attr="active_assignments",
    )


def assignee_relations() -> list[str]:
    """The relations an assignment's assignee lives in."""
    return ["site", "vehicle", "volunteer__user", "team"]


def list_desk_requests(*, user: User) -> QuerySet[ServiceRequest]:
    """Requests the staff member may see, newest first, ready for the dispatch desk list."""
    qs = ServiceRequest.objects.select_related("center", "community", "collection_site").prefetch_related(
        _active_assignments()
    )
    return access.scope(user, qs, "view")


def get_desk_request(*, user: User, pk: int, action: str = "view") -> ServiceRequest | None:
    """The request with its feedback, history and every assignment (the active ones among them)."""
    # Only what the page shows: each further join costs PostgreSQL's planner more than the query
    # itself (the street and requester joins tripled the planning time, to 3 ms).
    qs = ServiceRequest.objects.select_related(
        "center", "community", "collection_site", "recorded_by", "feedback"
    ).prefetch_related(
        Prefetch("history", queryset=StatusChange.objects.select_related("by")),
        Prefetch(
            "assignments",
            queryset=Assignment.objects.select_related("assigned_by", *assignee_relations()),
            to_attr="all_assignments",
        ),
    )
    request = access.scope(user, qs, action).filter(pk=pk).first()
    if request is not None:
        request.active_assignments = [a for a in request.all_assignments if a.response in Assignment.ACTIVE]
    return request


def get_request_by_public_id(*, public_id) -> ServiceRequest | None:
    return (
        ServiceRequest.objects.select_related("center", "community", "requester")
        .prefetch_related(_active_assignments(), Prefetch("history", queryset=StatusChange.objects.all()))
        .filter(public_id=public_id)
        .first()
    )


def list_my_requests(*, user: User) -> QuerySet[ServiceRequest]:
    """A resident's own requests (filed on the web, or recorded for them by staff)."""
    return (
        ServiceRequest.objects.filter(requester=user)
        .select_related("center", "community", "feedback")
        .prefetch_related(_active_assignments())
    )


def request_feedback(request: ServiceRequest) -> Feedback | None:
    try:
        return request.feedback
    except Feedback.DoesNotExist:
        return None


def may_see_details(*, user: User, request: ServiceRequest) -> bool:
    """The requester and staff in scope see the description; a link holder sees only the status."""
    if not getattr(user, "is_authenticated", False):
        return False
    return request.requester_id == user.pk or access.can(user, "view", request)


def may_rate_online(*, user: User, request: ServiceRequest) -> bool:
    """The signed-in requester rates; a request filed without an account is rated via its link."""
    if request.requester_id is None:
        return True
    return getattr(user, "is_authenticated", False) and user.pk == request.requester_id


# ------------------------------------------------------------------ choosing an assignee
CANDIDATES_SHOWN = 6
PHONE = re.compile(r"1[0-9]{10}")


def get_request_to_assign(*, user: User, pk: int) -> ServiceRequest | None:
    """The request, if ``user`` may assign it (whatever its state: the view says when it is not new)."""
    qs = ServiceRequest.objects.select_related("center", "community")
    return access.scope(user, qs, "change").filter(pk=pk).first()


def _near_first(qs, *, request: ServiceRequest, q: str, limit: int) -> list:
    """Sites or vehicles: those covering the request's community, then those of its center, then of
    its street, by name; only names containing ``q`` when given. One query."""
    if q:
        qs = qs.filter(name__icontains=q)
    covers: Exists | Value = Value(False)
    if request.community_id:
        link = qs.model.communities
        covers = Exists(
            link.through.objects.filter(
                **{f"{link.field.m2m_field_name()}_id": OuterRef("pk"), "community_id": request.community_id}
            )
        )
    return list(
        qs.annotate(covers=covers, near=_nearness(request))
        .select_related("center")
        .order_by("-covers", "-near", "name", "pk")[:limit]
    )


def _nearness(request: ServiceRequest) -> Case:
    """2 for the request's own center, 1 for its street, 0 elsewhere."""
    return Case(
        When(center_id=request.center_id, then=Value(2)),
        When(center__street_id=request.center.street_id, then=Value(1)),
        default=Value(0),
    )


def assignable_sites(*, user: User) -> QuerySet[CollectionSite]:
    return access.scope(user, CollectionSite.objects.filter(is_active=True), "view")


def assignable_vehicles(*, user: User) -> QuerySet[ServiceVehicle]:
    return access.scope(user, ServiceVehicle.objects.filter(is_active=True), "view")


# ------------------------------------------------------------------ reminders
def waiting_too_long(*, since) -> QuerySet[ServiceRequest]:
    return ServiceRequest.objects.filter(status=Status.NEW, waiting_since__lte=since)


# ------------------------------------------------------------------ supplies
def list_supply_entries(*, user: User) -> QuerySet[SupplyEntry]:
    return access.scope(user, SupplyEntry.objects.select_related("center", "recorded_by"), "view")


def supply_stock(*, center: Center, item: str, unit: str) -> Decimal:
    totals = SupplyEntry.objects.filter(center=center, item=item, unit=unit).aggregate(
        received=Sum("quantity", filter=Q(direction=SupplyEntry.Direction.RECEIVED)),
        distributed=Sum("quantity", filter=Q(direction=SupplyEntry.Direction.DISTRIBUTED)),
    )
    return (totals["received"] or Decimal(0)) - (totals["distributed"] or Decimal(0))


def list_supply_stock(*, user: User) -> list[dict]:
    """Per center and item: received, distributed and what is left, for the centers in scope."""
    rows = (
        list_supply_entries(user=user)
        .order_by()
        .values("center__name", "item", "unit")
        .annotate(
            received=Sum("quantity", filter=Q(direction=SupplyEntry.Direction.RECEIVED)),
            distributed=Sum("quantity", filter=Q(direction=SupplyEntry.Direction.DISTRIBUTED)),
        )
        .order_by("center__name", "item")
    )
    result = []
    for row in rows:
        received, distributed = row["received"] or Decimal(0), row["distributed"] or Decimal(0)
        result.append(
            {**row, "received": received, "distributed": distributed, "left": received - distributed}
        )
    return result


def assignee_description(assignment: Assignment) -> str:
    """How the requester sees who serves them: a volunteer's name is not shown to them."""
    if assignment.kind == Assignment.Kind.VOLUNTEER:
        return _("a volunteer")
    return f"{assignment.get_kind_display()} · {assignment.assignee_label}"


# ------------------------------------------------------------------ volunteers and teams
# Skill names (kept by the district administrator) that suit each category, matched by keyword.
CATEGORY_SKILL_WORDS = {
    Category.ELDERLY_HELP: ["陪伴", "医疗", "健康", "助老", "驾驶"],
    Category.REPAIRS: ["维修", "电工", "修理"],
    Category.COMPANIONSHIP: ["陪伴", "聊天"],
    Category.MEDIATION: ["调解"],
    Category.ENVIRONMENT: ["环保"],
    Category.CHILD_CARE: ["辅导", "作业", "托管"],
    Category.OTHER: [],
}


def skills_for_category(category: str) -> QuerySet[Skill]:
    words = CATEGORY_SKILL_WORDS.get(category, [])
    if not words:
        return Skill.objects.none()
    condition = Q()
    for word in words:
        condition |= Q(name__contains=word)
    return Skill.objects.filter(condition)


def availability_now(now=None) -> str:
    """The availability code that covers this moment (local time)."""
    local = timezone.localtime(now or timezone.now())
    if local.weekday() >= 5:
        return Availability.WEEKEND
    return Availability.WEEKDAY_DAYTIME if 8 <= local.hour < 18 else Availability.WEEKDAY_EVENING


@dataclass
class VolunteerMatch:
    volunteer: Volunteer
    serves_community: bool
    skill_names: list[str]
    available: bool
    open_tasks: int

    @property
    def label(self) -> str:
        return str(self.volunteer)

    @property
    def reason(self) -> str:
        parts = []
        if self.serves_community:
            parts.append(_("serves this community"))
        if self.skill_names:
            parts.append(_("skills: %(skills)s") % {"skills": "、".join(self.skill_names)})
        if self.available:
            parts.append(_("available now"))
        parts.append(_("%(count)s open tasks") % {"count": self.open_tasks})
        return " · ".join(str(p) for p in parts)


def assign_candidates(*, user: User, request: ServiceRequest, q: str = "") -> dict[str, list]:
    """Who could take a new request, best first, among those ``user`` may assign: one query a kind,
    with the skills that fit its category as a subquery. Without ``q`` the volunteers are those near
    the request; with it, everyone in scope whose name contains ``q`` (or a volunteer whose whole
    mobile number it is)."""
    skills = skills_for_category(request.category)
    skill_ids = skills.values("pk") if CATEGORY_SKILL_WORDS.get(request.category) else None
    return {
        "volunteers": candidate_volunteers(user=user, request=request, q=q, skills=skill_ids),
        "teams": candidate_teams(user=user, request=request, q=q, skills=skill_ids),
        "sites": candidate_sites(user=user, request=request, q=q),
        "vehicles": candidate_vehicles(user=user, request=request, q=q),
    }


def candidate_volunteers(
    *,
    user: User,
    request: ServiceRequest,
    q: str = "",
    skills: QuerySet | None = None,
    limit: int = CANDIDATES_SHOWN,
) -> list[VolunteerMatch]:
    """Active volunteers ranked by community (2), skill (2), availability now (1) and home center
    (1), then by fewest open tasks; their fitting skills' names come in the same query."""
    through_c = Volunteer.communities.through
    through_s = Volunteer.skills.through
    serves = Exists(through_c.objects.filter(volunteer_id=OuterRef("pk"), community_id=request.community_id))
    if skills is None:
        skilled, skill_names = Value(False), Value("")
    else:
        fitting = through_s.objects.filter(volunteer_id=OuterRef("pk"), skill_id__in=skills)
        skilled, skill_names = Exists(fitting), joined_of(fitting, "skill__name", "volunteer_id")
    slot = availability_now()
    available = Q(availability__contains=slot) | Q(availability__contains=Availability.ON_CALL)
    open_tasks = count_of(
        Assignment.objects.filter(volunteer_id=OuterRef("pk"), response__in=Assignment.ACTIVE)
    )
    qs = assignable_volunteers(user=user)
    if q:
        # A whole mobile number finds its volunteer; part of one finds nothing (the lists show
        # numbers masked, and digits guessed one at a time would unmask them).
        qs = qs.filter(
            Q(user__real_name__icontains=q) | Q(user__phone=q)
            if PHONE.fullmatch(q)
            else Q(user__real_name__icontains=q)
        )
    else:
        qs = qs.filter(Q(center__street_id=request.center.street_id) | serves)
    qs = (
        qs.annotate(
            serves=serves,
            skilled=skilled,
            skill_names=skill_names,
            is_available=Case(When(available, then=Value(True)), default=Value(False)),
            open_tasks=open_tasks,
        )
        .annotate(
            score=Case(When(serves=True, then=Value(2)), default=Value(0))
            + Case(When(skilled=True, then=Value(2)), default=Value(0))
            + Case(When(is_available=True, then=Value(1)), default=Value(0))
            + Case(When(center_id=request.center_id, then=Value(1)), default=Value(0))
        )
        .order_by("-score", "open_tasks", "pk")[:limit]
    )
    return [
        VolunteerMatch(
            volunteer=v,
            serves_community=v.serves,
            skill_names=sorted(set(filter(None, (v.skill_names or "").split(JOINER)))),
            available=v.is_available,
            open_tasks=v.open_tasks,
        )
        for v in qs
    ]


def candidate_teams(
    *,
    user: User,
    request: ServiceRequest,
    q: str = "",
    skills: QuerySet | None = None,
    limit: int = CANDIDATES_SHOWN,
) -> list[Team]:
    """Teams with members whose skills fit first, then those of the request's center and street."""
    qs = assignable_teams(user=user)
    if q:
        qs = qs.filter(name__icontains=q)
    skilled: Exists | Value = Value(False)
    if skills is not None:
        skilled = Exists(
            Membership.objects.filter(
                team_id=OuterRef("pk"), status=Membership.Status.APPROVED, volunteer__skills__in=skills
            )
        )
    return list(
        qs.annotate(skilled=skilled, near=_nearness(request))
        .select_related("center")
        .order_by("-skilled", "-near", "name", "pk")[:limit]
    )


def candidate_sites(
    *, user: User, request: ServiceRequest, q: str = "", limit: int = CANDIDATES_SHOWN
) -> list:
    return _near_first(assignable_sites(user=user), request=request, q=q, limit=limit)


def candidate_vehicles(
    *, user: User, request: ServiceRequest, q: str = "", limit: int = CANDIDATES_SHOWN
) -> list:
    return _near_first(assignable_vehicles(user=user), request=request, q=q, limit=limit)


def assignable_volunteers(*, user: User) -> QuerySet[Volunteer]:
    volunteers = Volunteer.objects.filter(is_active=True, user__is_active=True).select_related("user")
    return access.scope(user, volunteers, "view")


def assignable_teams(*, user: User) -> QuerySet[Team]:
    return access.scope(user, Team.objects.all(), "view")


def get_volunteer(*, user: User) -> Volunteer | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Volunteer.objects.filter(user=user).first()


def list_my_tasks(*, user: User) -> QuerySet[Assignment]:
    """Requests given to the user as a volunteer or as the leader of a team, open ones first."""
    return (
        Assignment.objects.filter(access.any_of(Assignment, [Q(volunteer__user=user), Q(team__leader=user)]))
        .filter(response__in=[*Assignment.ACTIVE, Assignment.Response.DECLINED])
        .select_related("request__community", "request__center", "team", "volunteer__user")
        .order_by("-assigned_at")
    )


def get_my_task(*, user: User, pk: int) -> Assignment | None:
    return list_my_tasks(user=user).filter(pk=pk).first()


def list_my_calls(*, user: User) -> QuerySet[CallAnswer]:
    return (
        CallAnswer.objects.filter(volunteer__user=user, mobilisation__status=Mobilisation.Status.OPEN)
        .select_related("mobilisation__center")
        .order_by("-mobilisation__created_at")
    )


# ------------------------------------------------------------------ mobilisation
def list_mobilisations(*, user: User) -> QuerySet[Mobilisation]:
    coming = Count("answers", filter=Q(answers__answer=CallAnswer.Answer.COMING))
    asked = Count("answers")
    return access.scope(
        user,
        Mobilisation.objects.select_related("center", "team", "skill").annotate(coming=coming, asked=asked),
        "view",
    )


def get_mobilisation(*, user: User, pk: int, action: str = "view") -> Mobilisation | None:
    qs = Mobilisation.objects.select_related("center", "team", "skill", "created_by").prefetch_related(
        "communities", "waves"
    )
    return access.scope(user, qs, action).filter(pk=pk).first()


def roster(*, call: Mobilisation) -> tuple[dict, QuerySet[CallAnswer]]:
    """Counts per answer, and the roster: coming first, then received, waiting, cannot."""
    counts = {a: 0 for a in CallAnswer.Answer.values}
    for row in (
        CallAnswer.objects.filter(mobilisation=call).order_by().values("answer").annotate(n=Count("pk"))
    ):
        counts[row["answer"]] = row["n"]
    order = Case(
        *[When(answer=a, then=Value(i)) for i, a in enumerate(["coming", "received", "waiting", "cannot"])],
        default=Value(9),
    )
    rows = (
        CallAnswer.objects.filter(mobilisation=call)
        .select_related("volunteer__user", "volunteer__center")
        .annotate(rank=order)
        .order_by("rank", "answered_at", "pk")
    )
    return counts, rows
