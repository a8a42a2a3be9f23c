"""The client's address, the one thing rate limits, log-in lock-outs (django-axes), the audit log and
the metrics allow-list all key on.

Without a proxy it is REMOTE_ADDR. Behind reverse proxies REMOTE_ADDR is the proxy's, and the
client's is in `X-Forwarded-For`, which any client can also write itself; so the header is read
only when the request came from an address in `TRUSTED_PROXIES` (addresses or networks), and only
as far as trusted hops go: from the right (the hop nearest us) leftwards, each trusted proxy's entry
is skipped and the first address that is not a trusted proxy is the client. A header sent by a
client straight to us, or the part of it a client wrote before reaching our proxy, changes
nothing. The rule is nginx's `real_ip_recursive`; it is a dozen lines, so no library (django-ipware)
is added for it.
"""

from __future__ import annotations

import functools
import ipaddress

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.cache
def _trusted(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as described above; None when the request has none (a test, a task)."""
    remote = request.META.get("REMOTE_ADDR") or None
    networks = _trusted(tuple(settings.TRUSTED_PROXIES))
    if remote is None or not networks or not _is_trusted(remote, networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    client = remote
    for hop in reversed([part.strip() for part in forwarded.split(",") if part.strip()]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            break  # not written by a proxy of ours: keep the nearest address we can vouch for
        client = hop
        if not _is_trusted(hop, networks):
            break
    return client


def client_ip_or_empty(request: HttpRequest) -> str:
    """`client_ip` for callers that need a string (django-axes' `AXES_CLIENT_IP_CALLABLE`, cache keys)."""
    return client_ip(request) or ""
