"""Public and volunteer pages. Thin: forms in, services for writes, selectors for reads."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core import access
from core.models import Center

from . import selectors, services
from .forms import CheckCodeForm, HourReportForm, JoinTeamForm, PickupForm, RedeemForm, VolunteerForm
from .models import Availability, Duty, DutySignup, Redemption, Shop, ShopItem, Team

ME_URL = "volunteers:me"
SHOWN = 20  # rows of each list on "my volunteering" and its history page


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _add_errors(form, error: ValidationError, default_field: str | None = None) -> None:
    """Put a service's ValidationError next to the fields it names (or at the top of the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else default_field, errors)
    else:
        form.add_error(default_field, error)


def _to_registration(request: HttpRequest) -> HttpResponse:
    """The registration form, coming back to this page once registered."""
    return redirect(f"{reverse('volunteers:register')}?next={request.path}")


def volunteer_required(view):
    """Signed in and registered as a volunteer; otherwise off to the registration form."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs):
        volunteer = selectors.get_volunteer(request.user)
        if volunteer is None or not volunteer.is_active:
            messages.info(request, _("Register as a volunteer first; it takes a minute."))
            return _to_registration(request)
        request.volunteer = volunteer
        return view(request, *args, **kwargs)

    return wrapper


def index(request: HttpRequest) -> HttpResponse:
    """Teams and open duties, for everyone."""
    center = None
    if request.GET.get("center"):
        center = Center.objects.filter(slug=request.GET["center"], is_active=True).first()
    page = Paginator(selectors.list_teams(center=center), 30).get_page(request.GET.get("page"))
    duties = selectors.open_duties()
    if center is not None:
        duties = duties.filter(center=center)
    return render(
        request,
        "volunteers/index.html",
        {
            "teams": page,
            "duties": duties[:20],
            "center": center,
            "honours": selectors.list_recent_honours(),
            "volunteer": selectors.get_volunteer(request.user),
        },
    )


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """Register as a volunteer, or update the registration."""
    volunteer = selectors.get_volunteer(request.user)
    if volunteer is not None:
        initial = {  # two more queries, for this form only
            "real_name": request.user.real_name,
            "center": volunteer.center,
            "communities": list(volunteer.communities.all()),
            "skills": list(volunteer.skills.all()),
            "availability": volunteer.availability_codes,
            "consent": True,
        }
    else:
        initial = {"real_name": request.user.real_name, "availability": [Availability.WEEKEND]}
    form = VolunteerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.register_volunteer(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if volunteer is None:
                messages.success(request, _("Welcome! You are registered as a volunteer. Now join a team."))
            else:
                messages.success(request, _("Your volunteer details are saved."))
            target = request.GET.get("next", "")
            return redirect(target if target.startswith("/volunteers/") else reverse("volunteers:index"))
    return render(request, "volunteers/volunteer_form.html", {"form": form, "volunteer": volunteer})


def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_object_or_404(selectors.list_teams(), pk=pk)
    volunteer = selectors.get_volunteer(request.user)
    return render(
        request,
        "volunteers/team_detail.html",
        {
            "team": team,
            "duties": selectors.open_duties().filter(team=team)[:20],
            "honours": team.honours.all()[:5],
            "membership": selectors.membership_of(volunteer=volunteer, team=team),
            "volunteer": volunteer,
            "join_form": JoinTeamForm(),
        },
    )


@require_POST
@volunteer_required
def team_join(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_object_or_404(Team, pk=pk)
    form = JoinTeamForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    try:
        membership = services.request_membership(volunteer=request.volunteer, team=team, message=message)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        if membership.status == membership.Status.APPROVED:
            messages.info(request, _("You are already a member of %(team)s.") % {"team": team})
        else:
            messages.success(
                request,
                _("Request sent. %(leader)s, the team's leader, will answer.") % {"leader": team.leader},
            )
    return redirect(team.get_absolute_url())


def _duty_context(request: HttpRequest, duty: Duty, **extra) -> dict:
    volunteer = selectors.get_volunteer(request.user)
    signup = selectors.signup_of(volunteer=volunteer, duty=duty)
    return {
        "duty": duty,
        "volunteer": volunteer,
        "signup": signup,
        "is_member": duty.team is None or selectors.is_member(volunteer=volunteer, team=duty.team),
        "check_form": CheckCodeForm(),
        **extra,
    }


def duty_detail(request: HttpRequest, pk: int) -> HttpResponse:
    duty = get_object_or_404(
        Duty.objects.exclude(status=Duty.Status.CANCELLED).select_related("center"), pk=pk
    )
    duty = selectors.get_duty(duty.pk)
    return render(request, "volunteers/duty_detail.html", _duty_context(request, duty))


@require_POST
@volunteer_required
def duty_signup(request: HttpRequest, pk: int) -> HttpResponse:
    duty = get_object_or_404(Duty, pk=pk)
    try:
        services.sign_up_for_duty(duty=duty, volunteer=request.volunteer)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("You are signed up. At the site, check in with the code shown there."))
    return redirect(duty.get_absolute_url())


@require_POST
@volunteer_required
def duty_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    signup = get_object_or_404(DutySignup, duty_id=pk, volunteer=request.volunteer)
    try:
        services.cancel_duty_signup(signup=signup)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Your sign-up is cancelled."))
    return redirect(signup.duty.get_absolute_url())


@require_POST
@volunteer_required
def duty_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Check in, then (the second time) check out, with the code shown at the site."""
    signup = get_object_or_404(
        DutySignup.objects.select_related("duty"), duty_id=pk, volunteer=request.volunteer
    )
    form = CheckCodeForm(request.POST)
    if form.is_valid():
        code = form.cleaned_data["code"]
        try:
            if signup.status == DutySignup.Status.SIGNED_UP:
                services.check_in(signup=signup, code=code)
                messages.success(
                    request,
                    _("Checked in. Thank you for coming! Check out with the same code when you leave."),
                )
            else:
                record = services.check_out(signup=signup, code=code)
                if record is None:
                    messages.warning(
                        request,
                        _("Checked out. Less than a quarter hour was served, so no hours were recorded."),
                    )
                else:
                    messages.success(
                        request,
                        _("Checked out: %(hours)s hours recorded, waiting for the leader's verification.")
                        % {"hours": record.hours},
                    )
            return redirect(signup.duty.get_absolute_url())
        except ValidationError as error:
            _add_errors(form, error, default_field="code")
    duty = selectors.get_duty(pk)
    return render(request, "volunteers/duty_detail.html", _duty_context(request, duty, check_form=form))


