"""Outbound URL guard: keeps tools from reaching private, loopback and other internal addresses.

`check_url` resolves a URL's host (through `socket.getaddrinfo`, so decimal, octal and hex
spellings of an address resolve exactly as a connection would) and refuses it when any
address is private, loopback, link-local, multicast, reserved, unspecified or otherwise not
globally routable, unless the host or the address is allowed (a hostname, an IP or a CIDR
network). IPv4 embedded in IPv6 (mapped, 6to4, Teredo, NAT64) is judged as IPv4.

Checking and then connecting by name would let a DNS rebind slip in between, so
`GuardedAsyncTransport` / `GuardedTransport` check each request (every redirect hop included,
since httpx sends each through the transport) and connect to the very address they checked,
keeping the `Host` header and TLS server name of the original host.

Django-free: the caller passes the allow-list (e.g. settings.DYNAMICFLOW_ALLOWED_PRIVATE_HOSTS).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import anyio.to_thread
import httpx

__all__ = [
    "AllowList",
    "CheckedURL",
    "GuardedAsyncTransport",
    "GuardedTransport",
    "HostNotFound",
    "URLGuardError",
    "URLNotAllowed",
    "check_url",
    "guarded_async_client",
    "resolve_url",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
#: host, port -> the addresses a connection could go to.
Resolver = Callable[[str, int], list[str]]

ALLOWED_SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}
MAX_REDIRECTS = 5

_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class URLGuardError(Exception):
    """The URL cannot be fetched safely; `code` names the reason for machines."""

    code = "url_guard"

    def __init__(self, message: str, *, url: str) -> None:
        super().__init__(message)
        self.message = message
        self.url = url


class URLNotAllowed(URLGuardError):
    """Refused by policy: a scheme other than http(s), no host, or a non-public address."""

    code = "url_not_allowed"


class HostNotFound(URLGuardError):
    """The host name does not resolve (which may be transient)."""

    code = "host_not_found"


@dataclass(frozen=True, slots=True)
class AllowList:
    """Hosts and networks that may be reached even though their addresses are not public."""

    hosts: frozenset[str] = frozenset()
    networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def parse(cls, entries: Iterable[str] | AllowList) -> AllowList:
        if isinstance(entries, AllowList):
            return entries
        hosts: set[str] = set()
        networks: list[IPNetwork] = []
        for raw in entries:
            entry = raw.strip().lower().strip("[]")
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                hosts.add(entry.rstrip("."))
        return cls(hosts=frozenset(hosts), networks=tuple(networks))

    def covers_host(self, host: str) -> bool:
        return host.lower().rstrip(".") in self.hosts

    def covers_address(self, address: IPAddress) -> bool:
        candidates = [address, *_embedded_ipv4(address)]
        return any(
            candidate in network
            for candidate in candidates
            for network in self.networks
            if candidate.version == network.version
        )


@dataclass(frozen=True, slots=True)
class CheckedURL:
    """A URL that passed the guard, with the addresses it may be connected to."""

    url: str
    scheme: str
    host: str
    port: int
    addresses: tuple[str, ...]


def check_url(
    url: str, *, allowed: Iterable[str] | AllowList = (), resolver: Resolver | None = None
) -> None:
    """Raise `URLNotAllowed` (or `HostNotFound`) unless `url` may be fetched."""
    resolve_url(url, allowed=allowed, resolver=resolver)


def resolve_url(
    url: str, *, allowed: Iterable[str] | AllowList = (), resolver: Resolver | None = None
) -> CheckedURL:
    """Check `url` like `check_url` and return the addresses it was checked against.

    Every address the host resolves to must be public or allowed: a name that resolves to
    one public and one private address is refused, since a client may pick either.
    """
    allow_list = AllowList.parse(allowed)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise URLNotAllowed(f"{url!r} is not a valid URL: {exc}", url=url) from None
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise URLNotAllowed(
            f"only http and https URLs may be fetched, not {scheme or 'a relative URL'!r}",
            url=url,
        )
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise URLNotAllowed(f"{url!r} has no host", url=url)
    port = port or DEFAULT_PORTS[scheme]

    try:
        addresses = (resolver or _system_resolver)(host, port)
    except (OSError, UnicodeError) as exc:
        raise HostNotFound(f"cannot resolve host {host!r}: {exc}", url=url) from None
    if not addresses:
        raise HostNotFound(f"host {host!r} did not resolve to any address", url=url)

    host_allowed = allow_list.covers_host(host)
    checked: list[str] = []
    for text in addresses:
        address = _parse_address(text)
        problem = None if host_allowed else _why_blocked(address)
        if problem is not None and not allow_list.covers_address(address):
            shown = host if _same_address(host, address) else f"{host} ({address})"
            article = "an" if problem[0] in "aeiou" else "a"
            raise URLNotAllowed(
                f"refusing to fetch {url!r}: {shown} is {article} {problem} address. "
                "Add the host or its network to DYNAMICFLOW_ALLOWED_PRIVATE_HOSTS "
                "to allow it.",
                url=url,
            )
        if str(address) not in checked:
            checked.append(str(address))
    return CheckedURL(url=url, scheme=scheme, host=host, port=port, addresses=tuple(checked))


def _system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def _same_address(host: str, address: IPAddress) -> bool:
    try:
        return _parse_address(host) == address
    except ValueError:
        return False


def _parse_address(text: str) -> IPAddress:
    # getaddrinfo may append an IPv6 zone ("fe80::1%eth0"); the zone does not change the class.
    return ipaddress.ip_address(text.split("%", 1)[0])


def _embedded_ipv4(address: IPAddress) -> list[ipaddress.IPv4Address]:
    if not isinstance(address, ipaddress.IPv6Address):
        return []
    embedded: list[ipaddress.IPv4Address] = []
    if address.ipv4_mapped is not None:
        embedded.append(address.ipv4_mapped)
    if address.sixtofour is not None:
        embedded.append(address.sixtofour)
    if address.teredo is not None:
        embedded.extend(address.teredo)
    if address in _NAT64:
        embedded.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return embedded


def _why_blocked(address: IPAddress) -> str | None:
    """The kind of non-public address this is, or None when it is public."""
    for candidate in (*_embedded_ipv4(address), address):
        if candidate.is_unspecified:
            return "unspecified"
        if candidate.is_loopback:
            return "loopback"
        if candidate.is_link_local:
            return "link-local"
        if candidate.is_multicast:
            return "multicast"
        if candidate.is_reserved:
            return "reserved"
        if candidate.is_private:
            return "private"
        if not candidate.is_global:
            return "non-public"
    return None


# --- httpx transports that connect to the checked address --------------------------------


def _pinned(request: httpx.Request, checked: CheckedURL) -> httpx.Request:
    """A copy of the request aimed at the checked address, still naming the original host.

    The copy keeps the `Host` header; for https the TLS server name (and so the certificate
    check) stays the host name too. The original request is left alone, so httpx resolves
    redirects and reports `response.url` against the real URL.
    """
    extensions = dict(request.extensions)
    if checked.scheme == "https":
        extensions["sni_hostname"] = checked.host
    headers = request.headers.copy()
    if "host" not in headers:
        headers["Host"] = request.url.netloc.decode("ascii")
    return httpx.Request(
        request.method,
        request.url.copy_with(host=checked.addresses[0]),
        headers=headers,
        stream=request.stream,
        extensions=extensions,
    )


class GuardedAsyncTransport(httpx.AsyncBaseTransport):
    """An httpx transport that checks every request and connects to the checked address."""

    def __init__(
        self,
        *,
        allowed: Iterable[str] | AllowList = (),
        resolver: Resolver | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._allowed = AllowList.parse(allowed)
        self._resolver = resolver
        # No keep-alive: a pooled connection is keyed by address, and a later request for a
        # different name on the same address must not reuse a TLS session made for another.
        self._transport = transport or httpx.AsyncHTTPTransport(
            limits=httpx.Limits(max_keepalive_connections=0)
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        checked = await anyio.to_thread.run_sync(self._check, str(request.url))
        return await self._transport.handle_async_request(_pinned(request, checked))

    def _check(self, url: str) -> CheckedURL:
        return resolve_url(url, allowed=self._allowed, resolver=self._resolver)

    async def aclose(self) -> None:
        await self._transport.aclose()


class GuardedTransport(httpx.BaseTransport):
    """The synchronous twin of `GuardedAsyncTransport`."""

    def __init__(
        self,
        *,
        allowed: Iterable[str] | AllowList = (),
        resolver: Resolver | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._allowed = AllowList.parse(allowed)
        self._resolver = resolver
        self._transport = transport or httpx.HTTPTransport(
            limits=httpx.Limits(max_keepalive_connections=0)
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        checked = resolve_url(str(request.url), allowed=self._allowed, resolver=self._resolver)
        return self._transport.handle_request(_pinned(request, checked))

    def close(self) -> None:
        self._transport.close()


def guarded_async_client(
    *,
    allowed: Iterable[str] | AllowList = (),
    timeout: float | httpx.Timeout = 10.0,
    max_redirects: int = MAX_REDIRECTS,
    resolver: Resolver | None = None,
    **kwargs: Any,
) -> httpx.AsyncClient:
    """An `httpx.AsyncClient` whose every request and redirect hop passes the guard.

    Environment proxies are ignored (`trust_env=False`): a proxy would connect on our behalf
    to whatever the name resolves to at that moment.
    """
    return httpx.AsyncClient(
        transport=GuardedAsyncTransport(allowed=allowed, resolver=resolver),
        timeout=timeout,
        follow_redirects=True,
        max_redirects=max_redirects,
        trust_env=False,
        **kwargs,
    )
