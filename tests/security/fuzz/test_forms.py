"""Hypothesis on every public and resident form: validating never raises, POSTing the example to
the real view as its user is never a server error, and a refused form shows its errors with what
was typed still in it.

Staff forms are fuzzed with malformed POSTs as staff (test_raw_posts); FORMS and STAFF_FORMS
together name every form class of the portal, so a new form must be placed in one of them.
"""

import html
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django import forms
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument, ResolutionFailed
from hypothesis.extra.django import from_field, from_form

from tests.test_url_matrix import ROWS

from .conftest import FUZZ_PROFILE
from .payloads import project_form_classes
from .targets import HOSTILE_VALUES

ROWS_BY_NAME = {row.name: row for row in ROWS}
TEXTS = [v for v in HOSTILE_VALUES if "\x00" not in v]


@dataclass
class FormCase:
    form: str  # dotted path of the form class
    url: str  # URL name; arguments come from the role x URL matrix row
    actor: str
    kwargs: Callable = field(default=lambda world, user: {})  # (world, user) -> form kwargs
    from_page: bool = False  # the view builds the form (allauth): its fields are read from the page
    prepare: Callable | None = None  # (client, path) -> None, e.g. the session a step needs

    @property
    def id(self) -> str:
        return f"{self.form.rsplit('.', 1)[-1]}@{self.url}-{self.actor}"


def _activity_kwargs(world, user):
    from centers.models import Activity

    return {"activity": Activity.objects.order_by("pk").first(), "user": user}


def _teams(world, user):
    from volunteers import selectors

    return {"teams": selectors.approved_teams(volunteer=selectors.get_volunteer(user))}


def _pending_in_session(client, path: str) -> None:
    """The SMS-code step is open only to the browser that filed the draft."""
    from dispatch.views.residents import PENDING_SESSION_KEY

    session = client.session
    session[PENDING_SESSION_KEY] = path.rstrip("/").rsplit("/", 1)[-1]
    session.save()


ALLAUTH = "allauth.account.forms."
FORMS = [
    FormCase("core.forms.SignupForm", "account_signup", "anonymous", from_page=True),
    FormCase(ALLAUTH + "LoginForm", "account_login", "anonymous", from_page=True),
    FormCase(ALLAUTH + "ResetPasswordForm", "account_reset_password", "anonymous", from_page=True),
    FormCase(ALLAUTH + "ChangePasswordForm", "account_change_password", "resident", from_page=True),
    FormCase(ALLAUTH + "ChangePhoneForm", "account_change_phone", "resident", from_page=True),
    FormCase("core.forms.ErasureForm", "core:my_data", "resident", lambda w, u: {"user": u}),
    FormCase("centers.forms.SignupForm", "centers:signup", "resident", _activity_kwargs),
    FormCase("centers.forms.ChildForm", "centers:children", "resident", lambda w, u: {"guardian": u}),
    FormCase("volunteers.forms.VolunteerForm", "volunteers:register", "resident"),
    FormCase("volunteers.forms.JoinTeamForm", "volunteers:team_join", "volunteer"),
    FormCase("volunteers.forms.CheckCodeForm", "volunteers:duty_check", "volunteer"),
    FormCase("volunteers.forms.HourReportForm", "volunteers:hours_report", "volunteer", _teams),
    FormCase("volunteers.forms.RedeemForm", "volunteers:redeem", "volunteer"),
    FormCase("dispatch.forms.RequestForm", "dispatch:create", "anonymous"),
    FormCase("dispatch.forms.RequestForm", "dispatch:create", "resident", lambda w, u: {"user": u}),
    FormCase("dispatch.forms.CodeForm", "dispatch:confirm", "anonymous", prepare=_pending_in_session),
    FormCase("dispatch.forms.FeedbackForm", "dispatch:rate", "resident"),
    FormCase("dispatch.forms.AnswerForm", "dispatch:task_answer", "volunteer"),
    FormCase("dispatch.forms.StatusForm", "dispatch:task_status", "volunteer"),
    FormCase("dispatch.forms.CallAnswerForm", "dispatch:call_answer", "volunteer"),
    FormCase("deliberation.forms.ObjectionForm", "deliberation:object", "resident"),
]

# Forms only staff fill in (the admin, the dispatch desk, the organizer's workbench, reports), and
# forms whose page is fuzzed otherwise: why each is not in FORMS.
STAFF_FORMS = {
    "core.forms.CenterAdminForm": "admin (the center photo; uploads are checked in tests/security/data)",
    "centers.forms.ActivityAdminForm": "admin",
    "centers.forms.ActivitySeriesAdminForm": "admin",
    "centers.forms.BookingAdminForm": "admin",
    "centers.forms.PhotoAdminForm": "admin",
    "centers.forms.CheckInCodeForm": "admin roll call",
    "centers.forms.OnBehalfForm": "admin roll call",
    "centers.forms.CollectionForm": "admin roll call",
    "orgs.forms.StageMoveForm": "staff",
    "orgs.forms.ImportForm": "staff",
    "orgs.forms.ReportMonthForm": "staff contract page; its query string is fuzzed in test_query_strings",
    "orgs.forms.OrganizationAdminForm": "admin",
    "volunteers.forms.PickupForm": "the shop keeper's page (staff of the shop's center)",
    "dispatch.forms.StaffRequestForm": "dispatch desk",
    "dispatch.forms.StaffFeedbackForm": "dispatch desk",
    "dispatch.forms.AssignForm": "dispatch desk",
    "dispatch.forms.SupplyForm": "dispatch desk",
    "dispatch.forms.MobilisationForm": "dispatch desk",
    "care.forms.RecipientAdminForm": "admin",
    "care.forms.VisitAdminForm": "admin",
    "care.forms.ReferralAdminForm": "admin",
    "care.forms.ConsentAdminForm": "admin",
    "care.forms.ExportForm": "staff",
    "reports.forms.GenerateReportForm": "staff",
    "reports.forms.DashboardForm": "staff; its query string is fuzzed in test_query_strings",
}
STAFF_FORM_PREFIXES = ("deliberation.forms.",)  # the organizer's workbench and mediation, all staff
PUBLIC_DELIBERATION_FORMS = {"deliberation.forms.ObjectionForm"}


