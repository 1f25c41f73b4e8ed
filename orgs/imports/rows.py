"""Validating rows: each cell parsed from the forms people type, each row checked against the
registry (its key, who may change it) without writing anything."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core import access
from core.models import Community, Role, Street

from ..credit_code import normalize_credit_code
from ..models import Organization, PlayedRole, Stage
from .sheet import COLUMNS

STATUS_WORDS = {
    Organization.Status.FILED: ("备案", "備案", "已备案", "filed"),
    Organization.Status.REGISTERED: (
        "注册登记",
        "注册",
        "登记",
        "已登记",
        "注冊登記",
        "註冊登記",
        "登記",
        "registered",
    ),
}
KIND_WORDS = {
    Organization.Kind.SOCIAL_SERVICE: (
        "社工服务机构",
        "社会工作服务机构",
        "社工机构",
        "社工服務機構",
        "社會工作服務機構",
    ),
    Organization.Kind.COMMUNITY: ("社区社会组织", "社區社會組織", "社区组织"),
    Organization.Kind.VOLUNTEER_TEAM: ("志愿服务队", "志愿者队伍", "志愿团队", "志願服務隊", "志愿队"),
    Organization.Kind.ASSOCIATION: ("协会", "社会团体", "社团", "協會", "社會團體"),
    Organization.Kind.CHAMBER: ("异地商会", "商会", "異地商會", "商會"),
    Organization.Kind.STUDIO: ("工作室",),
    Organization.Kind.HUB: ("枢纽型社会组织", "枢纽型组织", "枢纽", "樞紐型社會組織", "樞紐"),
    Organization.Kind.FOUNDATION: ("基金会", "基金會"),
    Organization.Kind.OTHER: ("其他", "其它"),
}
PARTY_WORDS = {
    Organization.PartyBranch.NONE: ("", "无", "未建立", "没有", "無", "否"),
    Organization.PartyBranch.OWN: ("单独组建", "单独建立", "独立党支部", "党支部", "單獨組建", "有"),
    Organization.PartyBranch.JOINT: ("联合组建", "联合党支部", "聯合組建"),
    Organization.PartyBranch.INSTRUCTOR: ("党建指导员", "選派黨建指導員", "选派党建指导员", "黨建指導員"),
}
ROLE_WORDS = {
    PlayedRole.ADVOCATE: ("倡导者", "倡導者"),
    PlayedRole.EDUCATOR: ("教育者",),
    PlayedRole.GUIDE: ("引导者", "引導者"),
    PlayedRole.ORGANIZER: ("组织者", "組織者"),
    PlayedRole.RESOURCE_INTEGRATOR: ("资源整合者", "資源整合者"),
}
SPLIT = re.compile(r"[、,，;；/|\s]+")


@dataclass
class RowResult:
    number: int  # the row number the user sees in their spreadsheet
    name: str = ""
    errors: list[str] = field(default_factory=list)
    action: str = ""  # "create", "update" or "unchanged" once validated
    organization: Organization | None = None
    domain_names: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# ------------------------------------------------------------------ cell parsers
def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _choice(value, words: dict, label) -> str:
    text = _text(value).lower()
    for choice, options in words.items():
        if text in {o.lower() for o in options} or text == str(choice).lower():
            return choice
    for choice, options in words.items():  # a longer phrase containing a known word
        if text and any(o and o in text for o in options):
            return choice
    raise ValueError(
        _("“%(value)s” is not a known %(label)s; use one of: %(options)s")
        % {"value": _text(value), "label": label, "options": "、".join(o[0] for o in words.values() if o[0])}
    )


def _date(value) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and 20000 < value < 80000:  # an Excel serial day number
        return datetime.date(1899, 12, 30) + datetime.timedelta(days=int(value))
    text = _text(value)
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text) or re.fullmatch(
        r"(\d{4})(\d{2})(\d{2})", text
    )
    if match:
        try:
            return datetime.date(*map(int, match.groups()))
        except ValueError:
            pass
    raise ValueError(_("“%(value)s” is not a date; write it as 2024-03-15.") % {"value": text})


def _grade(value) -> str:
    text = _text(value).upper().translate({ord("Ａ"): "A", ord("级"): None, ord("級"): None})
    text = text.translate({ord(d): str(i) for i, d in enumerate("０１２３４５６７８９")})
    if not text or text in {"无", "未评估", "-"}:
        return ""
    if re.fullmatch(r"A{1,5}", text):
        return f"{len(text)}A"
    if re.fullmatch(r"[1-5]A", text):
        return text
    raise ValueError(_("“%(value)s” is not an evaluation grade; use 1A to 5A.") % {"value": _text(value)})


def _count(value) -> int:
    text = _text(value)
    if not text:
        return 0
    try:
        number = Decimal(text.rstrip("人名"))
    except InvalidOperation:
        number = Decimal(-1)
    if number < 0 or number != number.to_integral_value():
        raise ValueError(_("“%(value)s” is not a number of people.") % {"value": text})
    return int(number)


# ------------------------------------------------------------------ validation
class _Registry:
    """What the validation needs from the database, loaded once (a 3,000-row file costs a few queries)."""

    def __init__(self, actor):
        self.streets: dict[str, list[Street]] = {}
        for street in Street.objects.all():
            self.streets.setdefault(street.name, []).append(street)
        self.communities: dict[tuple[int, str], Community] = {}
        self.communities_by_name: dict[str, list[Community]] = {}
        for community in Community.objects.select_related("street"):
            self.communities[(community.street_id, community.name)] = community
            self.communities_by_name.setdefault(community.name, []).append(community)
        fields = [f.attname for f in Organization._meta.concrete_fields]
        self.by_code: dict[str, Organization] = {}
        self.by_name: dict[tuple[int | None, str], Organization] = {}
        for org in Organization.objects.only(*fields):
            if org.credit_code:
                self.by_code[org.credit_code] = org
            self.by_name[(org.street_id, org.name)] = org
        self.domains_of: dict[int, set[str]] = {}
        through = Organization.domains.through
        for org_id, name in through.objects.values_list("organization_id", "domain__name"):
            self.domains_of.setdefault(org_id, set()).add(name)
        self.district_wide = actor is None or access.is_district_wide(actor)
        self.street_ids = (
            set() if self.district_wide else access.street_ids(actor, frozenset({Role.STREET_STAFF}))
        )
        self.changeable = (
            None
            if self.district_wide
            else set(access.scope(actor, Organization.objects.all(), "change").values_list("pk", flat=True))
        )


LABELS = {c.key: c.label for c in COLUMNS}


def _field_label(name: str) -> str:
    if name in LABELS:
        return str(LABELS[name])
    try:
        return str(Organization._meta.get_field(name).verbose_name)
    except Exception:  # a non-field error
        return ""


def validate_rows(rows: list[tuple[int, dict]], *, actor) -> list[RowResult]:
    """Check every row without writing anything; each result says what importing it would do."""
    registry = _Registry(actor)
    seen_codes: dict[str, int] = {}
    seen_names: dict[tuple[int | None, str], int] = {}
    results = []
    for number, values in rows:
        result = RowResult(number=number, name=_text(values.get("name")))
        _validate_row(result, values, registry, seen_codes, seen_names)
        results.append(result)
    return results


def _validate_row(
    result: RowResult, values: dict, registry: _Registry, seen_codes: dict, seen_names: dict
) -> None:
    errors = result.errors

    def fail(key: str, message: str) -> None:
        errors.append(f"{_field_label(key)}：{message}" if _field_label(key) else message)

    data: dict[str, object] = {}
    for key in (
        "name",
        "registering_authority",
        "contact_name",
        "contact_phone",
        "phone",
        "address",
        "description",
    ):
        data[key] = _text(values.get(key))
    if not data["name"]:
        fail("name", _("this column is required."))
    code = normalize_credit_code(_text(values.get("credit_code"))) or None
    data["credit_code"] = code
    try:
        status_text = _text(values.get("status"))
        data["status"] = (
            _choice(status_text, STATUS_WORDS, LABELS["status"])
            if status_text
            else (Organization.Status.REGISTERED if code else Organization.Status.FILED)
        )
    except ValueError as exc:
        fail("status", str(exc))
    try:
        if not _text(values.get("kind")):
            raise ValueError(_("this column is required."))
        data["kind"] = _choice(values.get("kind"), KIND_WORDS, LABELS["kind"])
    except ValueError as exc:
        fail("kind", str(exc))
    for key in ("registered_on", "filed_on", "graded_on"):
        try:
            data[key] = _date(values.get(key))
        except ValueError as exc:
            fail(key, str(exc))
    for key, parser in (("grade", _grade), ("party_members", _count)):
        try:
            data[key] = parser(values.get(key))
        except ValueError as exc:
            fail(key, str(exc))
    try:
        data["party_branch"] = _choice(values.get("party_branch"), PARTY_WORDS, LABELS["party_branch"])
    except ValueError as exc:
        fail("party_branch", str(exc))
    roles = []
    for word in SPLIT.split(_text(values.get("roles"))):
        if word:
            try:
                roles.append(_choice(word, ROLE_WORDS, LABELS["roles"]))
            except ValueError as exc:
                fail("roles", str(exc))
    data["roles"] = sorted(set(roles), key=PlayedRole.values.index)
    result.domain_names = sorted({w[:50] for w in SPLIT.split(_text(values.get("domains"))) if w})

    # Places: the street by name (and the community within it).
    street_name, community_name = _text(values.get("street")), _text(values.get("community"))
    street = community = None
    if street_name:
        candidates = registry.streets.get(street_name, [])
        if len(candidates) != 1:
            fail(
                "street",
                _("no street is called “%(name)s”.") % {"name": street_name}
                if not candidates
                else _("more than one street is called “%(name)s”.") % {"name": street_name},
            )
        else:
            street = candidates[0]
    if community_name:
        if street is not None:
            community = registry.communities.get((street.pk, community_name))
            if community is None:
                fail(
                    "community",
                    _("“%(street)s” has no community called “%(name)s”.")
                    % {"street": street_name, "name": community_name},
                )
        elif not street_name:
            candidates = registry.communities_by_name.get(community_name, [])
            if len(candidates) == 1:
                community = candidates[0]
                street = community.street
            else:
                fail("community", _("name the street of community “%(name)s”.") % {"name": community_name})
    data["street"], data["community"] = street, community
    if errors:
        return

    # The key: the credit code, else the name within the street.
    street_id = street.pk if street else None
    existing = registry.by_code.get(code) if code else None
    by_name = registry.by_name.get((street_id, data["name"]))
    if existing is None:
        existing = by_name
    elif by_name is not None and by_name.pk != existing.pk:
        fail(
            "credit_code",
            _("this code belongs to “%(other)s”, but the name matches another organization.")
            % {"other": existing.name},
        )
        return
    if code and existing is not None and existing.credit_code and existing.credit_code != code:
        fail(
            "credit_code",
            _("“%(name)s” is registered with another code, %(code)s.")
            % {"name": existing.name, "code": existing.credit_code},
        )
        return
    if code and code in seen_codes:
        fail("credit_code", _("the same organization as row %(row)d.") % {"row": seen_codes[code]})
        return
    if (street_id, data["name"]) in seen_names:
        fail(
            "name",
            _("the same organization as row %(row)d.") % {"row": seen_names[(street_id, data["name"])]},
        )
        return

    # Who may write it: street staff only in their own street.
    if not registry.district_wide:
        if existing is not None and existing.pk not in registry.changeable:
            fail("street", _("this organization is kept by another street; ask its staff or the district."))
            return
        if street_id not in registry.street_ids:
            fail("street", _("you may import organizations of your own street only."))
            return

    org = Organization(**data) if existing is None else _copy_with(existing, data)
    if existing is None:
        org.stage = Stage.INTRODUCE
    try:
        org.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            for message in messages:
                fail(key if key != "__all__" else "", message)
        return
    if code:
        seen_codes[code] = result.number
    seen_names[(street_id, data["name"])] = result.number
    result.organization = org
    if existing is None:
        result.action = "create"
    elif _differs(existing, org) or set(result.domain_names) - registry.domains_of.get(existing.pk, set()):
        result.action = "update"
    else:
        result.action = "unchanged"


# Columns of the sheet that an import may change on an existing organization.
IMPORTED_FIELDS = [
    "name",
    "kind",
    "status",
    "credit_code",
    "registering_authority",
    "registered_on",
    "street",
    "community",
    "filed_on",
    "roles",
    "contact_name",
    "contact_phone",
    "phone",
    "address",
    "grade",
    "graded_on",
    "party_branch",
    "party_members",
    "description",
]


def _copy_with(existing: Organization, data: dict) -> Organization:
    org = Organization(
        **{f.attname: getattr(existing, f.attname) for f in Organization._meta.concrete_fields}
    )
    org._state.adding = False
    for key in IMPORTED_FIELDS:
        value = data.get(key)
        # An empty cell keeps what the registry already knows.
        if value in (None, "", []) and key not in ("status",):
            continue
        setattr(org, key, value)
    return org


def _differs(before: Organization, after: Organization) -> bool:
    return any(
        getattr(before, f.attname) != getattr(after, f.attname)
        for f in Organization._meta.concrete_fields
        if f.name in IMPORTED_FIELDS
    )
