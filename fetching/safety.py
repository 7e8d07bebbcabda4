"""What a crawler may touch: http(s) only, the source's own hosts, and (unless allowed) no private or
loopback addresses.

The address check happens where the socket is opened, on the addresses the name actually resolved to,
so a host name that resolves to 127.0.0.1 or 10.x, or changes its answer between a check and the
connection (DNS rebinding), cannot reach the machine's own network. IPv6 forms that carry an IPv4
address (mapped, IPv4-compatible, NAT64, 6to4, Teredo) are judged by the IPv4 address they carry.

The same place bounds time: every socket read, write and connect of a request runs under the calling
thread's `deadline` (see `attempt_deadline`), so a server that sends its headers at one byte a second
cannot hold a request longer than the deadline (httpx's own timeouts are per read, not per request).
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any
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


_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")  # deprecated ::a.b.c.d (RFC 4291 2.5.5.1)


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries and that a network may route it to."""
    if ip.ipv4_mapped:
        return [ip.ipv4_mapped]
    if ip.sixtofour:
        return [ip.sixtofour]
    if ip.teredo:
        return list(ip.teredo)
    if any(ip in net for net in _NAT64) or (ip in _IPV4_COMPATIBLE and int(ip) > 1):
        return [ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)]
    return []


def is_public(address: str) -> bool:
    """True for a globally routable unicast address (not loopback, private, link-local, site-local,
    reserved …); an IPv6 address that embeds an IPv4 address is public only if that one is too."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if ip.ipv4_mapped:
            ip = ip.ipv4_mapped  # ::ffff:a.b.c.d is that IPv4 address, whatever Python thinks of the v6 form
        elif embedded:
            return all(_public_ip(v4) for v4 in embedded)
        elif ip.is_site_local:  # fec0::/10: deprecated but still routed inside some networks
            return False
    return _public_ip(ip)


def _public_ip(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return ip.is_global and not ip.is_multicast


# --- deadlines --------------------------------------------------------------------------------------

_local = threading.local()


@contextmanager
def attempt_deadline(seconds: float) -> Iterator[None]:
    """Bound every socket operation the calling thread makes inside the block to `seconds` in total."""
    previous = getattr(_local, "deadline", None)
    _local.deadline = time.monotonic() + seconds
    _local.hit = False
    try:
        yield
    finally:
        _local.deadline = previous


def deadline_hit() -> bool:
    """Whether the last `attempt_deadline` block of this thread ended because time ran out."""
    return bool(getattr(_local, "hit", False))


def _clamp(timeout: float | None, error: type[httpcore.TimeoutException]) -> float | None:
    deadline = getattr(_local, "deadline", None)
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        _local.hit = True
        raise error("deadline exceeded")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write waits at most until the thread's deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            return self._inner.read(max_bytes, _clamp(timeout, httpcore.ReadTimeout))
        except httpcore.ReadTimeout:
            _note_if_past_deadline()
            raise

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        try:
            self._inner.write(buffer, _clamp(timeout, httpcore.WriteTimeout))
        except httpcore.WriteTimeout:
            _note_if_past_deadline()
            raise

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(ssl_context, server_hostname, _clamp(timeout, httpcore.ConnectTimeout))
        return _DeadlineStream(inner)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


def _note_if_past_deadline() -> None:
    deadline = getattr(_local, "deadline", None)
    if deadline is not None and time.monotonic() >= deadline - 0.01:
        _local.hit = True


class _GuardedBackend(httpcore.NetworkBackend):
    """Resolves the host itself, refuses non-public addresses, then connects to a checked address."""

    def __init__(self, allow_private: bool) -> None:
        self._inner = httpcore.SyncBackend()
        self._allow_private = allow_private

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None, socket_options: Iterable | None = None
                    ) -> httpcore.NetworkStream:
        timeout = _clamp(timeout, httpcore.ConnectTimeout)
        if self._allow_private:
            stream = self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
            return _DeadlineStream(stream)
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
                stream = self._inner.connect_tcp(address, port, _clamp(timeout, httpcore.ConnectTimeout),
                                                 local_address, socket_options)
                return _DeadlineStream(stream)
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
