"""Rate limits for the public request form: fixed windows counted in the Django cache.

The client address honours ``TRUSTED_PROXY_COUNT`` (core.client_address): with 0 (the default)
X-Forwarded-For is ignored, because anyone can send it.
"""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from core.client_address import address_network
from core.client_address import client_ip as core_client_ip


@dataclass(frozen=True)
class Limit:
    hits: int
    seconds: int


# Overridable in settings as DISPATCH_LIMITS = {"ip": (10, 3600), ...}.
DEFAULT_LIMITS = {
    "ip": Limit(10, 3600),  # anonymous submissions from one address
    "phone": Limit(5, 3600),  # codes sent to, and drafts for, one mobile number
    "user": Limit(20, 24 * 3600),  # submissions by one signed-in resident
    "code": Limit(20, 3600),  # code confirmations tried from one address
    "view": Limit(40, 600),  # anonymous loads of the form page from one address
}


def limit_for(name: str) -> Limit:
    custom = getattr(settings, "DISPATCH_LIMITS", {}).get(name)
    return Limit(*custom) if custom else DEFAULT_LIMITS[name]


def client_ip(request) -> str:
    """The address to rate-limit by; never a value the client alone controls."""
    return core_client_ip(request)


ADDRESS_SCOPES = frozenset({"ip", "code", "view"})


def _bucket(scope: str, key: str, seconds: int) -> str:
    if scope in ADDRESS_SCOPES:
        key = address_network(key)  # an IPv6 /64 is one client
    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]  # no phone numbers in the cache
    return f"dispatch:rl:{scope}:{digest}:{int(time.time() // seconds)}"


def hit(scope: str, key: str) -> bool:
    """Count one hit against ``scope`` for ``key``; True while the hits stay within the limit.

    ``cache.add`` then ``cache.incr`` is atomic on Redis and the local-memory cache; the
    database cache's incr is a read and a write, so a burst there may slip one or two hits.
    """
    limit = limit_for(scope)
    bucket = _bucket(scope, key, limit.seconds)
    cache.add(bucket, 0, timeout=limit.seconds)
    try:
        count = cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.set(bucket, 1, timeout=limit.seconds)
        count = 1
    cache.touch(bucket, limit.seconds)  # the database cache's incr resets the expiry
    return count <= limit.hits


def is_over(scope: str, key: str) -> bool:
    """Has ``key`` already used up ``scope`` (without counting a hit)?"""
    limit = limit_for(scope)
    return (cache.get(_bucket(scope, key, limit.seconds)) or 0) >= limit.hits
