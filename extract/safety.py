"""What a crawler may touch: http(s) only, the source's own hosts, and (unless allowed) no private or
loopback addresses.

The address check happens where the socket is opened, on the addresses the name actually resolved to,
so a host name that resolves to 127.0.0.1 or 10.x, or changes its answer between a check and the
connection (DNS rebinding), cannot reach the machine's own network.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from urllib.parse import urlsplit

import httpcore
import httpx


class Refused(Exception):
    """A URL or address the crawler must not fetch. Never retried; logged as `refused: …`."""


def check_url(url: str, hosts: Iterable[str]) -> str:
    """The URL's host when the URL may be fetched for a source with these hosts; else `Refused`."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().rstrip(".")
        parts.port  # noqa: B018 — raises ValueError on a malformed port
    except ValueError as exc:
        raise Refused(f"malformed URL: {exc}") from None
    if parts.scheme not in ("http", "https"):
        raise Refused(f"scheme {parts.scheme or '(none)'}: is not http or https")
    if not host:
        raise Refused("URL without a host")
    if host not in {h.lower() for h in hosts}:
        raise Refused(f"host {host} is not one of the source's hosts")
    return host


def is_public(address: str) -> bool:
    """True for a globally routable unicast address (not loopback, private, link-local, reserved …)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class _GuardedBackend(httpcore.NetworkBackend):
    """Resolves the host itself, refuses non-public addresses, then connects to a checked address."""

    def __init__(self, allow_private: bool) -> None:
        self._inner = httpcore.SyncBackend()
        self._allow_private = allow_private

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None, socket_options: Iterable | None = None
                    ) -> httpcore.NetworkStream:
        if self._allow_private:
            return self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        blocked = [a for a in addresses if not is_public(a)]
        if blocked:
            # Refuse when any answer is private: trying only the public ones would still let an
            # attacker-controlled name aim at an internal service on some resolvers.
            what = f"{host} is" if blocked[0] == host else f"{host} resolves to"
            raise Refused(f"{what} a non-public address ({blocked[0]})")
        error: Exception = httpcore.ConnectError(f"no address for {host}")
        for address in addresses:
            try:
                return self._inner.connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                error = exc
        raise error

    def connect_unix_socket(self, *args, **kwargs):  # noqa: ANN002, ANN003
        raise Refused("unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's own transport with the address check in its connection pool."""

    def __init__(self, *, allow_private: bool, max_connections: int = 20) -> None:
        super().__init__(trust_env=False)
        # httpx has no public hook for the connect step; its pool is httpcore's public ConnectionPool,
        # so we build the same pool with our network backend. TLS still verifies the host name (SNI
        # and certificate) because httpcore takes those from the request URL, not the socket address.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=max_connections,
            max_keepalive_connections=max_connections,
            keepalive_expiry=5.0,
            network_backend=_GuardedBackend(allow_private),
        )
