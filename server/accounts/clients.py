"""Which client a request comes from, for limits on guessing: the peer's address, or, when the
peer is a proxy the admin named (VOUCH_TRUSTED_PROXIES), the address that proxy reports in
X-Forwarded-For. Anyone can send that header, so it is believed only from a named proxy."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from server.errors import Invalid

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_proxies(value: str) -> tuple[Network, ...]:
    """'10.0.0.1, 192.168.0.0/16' → networks; a wrong entry stops start-up with its name."""
    networks = []
    for entry in (e.strip() for e in value.split(",")):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise Invalid(f"VOUCH_TRUSTED_PROXIES: {entry[:60]!r} is not an address or network "
                          "(such as 10.0.0.1 or 10.0.0.0/8).", code="invalid_setting") from None
    return tuple(networks)


def _within(address: str, networks: Iterable[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(peer: str, forwarded_for: str, proxies: tuple[Network, ...]) -> str:
    """The client's address: `peer` itself unless it is a trusted proxy; then the nearest
    address in X-Forwarded-For that is not a trusted proxy (read from the right: the left
    end is whatever the client wrote)."""
    if not proxies or not _within(peer, proxies):
        return peer[:45]
    for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
        if not _within(hop, proxies):
            return hop[:45]
    return peer[:45]
