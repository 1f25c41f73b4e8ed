"""The work desk for team leaders and shop keepers, scoped to their centers by core.access.

Changes of state (approve, verify, dispute, check in/out, fulfil, cancel, adjust) are admin
actions or add forms that call the services, so the admin never bypasses the ledger's rules.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from core import access
from core.admin_scoping import ScopedAdmin, ScopedInline
from core.models import Role, User

from . import services
from .models import (
    Category,
    CategoryWeight,
    Certificate,
    Duty,
    DutySignup,
    Honour,
    HourRecord,
    LedgerEntry,
    Membership,
    PointAccount,
    PointRule,
    Redemption,
    Shop,
    ShopItem,
    Skill,
    Team,
    Volunteer,
)


def _run(modeladmin, request, queryset, service, done_message, **kwargs) -> None:
    """Call ``service`` for each selected row; report successes and each refusal in Chinese."""
    done = 0
    for obj in queryset:
        try:
            service(obj, **kwargs)
            done += 1
        except (ValidationError, PermissionDenied) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            modeladmin.message_user(request, f"{obj}: {text}", messages.ERROR)
    if done:
        modeladmin.message_user(request, done_message % {"count": done}, messages.SUCCESS)


def _visible_center_ids(request) -> set[int] | None:
    """None for district-wide users, else the ids of the centers the user works in."""
    if access.is_district_wide(request.user):
        return None
    return access.center_ids(request.user)


def _volunteers_for(request):
    """Volunteers a leader may pick: registered at their centers or members of their centers' teams."""
    ids = _visible_center_ids(request)
    volunteers = Volunteer.objects.select_related("user")
    if ids is None:
        return volunteers
    return volunteers.filter(
        Q(center__in=ids)
        | Q(memberships__team__center__in=ids, memberships__status=Membership.Status.APPROVED)
    ).distinct()


# ------------------------------------------------------------------ people
@admin.register(Skill)
class SkillAdmin(ScopedAdmin):
    search_fields = ["name"]


