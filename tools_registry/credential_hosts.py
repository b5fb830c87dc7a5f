"""Where a credential may be sent: host patterns, checked against every request that carries it.

A credential lists the hosts it belongs to (`api.example.com`, `*.example.com` for any
subdomain, optionally with `:port`). An HTTP tool that puts a credential in a header may
only send that request, and every redirect hop of it, to a host every credential in it
allows; anything else fails the node before a byte is sent. An empty list sends the
credential nowhere.

Django-free: the registry's models and the HTTP tool both use it.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = [
    "Secret",
    "UrlTarget",
    "host_allowed",
    "normalize_host_pattern",
    "normalize_host_patterns",
    "static_url_host",
    "static_url_target",
]

_LABEL = r"(?!-)[a-z0-9_-]{1,63}(?<!-)"
_HOSTNAME = re.compile(rf"^{_LABEL}(\.{_LABEL})*$")
DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Secret:
    """A decrypted credential and the host patterns it may be sent to."""

    name: str
    value: str
    allowed_hosts: tuple[str, ...]

    def __repr__(self) -> str:  # never show the value in a traceback or a log
        return f"Secret({self.name!r}, allowed_hosts={self.allowed_hosts!r})"


def normalize_host_pattern(entry: str) -> str:
    """`entry` in canonical form (lower case, IDNA, no trailing dot); ValueError says why not."""
    text = entry.strip().lower()
    if not text:
        raise ValueError("an empty host")
    if "://" in text or "/" in text or "@" in text or "?" in text:
        raise ValueError(
            f"{entry!r} is not a host: give the host name only, e.g. api.example.com "
            "(no scheme, path or user)"
        )
    host, port = _split_port(text, entry)
    wildcard = host.startswith("*.")
    if wildcard:
        host = host[2:]
    host = host.rstrip(".")
    if "*" in host:
        raise ValueError(f"{entry!r}: a wildcard may only start the host, as in *.example.com")
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        address = None
    if address is not None:
        if wildcard:
            raise ValueError(f"{entry!r}: an IP address cannot have a wildcard")
        shown = f"[{address}]" if address.version == 6 else str(address)
    else:
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise ValueError(f"{entry!r} is not a valid host name") from None
        if not _HOSTNAME.match(host):
            raise ValueError(f"{entry!r} is not a valid host name")
        if wildcard and "." not in host:
            raise ValueError(
                f"{entry!r} would match every host under a top-level domain; name the domain "
                "as well, e.g. *.example.com"
            )
        shown = f"*.{host}" if wildcard else host
    return f"{shown}:{port}" if port is not None else shown


def normalize_host_patterns(entries: Iterable[str]) -> tuple[list[str], list[str]]:
    """(canonical patterns without duplicates, in order; problems, one per bad entry)."""
    patterns: list[str] = []
    problems: list[str] = []
    for entry in entries:
        if not isinstance(entry, str):
            problems.append(f"{entry!r} is not a host name")
            continue
        try:
            pattern = normalize_host_pattern(entry)
        except ValueError as exc:
            problems.append(str(exc))
            continue
        if pattern not in patterns:
            patterns.append(pattern)
    return patterns, problems


def host_allowed(patterns: Iterable[str], *, host: str, port: int | None, scheme: str) -> bool:
    """Whether a request to `scheme://host:port` matches one of `patterns`."""
    host = _canonical_host(host)
    effective_port = port if port is not None else DEFAULT_PORTS.get(scheme.lower())
    for pattern in patterns:
        name, pattern_port = _split_port(pattern, pattern)
        if pattern_port is not None and pattern_port != effective_port:
            continue
        if name.startswith("*."):
            if host.endswith(name[1:]) and host != name[2:]:
                return True
        elif host == name.strip("[]") or host == name:
            return True
    return False


@dataclass(frozen=True)
class UrlTarget:
    """Where a URL with a fixed host sends its request."""

    scheme: str
    host: str
    port: int | None

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}" if self.port is not None else host


def static_url_target(url_template: str) -> UrlTarget | None:
    """The scheme, host and port of a URL template when they are fixed, else None.

    None means the host (or the scheme, or the port) comes from a placeholder: who runs the
    tool chooses where the request goes.
    """
    match = re.match(r"^\s*([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)", url_template)
    if match is None or "{{" in match.group(2):
        return None
    try:
        parts = urlsplit(match.group(0).strip())
        port = parts.port
    except ValueError:
        return None
    if not parts.hostname:
        return None
    return UrlTarget(parts.scheme.lower(), _canonical_host(parts.hostname), port)


def static_url_host(url_template: str) -> str | None:
    """`host` or `host:port` of a URL template with a fixed host, else None."""
    target = static_url_target(url_template)
    return str(target) if target is not None else None


def _canonical_host(host: str) -> str:
    host = host.strip().lower().rstrip(".").strip("[]")
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def _split_port(text: str, entry: str) -> tuple[str, int | None]:
    """`host:port` -> (host, port); IPv6 literals are bracketed when they carry a port."""
    if text.startswith("["):
        end = text.find("]")
        if end < 0:
            raise ValueError(f"{entry!r}: an IPv6 address needs its closing ']'")
        host, rest = text[: end + 1], text[end + 1 :]
        if not rest:
            return host, None
        if not rest.startswith(":"):
            raise ValueError(f"{entry!r} is not a valid host")
        return host, _port(rest[1:], entry)
    if text.count(":") > 1:  # a bare IPv6 address
        return text, None
    host, sep, port = text.partition(":")
    return host, _port(port, entry) if sep else None


def _port(text: str, entry: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise ValueError(f"{entry!r}: the port must be a number from 1 to 65535")
    return int(text)
