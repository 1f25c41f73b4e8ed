"""The client's address, for rate limits: never a value the client alone controls.

``TRUSTED_PROXY_COUNT`` says how many reverse proxies stand in front of the portal. With 0 (the
default) X-Forwarded-For is ignored, because anyone can send it; with N the Nth address from the
right is the one the outermost trusted proxy saw. A header with fewer entries did not pass
through every proxy, so the connection's own address is used.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

IPV6_PREFIX = 64  # one subscriber gets a whole /64: limits count the network, not each address


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote
    return _valid_ip(forwarded[-proxies]) or remote


def address_network(ip: str) -> str:
    """What a per-address limit counts: an IPv4 address, or an IPv6 address's /64 network, so that
    stepping through the addresses of one's own network gains nothing."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if address.version == 6:
        return str(ipaddress.IPv6Network(f"{address}/{IPV6_PREFIX}", strict=False).network_address)
    return ip