def _dotted(form_class) -> str:
    return f"{form_class.__module__}.{form_class.__name__}"


def test_every_form_of_the_portal_is_fuzzed_or_named_as_staff():
    fuzzed = {case.form for case in FORMS}
    unplaced = [
        name
        for name in map(_dotted, project_form_classes())
        if name not in fuzzed
        and name not in STAFF_FORMS
        and not (name.startswith(STAFF_FORM_PREFIXES) and name not in PUBLIC_DELIBERATION_FORMS)
    ]
    assert not unplaced, f"Forms neither fuzzed (FORMS) nor named as staff forms (STAFF_FORMS): {unplaced}"


def _import(dotted: str):
    module, name = dotted.rsplit(".", 1)
    return getattr(__import__(module, fromlist=[name]), name)


def _field_strategy(form_field: forms.Field) -> st.SearchStrategy:
    """What from_form would infer, or hostile text and wrong types instead."""
    if isinstance(form_field, forms.ModelChoiceField) and not form_field.queryset.exists():
        inferred = st.nothing()  # nothing to choose from: Hypothesis cannot sample an empty list
    else:
        try:
            inferred = from_field(form_field)
        except (ResolutionFailed, InvalidArgument, TypeError):
            inferred = st.nothing()
    return st.one_of(inferred, st.sampled_from(TEXTS), st.text(max_size=40))


def _path(world, name: str) -> str:
    """Made once per world: the matrix rows create the objects behind the URL."""
    paths = world.__dict__.setdefault("_fuzz_paths", {})
    if name not in paths:
        row = ROWS_BY_NAME.get(name)
        paths[name] = reverse(name, kwargs=row.kwargs(world, "own") if row and row.kwargs else None)
    return paths[name]


def _forms_in(response, form_class) -> list[forms.BaseForm]:
    found = []
    for context in response.context or []:
        for layer in getattr(context, "dicts", []):
            found += [v for v in layer.values() if isinstance(v, form_class) and v.is_bound]
    return found


def _shows_errors_and_keeps_input(response, form_class) -> list[str]:
    if response.status_code not in (200, 400) or "text/html" not in response.get("Content-Type", ""):
        return []  # a redirect after success, or a message on the next page
    page = html.unescape(response.content.decode())
    problems = []
    for form in _forms_in(response, form_class):
        for name, errors in form.errors.items():
            problems += [f"error of {name} not shown: {e}" for e in errors if e not in page]
        if not form.errors:
            continue
        for name, bound in form.fields.items():
            value = form.data.get(name)
            widget = bound.widget
            if (
                isinstance(value, str)
                and value.strip()
                and not isinstance(bound, forms.ChoiceField | forms.FileField | forms.BooleanField)
                and not isinstance(widget, forms.PasswordInput | forms.HiddenInput)
                and value not in page
            ):
                problems.append(f"{name}: what was typed is gone ({value[:40]!r})")
    return problems


def _sign_in(client, world, actor: str):
    """Sign in once per world; again only when a form signed the user out (closing the account)."""
    if actor == "anonymous":
        return None
    user = world.user(actor)
    if client.session.get("_auth_user_id") != str(user.pk):
        client.force_login(user)
    return user


def _unbound_from_page(client, world, case: FormCase, path: str) -> forms.BaseForm:
    """The form as the view builds it (allauth passes the request), read once per world."""
    pages = world.__dict__.setdefault("_fuzz_pages", {})
    if case.url not in pages:
        pages[case.url] = client.get(path).context["form"]
    return pages[case.url]


@pytest.mark.parametrize("case", FORMS, ids=[case.id for case in FORMS])
@settings(settings.get_profile(FUZZ_PROFILE))
@given(data=st.data())
def test_fuzzed_form_never_breaks_its_page(case, world, client, data):
    path = _path(world, case.url)
    user = _sign_in(client, world, case.actor)
    if case.prepare is not None:
        case.prepare(client, path)
    if case.from_page:
        unbound = _unbound_from_page(client, world, case, path)
        assert _dotted(type(unbound)) == case.form
        strategies = {name: _field_strategy(f) for name, f in unbound.fields.items()}
        post = data.draw(st.fixed_dictionaries(strategies))
        form_class = type(unbound)
    else:
        form_class = _import(case.form)
        kwargs = case.kwargs(world, user)
        unbound = form_class(**kwargs)
        strategies = {name: _field_strategy(f) for name, f in unbound.fields.items()}
        form = data.draw(from_form(form_class, form_kwargs=kwargs, **strategies))
        form.is_valid()  # must not raise, whatever was drawn
        post = form.data
    post = {k: v for k, v in post.items() if v is not None}
    response = client.post(path, post)
    assert response.status_code < 500
    problems = _shows_errors_and_keeps_input(response, form_class)
    assert not problems, f"POST {path} {post!r}: " + "; ".join(problems)
