"""Canary markers in every sensitive field, and a search for them in what a page or export shows.

A marker names the person who owns the row: ``CNRY<owner id>Z<row id>`` (``CRCN...`` for care
records, which only the recipient's own center's field workers may read; owner 0 when the row
belongs to nobody's account). A person may see the markers of their own rows and no other.
Markers are plain ASCII so that HTML escaping, JSON and CSV encodings leave them intact.
"""

import contextlib
import io
import json
import re
import zipfile
from dataclasses import dataclass

from django.apps import apps
from django.db.models import F

from core.access import rule_for
from core.models import STAFF_ROLES

GENERAL = "CNRY"
CARE = "CRCN"
PATTERN = re.compile(r"(CNRY|CRCN)(\d+)Z", re.IGNORECASE)


@dataclass(frozen=True)
class Sensitive:
    model: str  # app_label.Model
    fields: tuple[str, ...]
    owner: str | None = None  # path to the user who owns the row and may read it
    prefix: str = GENERAL
    exclude: dict | None = None  # rows left unmarked (e.g. staff names, shown by design)


SENSITIVE = [
    Sensitive("core.User", ("phone", "email"), owner="pk"),
    # Social workers lead teams and sign notices under their names; residents' names are private.
    Sensitive("core.User", ("real_name",), owner="pk", exclude={"roles__role__in": sorted(STAFF_ROLES)}),
    Sensitive("core.SmsMessage", ("phone", "body")),
    Sensitive("centers.Child", ("name",), owner="guardian"),
    Sensitive("centers.Signup", ("collected_by",), owner="resident"),
    Sensitive("orgs.Organization", ("contact_name", "contact_phone")),
    Sensitive("volunteers.Membership", ("message",), owner="volunteer__user"),
    Sensitive("volunteers.HourRecord", ("review_note",), owner="volunteer__user"),
    Sensitive(
        "dispatch.ServiceRequest",
        ("contact_name", "contact_phone", "address", "description"),
        owner="requester",
    ),
    Sensitive("dispatch.Feedback", ("comment",), owner="request__requester"),
    Sensitive("dispatch.PendingRequest", ("phone",)),
    Sensitive(
        "care.Recipient",
        (
            "name",
            "phone",
            "address",
            "id_number",
            "health_notes",
            "actual_address",
            "guardian_name",
            "guardian_phone",
            "family_contacts",
        ),
        owner="resident",
        prefix=CARE,
    ),
    Sensitive("care.Consent", ("guardian_name",), owner="recipient__resident", prefix=CARE),
    Sensitive("care.Visit", ("observations", "needs_found"), owner="recipient__resident", prefix=CARE),
    Sensitive("care.FollowUp", ("action",), owner="visit__recipient__resident", prefix=CARE),
    Sensitive("care.Referral", ("outcome",), owner="recipient__resident", prefix=CARE),
    Sensitive("deliberation.MediationCase", ("description", "agreement_summary")),
    Sensitive("deliberation.MediationParty", ("name", "phone", "note")),
    Sensitive("deliberation.MediationSession", ("notes",)),
    Sensitive("deliberation.FollowUpCall", ("note",)),
    Sensitive("deliberation.Participant", ("phone",), owner="user"),
]


def marker(prefix: str, owner: int | None, pk: int, max_length: int | None, field: str) -> str:
    if field == "email":
        return f"{prefix.lower()}{owner or 0}z{pk}@canary.test"
    value = f"{prefix}{owner or 0}Z{pk}"
    if max_length is not None and len(value) > max_length:
        value = f"{prefix}{owner or 0}Z"  # a mobile number has room for the owner only (ids grow in CI)
    assert max_length is None or len(value) <= max_length, (field, value)
    return value


def fill(*, centers, streets) -> dict[str, int]:
    """Put a marker into every sensitive field of every row in ``centers`` / ``streets``.

    Rows of unscoped models (people, texts, pending requests) are all marked. Updates go straight
    to the database: the markers need not pass the fields' validators. Returns rows marked per model.
    """
    center_ids = [c.pk for c in centers]
    street_ids = [s.pk for s in streets]
    counts = {}
    for spec in SENSITIVE:
        model = apps.get_model(spec.model)
        queryset = model._default_manager.all()
        rule = rule_for(model)
        if rule and rule.center:
            queryset = queryset.filter(**{f"{rule.center}__in": center_ids})
        elif rule and rule.street:
            queryset = queryset.filter(**{f"{rule.street}__in": street_ids})
        if spec.exclude:
            queryset = queryset.exclude(**spec.exclude)
        owner_path = spec.owner or "pk"
        rows = list(queryset.annotate(_owner=F(owner_path)).values_list("pk", "_owner").distinct())
        for pk, owner in rows:
            owner = owner if spec.owner else None
            model._default_manager.filter(pk=pk).update(
                **{
                    name: marker(spec.prefix, owner, pk, model._meta.get_field(name).max_length, name)
                    for name in spec.fields
                }
            )
        counts[spec.model] = counts.get(spec.model, 0) + len(rows)
    return counts


def response_text(response) -> str:
    """What a person receives: the body, with Excel workbooks read cell by cell and JSON decoded."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    content_type = response.get("Content-Type", "")
    if body[:2] == b"PK" and ("spreadsheet" in content_type or "excel" in content_type or _is_xlsx(body)):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        cells = [
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
        ]
        return "\n".join(book.sheetnames + cells)
    text = body.decode("utf-8", errors="replace")
    if "json" in content_type:
        with contextlib.suppress(ValueError):
            text += json.dumps(json.loads(text), ensure_ascii=False)
    return text


def _is_xlsx(body: bytes) -> bool:
    try:
        return "xl/workbook.xml" in zipfile.ZipFile(io.BytesIO(body)).namelist()
    except zipfile.BadZipFile:
        return False


def leaks(text: str, *, allowed_owner: int | None, prefixes=(GENERAL, CARE)) -> set[str]:
    """The markers in ``text`` of ``prefixes`` that belong to someone other than ``allowed_owner``."""
    found = set()
    for match in PATTERN.finditer(text):
        prefix, owner = match.group(1).upper(), int(match.group(2))
        if prefix in prefixes and (allowed_owner is None or owner != allowed_owner):
            found.add(match.group(0))
    return found
