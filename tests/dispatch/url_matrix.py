"""Role x URL rows for dispatch: the public form and status page, the desk, tasks and mobilisation."""

from django.core.files.base import ContentFile
from django.utils import timezone

from tests.url_matrix_rows import (
    ANY_4XX,
    DENY,
    LOGIN,
    NOT_ALLOWED,
    OK,
    PUBLIC,
    REDIRECT,
    SIGNED_IN,
    STAFF,
    Row,
)

DESK = {"anonymous": LOGIN, "resident": DENY, "volunteer": DENY, "*": OK}  # lists are scoped, not refused
DESK_OBJECT = {"anonymous": LOGIN, "resident": DENY, "volunteer": DENY, **STAFF}
POST_ONLY_DESK = {"anonymous": LOGIN, "resident": DENY, "volunteer": DENY, "*": NOT_ALLOWED}


def _request(world, scope, status="new"):
    from tests.dispatch.factories import request_in_state

    return request_in_state(status, world.center(scope), requester=world.user("resident"))


def _photo_request(world, scope):
    import io

    from PIL import Image

    request = _request(world, scope)
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "JPEG")
    request.photo.save("x.jpg", ContentFile(buffer.getvalue()))
    return request


def _task(world, scope):
    from dispatch import services
    from tests.dispatch.factories import VolunteerFactory

    volunteer = VolunteerFactory(user=world.user("volunteer"), center=world.center(scope))
    request = _request(world, scope)
    return services.assign_request(request=request, by=world.user("worker"), volunteer=volunteer)


def _call(world, scope):
    from dispatch import services
    from tests.dispatch.factories import VolunteerFactory

    center = world.center(scope)
    VolunteerFactory(user=world.user("volunteer"), center=center)
    return services.start_mobilisation(
        center=center,
        title="防疫志愿者招募",
        message="卡口值守",
        created_by=world.user("worker"),
        needed=3,
        answer_within_minutes=30,
    )


def _pending(world, scope):
    from dispatch.models import PendingRequest

    now = timezone.now()
    return PendingRequest.objects.create(
        phone="13700000009", data={}, code_hash="x", code_sent_at=now, expires_at=now
    )


ROWS = [
    Row("dispatch:create", get=PUBLIC, post={"*": OK}, note="an empty form re-renders with its errors"),
    Row(
        "dispatch:confirm",
        kwargs=lambda w, s: {"token": _pending(w, s).token},
        get={"*": DENY},
        post={"*": DENY},
        note="only the browser that filed the draft holds its token in the session",
    ),
    Row("dispatch:site_list", get=PUBLIC),
    Row(
        "dispatch:status",
        kwargs=lambda w, s: {"public_id": _request(w, s).public_id},
        get=PUBLIC,
        note="whoever holds the link sees the status (not the description)",
    ),
    Row(
        "dispatch:rate",
        kwargs=lambda w, s: {"public_id": _request(w, s, "done").public_id},
        get={"*": NOT_ALLOWED},
        post={"anonymous": LOGIN, "resident": OK, "*": DENY},
        note="only the requester rates; an empty rating re-renders with its error",
    ),
    Row(
        "dispatch:photo",
        kwargs=lambda w, s: {"public_id": _photo_request(w, s).public_id},
        get={"anonymous": DENY, "resident": OK, "volunteer": DENY, **STAFF},
    ),
    Row("dispatch:desk", get=DESK),
    Row("dispatch:desk_create", get=DESK, post=DESK, note="an empty form re-renders with its errors"),
    Row("dispatch:desk_detail", kwargs=lambda w, s: {"pk": _request(w, s).pk}, get=DESK_OBJECT),
    *[
        Row(
            f"dispatch:{name}",
            kwargs=lambda w, s: {"pk": _request(w, s).pk},
            get=POST_ONLY_DESK,
            post=DESK_OBJECT,
            note="an empty form re-renders the desk with its errors",
        )
        for name in ("desk_answer", "desk_status", "desk_feedback")
    ],
    Row(
        "dispatch:desk_assign",
        kwargs=lambda w, s: {"pk": _request(w, s).pk},
        get=DESK_OBJECT,
        post=DESK_OBJECT,
        note="an empty form re-renders the assign page with its errors",
    ),
    Row(
        "dispatch:supply_list",
        get=DESK,
        post={"anonymous": LOGIN, "resident": DENY, "volunteer": DENY, "street": DENY, "*": OK},
        note="street staff read the ledger; field workers and the district record",
    ),
    Row("dispatch:task_list", get=SIGNED_IN),
    *[
        Row(
            f"dispatch:{name}",
            kwargs=lambda w, s: {"pk": _task(w, s).pk},
            get={"anonymous": LOGIN, "*": NOT_ALLOWED},
            post={"anonymous": LOGIN, "volunteer": REDIRECT, "*": DENY},
            note="only the assignee; an empty answer is refused with a message",
        )
        for name in ("task_answer", "task_status")
    ],
    Row(
        "dispatch:call_answer",
        kwargs=lambda w, s: {"pk": _call(w, s).pk},
        get={"anonymous": LOGIN, "volunteer": OK, "*": DENY},
        post={"anonymous": LOGIN, "volunteer": OK, "*": DENY},
        note="only volunteers on the call's roster",
    ),
    Row("dispatch:mobilisation_list", get=DESK, post=DESK, note="an empty form re-renders with its errors"),
    Row("dispatch:mobilisation_detail", kwargs=lambda w, s: {"pk": _call(w, s).pk}, get=DESK_OBJECT),
    Row(
        "dispatch:mobilisation_close",
        kwargs=lambda w, s: {"pk": _call(w, s).pk},
        get=POST_ONLY_DESK,
        post={
            "anonymous": LOGIN,
            "resident": DENY,
            "volunteer": DENY,
            **{k: REDIRECT for k in STAFF},
            **{k: DENY for k in STAFF if "@" in k},
        },
    ),
]

__all__ = ["ANY_4XX", "ROWS"]
