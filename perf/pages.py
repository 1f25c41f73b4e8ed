"""The pages measured, each with its one essential query (what the minimal view runs).

A page is measured against a minimal view that runs only the query without which the page
could not exist (its rows, or its object), through the same middleware and for the same
actor, interleaved with it in the same process. The ratio of the two medians is what the
targets bound: a page that renders its rows with a few well-joined queries stays within a
small multiple of it; N+1 queries, unindexed filters and slow templates do not.

Pages of apps that have not landed are skipped (their URL name does not resolve) and listed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from .world import World

LIST_ROWS = 20


@dataclass
class Page:
    name: str
    actor: str | None  # None: anonymous
    kind: str  # "public", "signed-in" or "admin"
    path: Callable[[World], str]
    essential: Callable[[World], object]
    # The same page showing fewer rows: its query count must be the same (flat in rows).
    few_path: Callable[[World], str] | None = None
    needs: tuple[str, ...] = ()  # app labels or "app.Model" that must exist

    @property
    def ratio_limit(self) -> float | None:
        if self.name == "activity_list" and self.actor is None:
            return 3.0
        if self.actor is not None:
            return 8.0
        return None


def _ids(qs, n: int = LIST_ROWS) -> list:
    return list(qs.values_list("pk", flat=True)[:n])


# ------------------------------------------------------------------ core and centers
def _upcoming(w: World):
    """The activity list's own query (centers' selector), in its order."""
    from centers.selectors import list_upcoming_activities

    return list_upcoming_activities()


def _home(w):
    from core.models import Center

    return list(Center.objects.filter(is_active=True).values_list("pk", "street_id"))


def _center_list(w):
    from core.models import Center

    return _ids(Center.objects.filter(is_active=True).order_by("street__name", "level", "name"), 30)


def _center_detail(w):
    from core.models import Center

    return Center.objects.filter(slug=w.center.slug, is_active=True).values_list("pk", flat=True).get()


def _activity_detail(w):
    from centers.models import Activity

    return Activity.objects.filter(pk=w.activity.pk, status="published").values_list("pk", flat=True).get()


def _week(w):
    import datetime as dt

    from django.utils import timezone

    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    start = timezone.make_aware(dt.datetime.combine(monday, dt.time()))
    return _ids(_upcoming(w).filter(starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=7)), 700)


def _my_signups(w):
    from centers.models import Signup

    return _ids(Signup.objects.filter(resident=w.user("resident")).exclude(status="cancelled").order_by("pk"))


def _my_redemptions(w):
    """ "My volunteering": the volunteer's redemptions, newest first (the page's first list)."""
    from volunteers.models import Redemption

    return _ids(Redemption.objects.filter(volunteer__user=w.user("volunteer")).order_by("-created_at", "-pk"))


def _my_hour_records(w):
    """The volunteer's history page: their latest hour records."""
    from volunteers.models import HourRecord

    return _ids(HourRecord.objects.filter(volunteer__user=w.user("volunteer")).order_by("-served_on", "-pk"))


