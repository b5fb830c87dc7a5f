"""fetch_url against a real HTTP server on 127.0.0.1, allowed only through settings."""

from __future__ import annotations

import pytest

from flows.core.tools import RetryableToolError, ToolError
from tools_registry.demo.web import MAX_BODY_BYTES


@pytest.fixture
def local_allowed(settings) -> None:
    settings.DYNAMICFLOW_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]


@pytest.mark.usefixtures("local_allowed")
def test_fetches_plain_text(invoke_tool, http_server) -> None:
    result = invoke_tool("fetch_url", {"url": f"{http_server.base_url}/hello"})
    assert result == {
        "url": f"{http_server.base_url}/hello",
        "status_code": 200,
        "content_type": "text/plain",
        "content": "hello from the test server",
        "text": "hello from the test server",
        "title": None,
        "truncated": False,
    }


@pytest.mark.usefixtures("local_allowed")
def test_html_gives_readable_text_and_title(invoke_tool, http_server) -> None:
    result = invoke_tool("fetch_url", {"url": f"{http_server.base_url}/page"})
    assert result["content_type"] == "text/html"
    assert "<script>" in result["content"]
    assert result["title"] == "Order status"
    assert result["text"] == "Your order\nOrder A-1001 has shipped.\nThanks for waiting!"


@pytest.mark.usefixtures("local_allowed")
def test_json_is_returned_as_text(invoke_tool, http_server) -> None:
    result = invoke_tool("fetch_url", {"url": f"{http_server.base_url}/json"})
    assert result["content_type"] == "application/json"
    assert result["content"] == '{"ok": true, "items": [1, 2, 3]}'


@pytest.mark.usefixtures("local_allowed")
def test_follows_redirects_and_reports_the_final_url(invoke_tool, http_server) -> None:
    result = invoke_tool("fetch_url", {"url": f"{http_server.base_url}/redirect-hello"})
    assert result["url"] == f"{http_server.base_url}/hello"
    assert result["content"] == "hello from the test server"


@pytest.mark.usefixtures("local_allowed")
def test_large_bodies_are_cut(invoke_tool, http_server) -> None:
    result = invoke_tool("fetch_url", {"url": f"{http_server.base_url}/big", "max_chars": 1000})
    assert result["truncated"] is True
    assert result["content"] == "a" * 1000
    assert MAX_BODY_BYTES < 2_500_000


@pytest.mark.usefixtures("local_allowed")
def test_binary_bodies_are_not_decoded(invoke_tool, http_server) -> None:
    result = invoke_tool("fetch_url", {"url": f"{http_server.base_url}/binary"})
    assert (result["content_type"], result["content"]) == ("application/octet-stream", "")


@pytest.mark.usefixtures("local_allowed")
def test_client_errors_are_results_and_unavailable_is_retryable(invoke_tool, http_server) -> None:
    missing = invoke_tool("fetch_url", {"url": f"{http_server.base_url}/missing"})
    assert (missing["status_code"], missing["content"]) == (404, "no such page")
    with pytest.raises(RetryableToolError) as raised:
        invoke_tool("fetch_url", {"url": f"{http_server.base_url}/unavailable"})
    assert raised.value.details["status_code"] == 503


def test_loopback_is_refused_without_the_setting(invoke_tool, http_server, settings) -> None:
    settings.DYNAMICFLOW_ALLOWED_PRIVATE_HOSTS = []
    with pytest.raises(ToolError) as raised:
        invoke_tool("fetch_url", {"url": f"{http_server.base_url}/hello"})
    assert raised.value.code == "url_not_allowed"
    assert raised.value.retryable is False
    assert "loopback" in raised.value.message
    assert http_server.seen_hosts == []  # refused before connecting


@pytest.mark.usefixtures("local_allowed")
def test_a_redirect_to_the_metadata_address_is_refused(invoke_tool, http_server) -> None:
    with pytest.raises(ToolError) as raised:
        invoke_tool("fetch_url", {"url": f"{http_server.base_url}/redirect-private"})
    assert raised.value.code == "url_not_allowed"
    assert "169.254.169.254" in raised.value.message


@pytest.mark.usefixtures("local_allowed")
def test_redirect_loops_stop(invoke_tool, http_server) -> None:
    with pytest.raises(ToolError) as raised:
        invoke_tool("fetch_url", {"url": f"{http_server.base_url}/loop/0"})
    assert raised.value.code == "too_many_redirects"
    assert raised.value.retryable is False


@pytest.mark.usefixtures("local_allowed")
def test_connection_failures_are_retryable(invoke_tool, http_server) -> None:
    # Given a port nobody listens on (the server's, once it is shut down)
    url = f"{http_server.base_url}/hello"
    http_server.shutdown()
    http_server.server_close()
    with pytest.raises(RetryableToolError) as raised:
        invoke_tool("fetch_url", {"url": url})
    assert raised.value.code == "network_error"


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/", "not a url"])
def test_non_http_urls_are_refused(invoke_tool, url: str) -> None:
    with pytest.raises(ToolError) as raised:
        invoke_tool("fetch_url", {"url": url})
    assert raised.value.code == "url_not_allowed"
    assert raised.value.retryable is False
