"""The real client address of a request, for lockouts and rate limits.

``REMOTE_ADDR`` is the peer of the TCP connection. Behind a reverse proxy that is the
proxy, so every learner would share one address and one failure count: 20 wrong
passwords from anyone would lock out the whole class. A proxy adds the address it saw
to ``X-Forwarded-For``; the header is trusted only when the peer is one of the proxies
named in ``BUILDREAL_TRUSTED_PROXIES``, since any client can send it. Reading it from the
right, the first address that is not a trusted proxy is the client.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _trusted(address: str, proxies: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR") or "0.0.0.0"
    proxies: Sequence[Network] = getattr(settings, "BUILDREAL_TRUSTED_PROXIES", ())
    if not proxies or not _trusted(remote, proxies):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        try:
            address = str(ipaddress.ip_address(hop))
        except ValueError:
            return remote  # a garbled hop: trust nothing to its left
        if not _trusted(address, proxies):
            return address
    return remote