def _last_page(w: World, url: str, count: int, per_page: int = LIST_ROWS) -> str:
    pages = max(1, -(-count // per_page))
    return f"{url}?page={pages}"


def _selector_ids(path: str, *args, n: int = LIST_ROWS, user: str | None = None, **kwargs):
    """Essential query from an app's selector: ``path`` = "app.selectors.function"."""

    def essential(w: World):
        from importlib import import_module

        module, function = path.rsplit(".", 1)
        call = getattr(import_module(module), function)
        if user is not None:
            kwargs["user"] = w.user(user)
        return _ids(call(*args, **kwargs), n)

    return essential


def _admin(model_label: str, actor: str) -> Page:
    """A changelist in the admin, against the scoped first page of its own ordering."""
    app_label, model_name = model_label.split(".")

    def essential(w: World):
        from django.apps import apps
        from django.contrib import admin

        from core import access

        model = apps.get_model(model_label)
        model_admin = admin.site._registry[model]
        qs = access.scope(w.user(actor), model._default_manager.all(), "view")
        ordering = list(model_admin.ordering or model._meta.ordering or ["-pk"])
        return _ids(qs.order_by(*ordering), model_admin.list_per_page)

    return Page(
        f"admin_{model_name.lower()}",
        actor,
        "admin",
        lambda w: reverse(f"admin:{app_label}_{model_name.lower()}_changelist"),
        essential,
        needs=(model_label,),
    )


def _object(attr: str):
    """The path of a sample object of the world (``w.<attr>``), or LookupError when there is none."""

    def path(w: World) -> str:
        obj = getattr(w, attr)
        if obj is None:
            raise LookupError(f"no {attr} in the data set")
        return obj if isinstance(obj, str) else obj.get_absolute_url()

    return path


def _pk_of(attr: str, model_label: str):
    def essential(w: World):
        from django.apps import apps

        return (
            apps.get_model(model_label)
            ._default_manager.filter(pk=getattr(w, attr).pk)
            .values_list("pk", flat=True)
            .get()
        )

    return essential


def _assign_candidates(w: World):
    """The assign page's essential query: the volunteers ranked for the sample request."""
    from dispatch import selectors

    request = w.service_request  # its center is loaded once and kept with it
    skills = selectors.skills_for_category(request.category).values("pk")
    matches = selectors.candidate_volunteers(user=w.user("worker"), request=request, skills=skills)
    return [m.volunteer.pk for m in matches]


def _kind(actor: str | None) -> str:
    return "public" if actor is None else "signed-in"


def _listing(
    name: str, actor: str | None, url_name: str, selector: str, model_label: str, n: int = LIST_ROWS
):
    """A list page whose essential query is an app's selector (``app.selectors.function``)."""
    return Page(
        name,
        actor,
        _kind(actor),
        lambda w: reverse(url_name),
        _selector_ids(selector, n=n, user=actor),
        needs=(model_label,),
    )


def _detail(name: str, actor: str | None, url_name: str, attr: str, model_label: str, arg: str = "pk"):
    """A detail page of the world's sample ``w.<attr>`` (its ``arg`` in the URL), against its row."""
    return Page(
        name,
        actor,
        _kind(actor),
        lambda w: reverse(url_name, args=[getattr(getattr(w, attr), arg)]),
        _pk_of(attr, model_label),
        needs=(model_label,),
    )


PAGES: list[Page] = [
    # ---------------------------------------------------------------- public: core, centers
    Page("home", None, "public", lambda w: reverse("core:home"), _home),
    Page(
        "center_list",
        None,
        "public",
        lambda w: reverse("centers:list"),
        _center_list,
        few_path=lambda w: f"{reverse('centers:list')}?q={w.quiet_center.name}",
    ),
    Page(
        "center_detail",
        None,
        "public",
        lambda w: w.center.get_absolute_url(),
        _center_detail,
        few_path=lambda w: w.quiet_center.get_absolute_url(),
    ),
    Page(
        "activity_list",
        None,
        "public",
        lambda w: reverse("centers:activity_list"),
        lambda w: _ids(_upcoming(w)),
        few_path=lambda w: f"{reverse('centers:activity_list')}?date_from={w.last_activity_day}",
    ),
    Page("activity_week", None, "public", lambda w: reverse("centers:week"), _week),
    Page(
        "activity_detail",
        None,
        "public",
        lambda w: w.activity.get_absolute_url(),
        _activity_detail,
        few_path=lambda w: w.empty_activity.get_absolute_url(),
    ),
    # ---------------------------------------------------------------- public: the other apps
    Page(
        "organization_list",
        None,
        "public",
        lambda w: reverse("orgs:list"),
        _selector_ids("orgs.selectors.list_public_organizations"),
        few_path=lambda w: f"{reverse('orgs:list')}?q={w.organization.name}",
        needs=("orgs.Organization",),
    ),
    Page(
        "organization_detail",
        None,
        "public",
        _object("organization"),
        _pk_of("organization", "orgs.Organization"),
        needs=("orgs.Organization",),
    ),
    _listing(
        "grant_list",
        None,
        "orgs:grant_list",
        "orgs.selectors.list_public_grant_calls",
        "orgs.GrantCall",
        n=100,
    ),
    _listing(
        "volunteers_index",
        None,
        "volunteers:index",
        "volunteers.selectors.list_teams",
        "volunteers.Team",
        n=30,
    ),
    _detail("team_detail", None, "volunteers:team_detail", "team", "volunteers.Team"),
    _detail("duty_detail", None, "volunteers:duty_detail", "duty", "volunteers.Duty"),
    _listing(
        "shop_list", None, "volunteers:shop_list", "volunteers.selectors.list_shops", "volunteers.Shop", n=30
    ),
    _detail("shop_detail", None, "volunteers:shop_detail", "shop", "volunteers.Shop"),
    _listing(
        "collection_sites",
        None,
        "dispatch:site_list",
        "dispatch.selectors.list_public_sites",
        "dispatch.CollectionSite",
        n=1000,
    ),
    _detail(
        "request_status",
        None,
        "dispatch:status",
        "service_request",
        "dispatch.ServiceRequest",
        arg="public_id",
    ),
    _listing(
        "meeting_list",
        None,
        "deliberation:list",
        "deliberation.selectors.list_public_meetings",
        "deliberation.Meeting",
    ),
    _detail("meeting_detail", None, "deliberation:detail", "meeting", "deliberation.Meeting"),
    # ---------------------------------------------------------------- signed in
    Page(
        "activity_list",
        "resident",
        "signed-in",
        lambda w: reverse("centers:activity_list"),
        lambda w: _ids(_upcoming(w)),
        few_path=lambda w: f"{reverse('centers:activity_list')}?date_from={w.last_activity_day}",
    ),
    Page(
        "activity_detail",
        "resident",
        "signed-in",
        lambda w: w.activity.get_absolute_url(),
        _activity_detail,
        few_path=lambda w: w.empty_activity.get_absolute_url(),
    ),
    Page("me", "resident", "signed-in", lambda w: reverse("core:me"), _my_signups),
    _listing("me", "volunteer", "core:me", "centers.selectors.list_my_signups", "volunteers.Volunteer"),
    Page(
        "my_volunteering",
        "volunteer",
        "signed-in",
        lambda w: reverse("volunteers:me"),
        _my_redemptions,
        needs=("volunteers.Volunteer",),
    ),
    Page(
        "my_volunteer_records",
        "volunteer",
        "signed-in",
        lambda w: reverse("volunteers:my_records"),
        _my_hour_records,
        needs=("volunteers.Volunteer",),
    ),
    _detail("shop_detail", "volunteer", "volunteers:shop_detail", "shop", "volunteers.Shop"),
    _listing(
        "task_list",
        "volunteer",
        "dispatch:task_list",
        "dispatch.selectors.list_my_tasks",
        "dispatch.Assignment",
        n=50,
    ),
    _listing(
        "request_desk",
        "worker",
        "dispatch:desk",
        "dispatch.selectors.list_desk_requests",
        "dispatch.ServiceRequest",
        n=30,
    ),
    _detail(
        "request_desk_detail", "worker", "dispatch:desk_detail", "service_request", "dispatch.ServiceRequest"
    ),
    Page(
        "request_assign",
        "worker",
        "signed-in",
        lambda w: reverse("dispatch:desk_assign", args=[w.service_request.pk]),
        _assign_candidates,
        needs=("dispatch.ServiceRequest",),
    ),
    _listing(
        "supplies",
        "worker",
        "dispatch:supply_list",
        "dispatch.selectors.list_supply_entries",
        "dispatch.SupplyEntry",
        n=50,
    ),
    _listing(
        "mobilisations",
        "worker",
        "dispatch:mobilisation_list",
        "dispatch.selectors.list_mobilisations",
        "dispatch.Mobilisation",
    ),
    _listing(
        "care_overview", "worker", "care:overview", "care.selectors.visible_recipients", "care.Recipient"
    ),
    _detail("care_timeline", "worker", "care:timeline", "recipient", "care.Recipient"),
    _listing(
        "contracts",
        "worker",
        "orgs:contract_list",
        "orgs.selectors.list_contracts",
        "orgs.ServiceContract",
        n=200,
    ),
    _listing(
        "meetings_manage",
        "worker",
        "deliberation:manage_list",
        "deliberation.selectors.list_meetings_for",
        "deliberation.Meeting",
        n=100,
    ),
    _listing(
        "mediation_cases",
        "worker",
        "deliberation:mediation_list",
        "deliberation.selectors.list_cases_for",
        "deliberation.MediationCase",
        n=200,
    ),
    _listing("reports", "street", "reports:index", "reports.selectors.list_reports", "reports.Report"),
    _detail("report_detail", "street", "reports:detail", "report", "reports.Report"),
    _listing(
        "report_dashboard", "street", "reports:dashboard", "reports.selectors.list_reports", "reports.Report"
    ),
    # ---------------------------------------------------------------- admin changelists
    _admin("centers.Activity", "worker"),
    _admin("centers.Signup", "worker"),
    _admin("care.Recipient", "worker"),
    _admin("care.Visit", "worker"),
    _admin("volunteers.Volunteer", "worker"),
    _admin("volunteers.HourRecord", "worker"),
    _admin("volunteers.LedgerEntry", "worker"),
    _admin("dispatch.ServiceRequest", "worker"),
    _admin("orgs.Organization", "district"),
    _admin("core.User", "district"),
]


def page_key(page: Page) -> str:
    return f"{page.name}@{page.actor or 'anonymous'}"


def available(page: Page, world: World) -> tuple[bool, str]:
    """Whether the page can be measured here (its app has landed), and why not."""
    from django.apps import apps

    for need in page.needs:
        try:
            if "." in need:
                apps.get_model(need)
            else:
                apps.get_app_config(need)
        except LookupError:
            return False, f"{need} has not landed"
    try:
        page.path(world)
    except NoReverseMatch as exc:
        return False, f"no URL ({exc.args[0][:60]})"
    except (LookupError, AttributeError) as exc:  # ObjectDoesNotExist is a LookupError
        return False, f"no sample row ({exc})"
    return True, ""


def by_key() -> dict[str, Page]:
    return {page_key(p): p for p in PAGES}
