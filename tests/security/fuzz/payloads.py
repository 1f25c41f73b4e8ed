"""Malformed request bodies: the raw material of the POST fuzzing."""

import importlib
from urllib.parse import quote

from django import forms
from django.apps import apps
from django.conf import settings

from .targets import HOSTILE_VALUES

# Field names of third-party forms residents post to (allauth, the language switch, hidden inputs).
EXTRA_FIELD_NAMES = {
    "login",
    "password",
    "remember",
    "email",
    "phone",
    "password1",
    "password2",
    "oldpassword",
    "code",
    "next",
    "action",
    "signup",
    "large",
    "language",
    "format",
    "q",
    "page",
}

PROJECT_APPS = ["core", "centers", "orgs", "volunteers", "dispatch", "care", "deliberation", "reports"]


def project_form_classes() -> list[type[forms.BaseForm]]:
    """Every form class defined in a project app's forms module."""
    found = []
    for label in PROJECT_APPS:
        module = importlib.import_module(f"{apps.get_app_config(label).name}.forms")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == module.__name__
            ):
                found.append(value)
    return found


def field_names() -> list[str]:
    names = set(EXTRA_FIELD_NAMES)
    for form_class in project_form_classes():
        names.update(form_class.base_fields)
    return sorted(names)


def _encode(pairs) -> str:
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)


URLENCODED = "application/x-www-form-urlencoded"


def value_bodies() -> list[tuple[str, bytes | str, str]]:
    """(what, body, content type) of POSTs that reach the view: wrong values, not a broken body."""
    names = field_names()
    bodies = []
    # Wrong types, huge numbers, impossible dates, SQL, 10 kB strings: each field a different value,
    # rotated so that every field meets several of them; the second time every field comes twice.
    values = [v for v in HOSTILE_VALUES if "\x00" not in v]  # NUL is refused whole: its own body
    first = [(name, values[i % len(values)]) for i, name in enumerate(names)]
    twice = [(name, values[(i + k) % len(values)]) for i, name in enumerate(names) for k in (11, 19)]
    bodies.append(("hostile values", _encode(first), URLENCODED))
    bodies.append(("hostile values, every field twice", _encode(twice), URLENCODED))
    bodies.append(("NUL characters in values", _encode((n, "1\x00") for n in names), URLENCODED))
    bodies.append(("a NUL character in a key", _encode([("code\x00", "1"), ("next", "/")]), URLENCODED))
    bodies.append(
        ("invalid UTF-8", b"code=\xff\xfe&description=\xc3\x28abcde&\xff\xfe=\x80&next=%ff", URLENCODED)
    )
    bodies.append(("JSON body", '{"code": "123456", "rating": [1, 2], "x": {"y": null}}', "application/json"))
    bodies.append(("files where text is expected", _files_in_every_field(names), MULTIPART))
    return bodies


def parser_bodies() -> list[tuple[str, bytes | str, str]]:
    """(what, body, content type, always 400) of bodies Django refuses while parsing the form.

    A body the parser merely cuts short may instead fail the CSRF check (403).
    """
    too_many = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1
    return [
        ("too many fields", _encode((f"f{i}", "1") for i in range(too_many)), URLENCODED, True),
        ("too many files", _many_files(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1), MULTIPART, True),
        (
            "a body over the size limit",
            b"x=" + b"y" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1),
            URLENCODED,
            True,
        ),
        ("multipart without a boundary", "code=1", "multipart/form-data", True),
        (
            "a boundary that never ends",
            b'--xyz\r\nContent-Disposition: form-data; name="code"\r\n\r\n1',
            "multipart/form-data; boundary=xyz",
            False,
        ),
        ("a NUL character in a file name", _nul_file_name(), MULTIPART, False),
    ]


BOUNDARY = "fuzzboundary"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


def _part(name: str, content: bytes, filename: str | None = None) -> bytes:
    disposition = f'form-data; name="{name}"'
    if filename is not None:
        disposition += f'; filename="{filename}"'
    return (
        (
            f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n"
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + content
        + b"\r\n"
    )


def _many_files(count: int) -> bytes:
    return (
        b"".join(_part("photos", b"GIF89a\x00\x00", f"p{i}.jpg") for i in range(count))
        + f"--{BOUNDARY}--\r\n".encode()
    )


def _files_in_every_field(names) -> bytes:
    body = b"".join(_part(name, b"\x89PNG\r\n\x1a\n\x00\x00garbage", "x.png") for name in names)
    return body + f"--{BOUNDARY}--\r\n".encode()


def _nul_file_name() -> bytes:
    return _part("photo", b"GIF89a", "x\x00.jpg") + f"--{BOUNDARY}--\r\n".encode()
