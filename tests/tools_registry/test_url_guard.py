"""The URL guard: which addresses are refused, the allow-list, and the pinned transports.

Only literal IPs, 'localhost' and names served by a fake resolver are used: no external DNS.
"""

from __future__ import annotations

import httpx
import pytest

from tools_registry.url_guard import (
    GuardedAsyncTransport,
    GuardedTransport,
    HostNotFound,
    URLNotAllowed,
    check_url,
    guarded_async_client,
    resolve_url,
)


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://127.0.0.1/", "loopback"),
        ("http://127.8.9.10:8080/admin", "loopback"),
        ("http://localhost:8000/", "loopback"),
        ("http://10.0.0.1/", "private"),
        ("http://192.168.1.20/", "private"),
        ("http://172.16.5.4/", "private"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[::1]/", "loopback"),
        ("http://[::ffff:127.0.0.1]/", "loopback"),
        ("http://[::ffff:169.254.169.254]/", "link-local"),
        ("http://[fe80::1]/", "link-local"),
        ("http://[fc00::1]/", "private"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://[::]/", "unspecified"),
        ("http://224.0.0.251/", "multicast"),
        ("http://240.0.0.1/", "reserved"),
        ("http://100.64.0.1/", "non-public"),
        # Spellings of 127.0.0.1 that resolvers accept: decimal, octal, hex, short form.
        ("http://2130706433/", "loopback"),
        ("http://0177.0.0.1/", "loopback"),
        ("http://0x7f.0.0.1/", "loopback"),
        ("http://127.1/", "loopback"),
        # IPv4 hidden in IPv6: 6to4 and NAT64 forms of 127.0.0.1.
        ("http://[2002:7f00:1::]/", "loopback"),
        ("http://[64:ff9b::7f00:1]/", "loopback"),
    ],
)
def test_internal_addresses_are_refused(url: str, kind: str) -> None:
    with pytest.raises(URLNotAllowed) as raised:
        check_url(url, allowed=[])
    assert f" {kind} address" in str(raised.value)
    assert "DYNAMICFLOW_ALLOWED_PRIVATE_HOSTS" in str(raised.value)
    assert raised.value.code == "url_not_allowed"


@pytest.mark.parametrize(
    "url", ["http://1.1.1.1/", "https://8.8.8.8:8443/dns", "http://[2606:4700::1111]/"]
)
def test_public_addresses_pass(url: str) -> None:
    check_url(url, allowed=[])


@pytest.mark.parametrize(
    "url",
    ["ftp://1.1.1.1/file", "file:///etc/passwd", "gopher://1.1.1.1/", "javascript:alert(1)",
     "/relative/path", "1.1.1.1"],
)
def test_only_http_and_https_are_allowed(url: str) -> None:
    with pytest.raises(URLNotAllowed, match="only http and https"):
        check_url(url, allowed=["1.1.1.1"])


@pytest.mark.parametrize("url", ["http:///path", "http://:80/", "http://1.1.1.1:99999/"])
def test_urls_without_a_usable_host_or_port_are_refused(url: str) -> None:
    with pytest.raises(URLNotAllowed):
        check_url(url)


def test_allowed_by_host_name() -> None:
    check_url("http://localhost:8000/", allowed=["localhost"])
    check_url("http://LOCALHOST./", allowed=["localhost"])


def test_allowed_by_ip() -> None:
    check_url("http://127.0.0.1:9000/", allowed=["127.0.0.1"])
    check_url("http://[::1]/", allowed=["::1"])
    # Allowing the IP covers a name that resolves to it.
    check_url("http://localhost:9000/", allowed=["127.0.0.1", "::1"])


def test_allowed_by_cidr_network() -> None:
    check_url("http://10.1.2.3/", allowed=["10.0.0.0/8"])
    check_url("http://[::ffff:10.1.2.3]/", allowed=["10.0.0.0/8"])
    check_url("http://[fd12::5]/", allowed=["fd00::/8"])
    with pytest.raises(URLNotAllowed):
        check_url("http://192.168.0.1/", allowed=["10.0.0.0/8"])