class MembershipInline(ScopedInline):
    model = Membership
    fields = ["volunteer", "status", "message", "requested_at", "decided_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Volunteer)
class VolunteerAdmin(ScopedAdmin):
    addable = False  # residents register themselves, with consent
    list_display = ["name", "phone", "center", "balance", "registered_at", "is_active"]
    list_filter = ["is_active", ("center", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["user", "center"]
    search_fields = ["user__real_name", "=user__phone"]  # a whole number: the list masks them
    fields = [
        "user",
        "center",
        "communities",
        "skills",
        "availability",
        "consented_at",
        "registered_at",
        "is_active",
    ]
    readonly_fields = ["user", "consented_at", "registered_at"]
    filter_horizontal = ["communities", "skills"]
    inlines = [MembershipInline]

    @admin.display(description=_("real name"), ordering="user__real_name")
    def name(self, obj):
        return obj.user.real_name or str(obj.user)

    @admin.display(description=_("mobile number"))
    def phone(self, obj):
        return obj.user.masked_phone

    def get_queryset(self, request):
        # The balance as a subquery for the rows shown, not a join: joined, PostgreSQL reads every
        # point account to match a center's volunteers.
        balance = PointAccount.objects.filter(volunteer=OuterRef("pk")).values("balance")[:1]
        return super().get_queryset(request).annotate(points=Subquery(balance))

    @admin.display(description=_("points"))
    def balance(self, obj):
        return obj.points or 0

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "skills":
            kwargs["queryset"] = Skill.objects.all()  # a district-wide list every leader may use
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["center", "name", "leader", "description", "is_open"]

    def clean(self):
        data = super().clean()
        center, leader = data.get("center"), data.get("leader")
        if center and leader and not leader.roles.filter(role=Role.SOCIAL_WORKER, center=center).exists():
            self.add_error("leader", _("The leader must be a social worker of the team's center."))
        return data


@admin.register(Team)
class TeamAdmin(ScopedAdmin):
    form = TeamForm
    list_display = ["name", "center", "leader", "members", "is_open"]
    list_filter = ["is_open", ("center", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["center", "leader"]
    search_fields = ["name"]
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                member_count=Count("memberships", filter=Q(memberships__status=Membership.Status.APPROVED))
            )
        )

    @admin.display(description=_("members"), ordering="member_count")
    def members(self, obj):
        return obj.member_count

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "leader":
            workers = User.objects.filter(roles__role=Role.SOCIAL_WORKER)
            ids = _visible_center_ids(request)
            if ids is not None:
                workers = workers.filter(roles__center__in=ids)
            kwargs["queryset"] = workers.distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    addable = False  # asked for by the volunteer, decided by the leader
    list_display = ["volunteer", "team", "status", "message", "requested_at", "decided_by"]
    list_filter = ["status", ("team", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["volunteer__user", "team", "decided_by"]
    search_fields = ["volunteer__user__real_name", "team__name"]
    readonly_fields = ["team", "volunteer", "status", "message", "requested_at", "decided_at", "decided_by"]
    actions = ["approve", "decline"]

    @admin.action(description=_("Approve the selected requests"), permissions=["change"])
    def approve(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda m: services.decide_membership(membership=m, approve=True, by=request.user),
            _("%(count)s requests approved."),
        )

    @admin.action(description=_("Decline the selected requests"), permissions=["change"])
    def decline(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda m: services.decide_membership(membership=m, approve=False, by=request.user),
            _("%(count)s requests declined."),
        )


@admin.register(Honour)
class HonourAdmin(ScopedAdmin):
    list_display = ["title", "volunteer", "team", "center", "awarded_on"]
    list_filter = [("center", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["volunteer__user", "team", "center"]
    autocomplete_fields: list[str] = []
    date_hierarchy = "awarded_on"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "volunteer":
            kwargs["queryset"] = _volunteers_for(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# ------------------------------------------------------------------ duties and hours
class DutySignupInline(ScopedInline):
    model = DutySignup
    fields = ["volunteer", "status", "checked_in_at", "checked_out_at", "checked_in_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class DutyForm(forms.ModelForm):
    class Meta:
        model = Duty
        fields = [
            "center", "team", "activity", "title", "category", "description", "location", "starts_at", "ends_at",
            "slots", "status",
        ]  # fmt: skip

    def clean(self):
        data = super().clean()
        team, activity, center = data.get("team"), data.get("activity"), data.get("center")
        if team and center and team.center_id != center.pk:
            self.add_error("team", _("The team belongs to another center."))
        if activity and center and activity.center_id != center.pk:
            self.add_error("activity", _("The activity belongs to another center."))
        if not team and not activity:
            self.add_error("team", _("A duty belongs to a team or an activity."))
        return data


@admin.register(Duty)
class DutyAdmin(ScopedAdmin):
    form = DutyForm
    list_display = ["title", "center", "team", "starts_at", "slots", "taken", "status", "check_in_code"]
    list_filter = ["status", "category", ("center", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["center", "team"]
    search_fields = ["title"]
    date_hierarchy = "starts_at"
    readonly_fields = ["check_in_code"]
    autocomplete_fields = ["activity"]
    inlines = [DutySignupInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(taken_count=Count("signups", filter=~Q(signups__status=DutySignup.Status.CANCELLED)))
        )

    @admin.display(description=_("signed up"), ordering="taken_count")
    def taken(self, obj):
        return obj.taken_count

    def save_model(self, request, obj, form, change):
        if not change:
            obj.check_in_code = services.hours.new_check_in_code()
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(DutySignup)
class DutySignupAdmin(ScopedAdmin):
    addable = False  # volunteers sign up on the duty page
    list_display = ["volunteer", "duty", "status", "checked_in_at", "checked_out_at", "checked_in_by"]
    list_filter = ["status"]
    list_select_related = ["volunteer__user", "duty", "checked_in_by"]
    search_fields = ["volunteer__user__real_name", "duty__title"]
    readonly_fields = [
        "duty",
        "volunteer",
        "status",
        "signed_up_at",
        "checked_in_at",
        "checked_out_at",
        "checked_in_by",
    ]
    actions = ["check_in", "check_out"]

    @admin.action(description=_("Check in the selected volunteers"), permissions=["change"])
    def check_in(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda s: services.check_in(signup=s, by=request.user),
            _("%(count)s checked in."),
        )

    @admin.action(
        description=_("Check out the selected volunteers (records their hours)"), permissions=["change"]
    )
    def check_out(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda s: services.check_out(signup=s, by=request.user),
            _("%(count)s checked out."),
        )


class CategoryFilter(admin.SimpleListFilter):
    title = _("category")
    parameter_name = "category"

    def lookups(self, request, model_admin):
        return weight_categories()

    def queryset(self, request, queryset):
        return queryset.filter(category=self.value()) if self.value() else queryset


class ReviewActionForm(ActionForm):
    note = forms.CharField(label=_("Reason (needed to dispute)"), required=False, max_length=300)


class HourRecordForm(forms.ModelForm):
    class Meta:
        model = HourRecord
        fields = ["volunteer", "team", "duty", "center", "served_on", "hours", "category", "description"]
        widgets = {"category": forms.Select(choices=Category.choices)}  # extended in __init__

    request = None  # set by HourRecordAdmin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "category" in self.fields:
            self.fields["category"].widget = forms.Select(choices=weight_categories())
        if "center" in self.fields:
            self.fields["center"].required = False
            self.fields["center"].help_text = _("Only needed without a team or a duty.")

    def clean(self):
        data = super().clean()
        team, duty = data.get("team"), data.get("duty")
        center = data.get("center") or (duty.center if duty else team.center if team else None)
        if center is None:
            raise forms.ValidationError(_("Choose a team, a duty or a center."))
        if duty and team and duty.team_id and duty.team_id != team.pk:
            self.add_error("team", _("The duty belongs to another team."))
        try:
            services.hours.require_in_center(self.request.user, HourRecord, "add", center)
        except PermissionDenied:
            raise forms.ValidationError(_("You can record hours only for your own centers.")) from None
        return data


@admin.register(HourRecord)
class HourRecordAdmin(ScopedAdmin):
    form = HourRecordForm
    action_form = ReviewActionForm
    list_display = [
        "volunteer",
        "served_on",
        "hours",
        "kind_of_service",
        "source",
        "team",
        "status",
        "reviewed_by",
    ]
    # A date filter instead of date_hierarchy, whose year links cost two queries on every page.
    list_filter = [
        "status",
        "source",
        "served_on",
        CategoryFilter,
        ("center", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["volunteer__user", "team", "reviewed_by"]
    search_fields = ["volunteer__user__real_name", "description"]
    actions = ["verify", "dispute"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [f.name for f in HourRecord._meta.fields]

    @admin.display(description=_("category"), ordering="category")
    def kind_of_service(self, obj):
        return dict(weight_categories()).get(obj.category, obj.category)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "volunteer":
            kwargs["queryset"] = _volunteers_for(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            return  # records are changed only by the review actions
        data = form.cleaned_data
        try:
            record = services.record_hours(
                volunteer=data["volunteer"],
                team=data.get("team"),
                duty=data.get("duty"),
                center=data.get("center"),
                served_on=data["served_on"],
                hours=data["hours"],
                description=data.get("description", ""),
                category=data.get("category"),
                by=request.user,
            )
        except ValidationError as error:
            raise PermissionDenied(" ".join(error.messages)) from error
        obj.pk = record.pk
        obj.__dict__.update({k: v for k, v in record.__dict__.items() if not k.startswith("_")})

    @admin.action(description=_("Verify the selected hours (credits the points)"), permissions=["change"])
    def verify(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda r: services.verify_hours(record=r, by=request.user),
            _("%(count)s records verified."),
        )

    @admin.action(description=_("Dispute the selected hours (give a reason)"), permissions=["change"])
    def dispute(self, request, queryset):
        note = request.POST.get("note", "").strip()
        if not note:
            self.message_user(
                request, _("Write the reason in the box next to the action, then dispute."), messages.ERROR
            )
            return
        _run(
            self,
            request,
            queryset,
            lambda r: services.dispute_hours(record=r, by=request.user, reason=note),
            _("%(count)s records disputed."),
        )


@admin.register(Certificate)
class CertificateAdmin(ScopedAdmin):
    addable = False  # issued from verified hours on the certificate page
    list_display = ["number", "volunteer", "issuer", "hours", "issued_at"]
    list_select_related = ["volunteer__user", "issuer"]
    search_fields = ["number", "volunteer__user__real_name"]
    readonly_fields = [
        "number",
        "volunteer",
        "issuer",
        "hours",
        "record_count",
        "first_served_on",
        "last_served_on",
        "issued_at",
    ]


# ------------------------------------------------------------------ points
class CategoryWeightForm(forms.ModelForm):
    class Meta:
        model = CategoryWeight
        fields = ["category", "weight"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].widget = forms.Select(choices=weight_categories())


def weight_categories() -> list[tuple[str, str]]:
    """Duty categories, plus the centers app's activity categories (same codes where they overlap)."""
    choices = dict(Category.choices)
    try:
        from centers.models import Category as ActivityCategory
    except ImportError:  # pragma: no cover - the centers app always provides it
        ActivityCategory = None
    if ActivityCategory is not None:
        for code, label in ActivityCategory.choices:
            choices.setdefault(code, label)
    return list(choices.items())


class CategoryWeightInline(ScopedInline):
    model = CategoryWeight
    form = CategoryWeightForm


@admin.register(PointRule)
class PointRuleAdmin(ScopedAdmin):
    list_display = ["name", "points_per_hour", "cap_per_activity", "expiry_years", "is_active", "updated_at"]
    inlines = [CategoryWeightInline]


class LedgerEntryInline(ScopedInline):
    model = LedgerEntry
    fields = ["created_at", "kind", "amount", "balance_after", "reason", "created_by"]
    readonly_fields = fields
    can_delete = False
    ordering = ["-pk"]
    max_num = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PointAccount)
class PointAccountAdmin(ScopedAdmin):
    list_display = ["volunteer", "balance", "updated_at"]
    list_select_related = ["volunteer__user"]
    search_fields = ["volunteer__user__real_name"]
    readonly_fields = ["volunteer", "balance", "updated_at"]
    inlines = [LedgerEntryInline]


class AdjustmentForm(forms.ModelForm):
    class Meta:
        model = LedgerEntry
        fields = ["account", "amount", "reason"]
        help_texts = {"amount": _("Positive to add points, negative to take them away.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = True

    def clean(self):
        data = super().clean()
        account, amount = data.get("account"), data.get("amount")
        if amount == 0:
            self.add_error("amount", _("Enter a number of points other than zero."))
        elif account is not None and amount is not None and account.balance + amount < 0:
            self.add_error(
                "amount",
                _("The balance is %(balance)s points; it cannot go below zero.")
                % {"balance": account.balance},
            )
        return data

    def _post_clean(self):
        pass  # the entry is built by services.adjust_points, not from this form


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ScopedAdmin):
    """Read-only: the ledger is append-only. "Add" makes a staff adjustment, with its reason."""

    list_display = ["created_at", "account", "kind", "amount", "balance_after", "reason", "created_by"]
    list_filter = ["kind", "created_at"]  # not date_hierarchy: its year links cost two queries a page
    list_select_related = ["account__volunteer__user", "created_by"]
    search_fields = ["account__volunteer__user__real_name", "reason"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = AdjustmentForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["account", "amount", "reason"]
        return [
            "account",
            "kind",
            "amount",
            "balance_after",
            "hour_record",
            "redemption",
            "reason",
            "expires_at",
            "created_by",
            "created_at",
        ]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            entry = services.adjust_points(
                volunteer=data["account"].volunteer,
                amount=data["amount"],
                reason=data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            raise PermissionDenied(" ".join(error.messages)) from error
        obj.__dict__.update({k: v for k, v in entry.__dict__.items() if not k.startswith("_")})


# ------------------------------------------------------------------ the shop
@admin.register(Shop)
class ShopAdmin(ScopedAdmin):
    list_display = ["name", "center", "place", "opening_hours", "is_active"]
    list_select_related = ["center"]
    filter_horizontal = ["keepers"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "keepers":
            # Volunteers and staff of the user's centers; never the whole district's residents.
            ids = _visible_center_ids(request)
            users = User.objects.all()
            if ids is not None:
                users = users.filter(Q(volunteer_profile__center__in=ids) | Q(roles__center__in=ids))
            kwargs["queryset"] = users.distinct()
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ShopItemForm(forms.ModelForm):
    add_stock = forms.IntegerField(
        label=_("Add to stock"),
        required=False,
        help_text=_(
            "Goods that arrived (negative to take some off the shelf). Redemptions change the stock themselves."
        ),
    )

    class Meta:
        model = ShopItem
        fields = [
            "shop",
            "counter",
            "name",
            "description",
            "unit",
            "stock",
            "point_price",
            "cash_price",
            "donor",
            "available_until",
            "is_active",
        ]


@admin.register(ShopItem)
class ShopItemAdmin(ScopedAdmin):
    form = ShopItemForm
    list_display = ["name", "shop", "counter", "stock", "point_price", "cash_price", "donor", "is_active"]
    list_filter = ["counter", "is_active", ("shop", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["shop__center"]
    search_fields = ["name", "donor"]

    def get_fields(self, request, obj=None):
        fields = list(ShopItemForm.Meta.fields)
        if obj is not None:
            fields.insert(fields.index("stock") + 1, "add_stock")
        return fields

    def get_readonly_fields(self, request, obj=None):
        return ["stock"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        extra = form.cleaned_data.get("add_stock")
        if change and extra:
            try:
                services.restock_item(item=obj, quantity=extra)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)

    def get_changeform_initial_data(self, request):
        return {"counter": "points", **super().get_changeform_initial_data(request)}


@admin.register(Redemption)
class RedemptionAdmin(ScopedAdmin):
    addable = False  # made in the shop, which debits the points
    list_display = ["code", "volunteer", "item", "quantity", "points", "status", "created_at", "closed_by"]
    list_filter = ["status", ("item__shop", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["volunteer__user", "item", "closed_by"]
    search_fields = ["=code", "volunteer__user__real_name"]
    readonly_fields = [
        "volunteer",
        "item",
        "quantity",
        "points",
        "code",
        "status",
        "created_at",
        "closed_at",
        "closed_by",
    ]
    actions = ["fulfil", "cancel"]

    @admin.action(description=_("Hand out the selected redemptions (picked up)"), permissions=["change"])
    def fulfil(self, request, queryset):
        _run(
            self,
            request,
            queryset.select_related("item__shop"),
            lambda r: services.fulfil_redemption(shop=r.item.shop, code=r.code, by=request.user),
            _("%(count)s redemptions handed out."),
        )

    @admin.action(
        description=_("Cancel the selected redemptions (returns points and stock)"), permissions=["change"]
    )
    def cancel(self, request, queryset):
        _run(
            self,
            request,
            queryset.select_related("volunteer"),
            lambda r: services.cancel_redemption(redemption=r, by=request.user),
            _("%(count)s redemptions cancelled."),
        )
