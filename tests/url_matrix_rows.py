"""The role x URL matrix's vocabulary. Each app lists its rows in tests/<app>/url_matrix.py.

A row names a URL pattern, how to build its arguments for an object in the actor's own scope
or in the other scope, and the expected outcome per actor. Actors are the roles of
tests/world.py, and ``<role>@other`` for a scoped role acting on the other center's object.
``"*"`` is the default for actors not listed.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

OK = "ok"  # 2xx
LOGIN = "login"  # redirect to the sign-in page
DENY = "deny"  # 403 or 404: not yours
REDIRECT = "redirect"  # a 3xx other than to sign-in (e.g. after a successful POST)
NOT_ALLOWED = "405"  # method not allowed
ANY_4XX = "4xx"  # refused as bad input (e.g. a POST without data)
SKIP = "skip"  # this actor/method is not exercised for this row (say why in the row's note)

ACTORS = [
    "anonymous",
    "resident",
    "volunteer",
    "worker",
    "worker@other",
    "manager",
    "manager@other",
    "street",
    "street@other",
    "district",
    "admin",
]

STAFF = {
    "worker": OK,
    "manager": OK,
    "street": OK,
    "district": OK,
    "admin": OK,
    "worker@other": DENY,
    "manager@other": DENY,
    "street@other": DENY,
}
PUBLIC = {"*": OK}
SIGNED_IN = {"anonymous": LOGIN, "*": OK}


@dataclass
class Row:
    name: str  # "namespace:name" as in reverse()
    kwargs: Callable | None = None  # (world, scope) -> dict of URL kwargs; scope is "own" or "other"
    get: dict = field(default_factory=dict)
    post: dict | None = None  # expectations for POST; None means POST is not checked
    post_data: Callable | None = None  # (world, scope) -> dict
    note: str = ""

    def expected(self, method: str, actor: str) -> str:
        table = self.get if method == "GET" else (self.post or {})
        if actor in table:
            return table[actor]
        base = actor.split("@")[0]
        if "@" in actor and base in table:
            return table[base]
        return table.get("*", SKIP)