@login_required
@never_cache
def my_volunteering(request: HttpRequest) -> HttpResponse:
    """My volunteering: hours, points, redemptions with their pickup codes, duties and teams."""
    volunteer = selectors.get_volunteer_with_summary(request.user)
    if volunteer is None:
        return _to_registration(request)
    return render(
        request,
        "volunteers/my_volunteering.html",
        {
            "volunteer": volunteer,
            "summary": selectors.summarize(volunteer=volunteer),
            "redemptions": list(selectors.my_redemptions(volunteer=volunteer, limit=SHOWN)),
            "signups": list(selectors.my_upcoming_signups(volunteer=volunteer, limit=SHOWN)),
            "memberships": list(selectors.my_memberships(volunteer=volunteer)[:SHOWN]),
        },
    )


@login_required
@never_cache
def my_records(request: HttpRequest) -> HttpResponse:
    """My latest service hours, points entries, honours and certificates."""
    volunteer = selectors.get_volunteer(request.user)
    if volunteer is None:
        return _to_registration(request)
    return render(
        request,
        "volunteers/my_records.html",
        {
            "shown": SHOWN,
            "records": list(selectors.my_hour_records(volunteer=volunteer, limit=SHOWN)),
            "ledger": list(selectors.my_ledger(volunteer=volunteer, limit=SHOWN)),
            "honours_and_certificates": selectors.my_honours_and_certificates(
                volunteer=volunteer, limit=SHOWN
            ),
        },
    )