def test_allowing_one_address_does_not_allow_others() -> None:
    with pytest.raises(URLNotAllowed):
        check_url("http://127.0.0.2/", allowed=["127.0.0.1"])
    with pytest.raises(URLNotAllowed):
        check_url("http://169.254.169.254/", allowed=["localhost"])


def test_a_name_resolving_to_any_internal_address_is_refused() -> None:
    def resolver(host: str, port: int) -> list[str]:
        return ["93.184.215.14", "10.0.0.7"]

    with pytest.raises(URLNotAllowed, match=r"mixed\.test \(10\.0\.0\.7\) is a private"):
        check_url("https://mixed.test/", resolver=resolver)


def test_resolve_url_reports_the_checked_addresses() -> None:
    checked = resolve_url("https://shop.test/cart", resolver=lambda host, port: ["93.184.215.14"])
    assert (checked.scheme, checked.host, checked.port) == ("https", "shop.test", 443)
    assert checked.addresses == ("93.184.215.14",)


def test_unresolvable_hosts_raise_host_not_found() -> None:
    def resolver(host: str, port: int) -> list[str]:
        raise OSError("Name or service not known")

    with pytest.raises(HostNotFound, match=r"cannot resolve host 'nowhere\.test'"):
        check_url("http://nowhere.test/", resolver=resolver)


# --- transports ------------------------------------------------------------------------------


async def test_transport_connects_to_the_checked_address_and_keeps_the_host_header(
    http_server,
) -> None:
    # Given a name only our resolver knows, pointing at the local server
    port = http_server.server_address[1]

    def resolver(host: str, port: int) -> list[str]:
        assert host == "service.test"
        return ["127.0.0.1"]

    transport = GuardedAsyncTransport(allowed=["127.0.0.1"], resolver=resolver)
    # When it is fetched (the system resolver could not resolve this name at all)
    async with httpx.AsyncClient(transport=transport) as client:
        response = await client.get(f"http://service.test:{port}/echo-host")
    # Then the connection went to the checked address and the server saw the real name
    assert response.status_code == 200
    assert response.text == f"service.test:{port}"
    assert str(response.url) == f"http://service.test:{port}/echo-host"


async def test_transport_refuses_a_name_that_now_resolves_to_an_internal_address(
    http_server,
) -> None:
    answers = iter([["93.184.215.14"], ["127.0.0.1"]])

    def rebinding_resolver(host: str, port: int) -> list[str]:
        return next(answers)

    # The first check sees a public address; the transport checks again itself and
    # refuses the rebound answer before connecting.
    check_url("http://rebind.test/", resolver=rebinding_resolver)
    transport = GuardedAsyncTransport(resolver=rebinding_resolver)
    async with httpx.AsyncClient(transport=transport) as client:
        with pytest.raises(URLNotAllowed, match="loopback"):
            await client.get(f"http://rebind.test:{http_server.server_address[1]}/hello")
    assert http_server.seen_hosts == []


async def test_every_redirect_hop_is_checked(http_server) -> None:
    async with guarded_async_client(allowed=["127.0.0.1"]) as client:
        ok = await client.get(f"{http_server.base_url}/redirect-hello")
        assert (ok.status_code, ok.text) == (200, "hello from the test server")
        with pytest.raises(URLNotAllowed, match=r"169\.254\.169\.254"):
            await client.get(f"{http_server.base_url}/redirect-private")


async def test_redirects_stop_after_five(http_server) -> None:
    async with guarded_async_client(allowed=["127.0.0.1"]) as client:
        with pytest.raises(httpx.TooManyRedirects):
            await client.get(f"{http_server.base_url}/loop/0")
    assert len(http_server.seen_hosts) == 6  # the first request and five redirects


def test_sync_transport_checks_too(http_server) -> None:
    with httpx.Client(transport=GuardedTransport(allowed=["127.0.0.1"])) as client:
        assert client.get(f"{http_server.base_url}/hello").status_code == 200
    with httpx.Client(transport=GuardedTransport(allowed=[])) as client, \
            pytest.raises(URLNotAllowed):
        client.get(f"{http_server.base_url}/hello")