@volunteer_required
def hours_report(request: HttpRequest) -> HttpResponse:
    """A volunteer reports hours served for one of their teams."""
    teams = selectors.approved_teams(volunteer=request.volunteer)
    form = HourReportForm(request.POST or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_hours(volunteer=request.volunteer, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Hours reported; the team's leader will verify them."))
            return redirect(ME_URL)
    return render(request, "volunteers/hourrecord_form.html", {"form": form, "has_teams": teams.exists()})


@require_POST
@volunteer_required
def certificate_create(request: HttpRequest) -> HttpResponse:
    try:
        certificate = services.issue_certificate(volunteer=request.volunteer)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(ME_URL)
    return redirect(certificate.get_absolute_url())


@login_required
@never_cache
def certificate_detail(request: HttpRequest, number: str) -> HttpResponse:
    """The printable certificate: for its volunteer and the staff of the issuing center."""
    try:
        certificate = selectors.get_certificate(number)
    except selectors.Certificate.DoesNotExist:
        raise Http404 from None
    if certificate.volunteer.user_id != request.user.pk and not access.can(request.user, "view", certificate):
        raise Http404
    return render(request, "volunteers/certificate_detail.html", {"certificate": certificate})


def shop_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.list_shops(), 30).get_page(request.GET.get("page"))
    return render(request, "volunteers/shop_list.html", {"shops": page})


def shop_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The catalogue of one shop, by counter, with the volunteer's balance and redeem buttons."""
    try:
        shop = selectors.get_shop(pk)
    except Shop.DoesNotExist:
        raise Http404 from None
    volunteer = selectors.get_volunteer(request.user)
    return render(
        request,
        "volunteers/shop_detail.html",
        {
            "shop": shop,
            "counters": selectors.counters_of(shop),
            "volunteer": volunteer,
            "balance": volunteer.point_account.balance
            if volunteer and hasattr(volunteer, "point_account")
            else None,
            "may_keep": services.may_keep(user=request.user, shop=shop),
        },
    )


@require_POST
@volunteer_required
def redeem(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(ShopItem.objects.select_related("shop"), pk=pk)
    form = RedeemForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["quantity"]))
        return redirect(item.shop.get_absolute_url())
    try:
        redemption = services.redeem_item(
            volunteer=request.volunteer, item=item, quantity=form.cleaned_data["quantity"]
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(f"{item.shop.get_absolute_url()}#item-{item.pk}")
    messages.success(
        request,
        _("Redeemed %(item)s × %(quantity)s for %(points)s points. Your pickup code is %(code)s.")
        % {
            "item": item.name,
            "quantity": redemption.quantity,
            "points": redemption.points,
            "code": redemption.code,
        },
    )
    return redirect(f"{reverse(ME_URL)}#redemptions")


@require_POST
@volunteer_required
def redemption_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    redemption = get_object_or_404(
        Redemption.objects.select_related("volunteer", "item"), pk=pk, volunteer=request.volunteer
    )
    try:
        services.cancel_redemption(redemption=redemption, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("Cancelled: %(points)s points and %(item)s are back.")
            % {"points": redemption.points, "item": redemption.item.name},
        )
    return redirect(f"{reverse(ME_URL)}#redemptions")


@login_required
@never_cache
def pickup(request: HttpRequest, pk: int) -> HttpResponse:
    """The shop keeper's page: enter the volunteer's code, hand over the goods."""
    shop = get_object_or_404(Shop.objects.select_related("center"), pk=pk)
    if not services.may_keep(user=request.user, shop=shop):
        raise Http404
    form = PickupForm(request.POST or None)
    fulfilled = None
    if request.method == "POST" and form.is_valid():
        try:
            fulfilled = services.fulfil_redemption(shop=shop, code=form.cleaned_data["code"], by=request.user)
        except ValidationError as error:
            _add_errors(form, error, default_field="code")
        except PermissionDenied:
            raise Http404 from None
        else:
            form = PickupForm()
    waiting = selectors.waiting_pickups(shop=shop)
    return render(
        request,
        "volunteers/pickup.html",
        {"shop": shop, "form": form, "fulfilled": fulfilled, "waiting": waiting},
    )
