"""Demo web tool: fetch a URL over HTTP(S), guarded against internal addresses.

Private, loopback and link-local addresses are refused unless listed in
settings.DYNAMICFLOW_ALLOWED_PRIVATE_HOSTS; every redirect hop is checked again and the
connection goes to the address that was checked (see `tools_registry.url_guard`).
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Annotated

import httpx
from django.conf import settings
from pydantic import BaseModel, Field

from flows.core.tools import RetryableToolError, ToolError
from tools_registry.code_tools import tool
from tools_registry.url_guard import HostNotFound, URLNotAllowed, guarded_async_client

MAX_BODY_BYTES = 1_000_000
CONNECT_AND_READ_TIMEOUT_S = 10.0
RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})
USER_AGENT = "DynamicFlow/1.0 (+fetch_url)"
_TEXTUAL = ("text/", "application/json", "application/xml", "application/javascript")


class FetchedPage(BaseModel):
    url: str = Field(description="The final URL, after redirects.")
    status_code: int
    content_type: str = Field(description="The media type, e.g. 'text/html' ('' if none).")
    content: str = Field(description="The body as text, cut to max_chars; '' for binary bodies.")
    text: str = Field(description="Readable text: HTML without tags/scripts; else as content.")
    title: str | None = Field(description="The HTML <title>, when there is one.")
    truncated: bool = Field(description="True when the body or the text was cut.")


class _TextExtractor(HTMLParser):
    """Visible text and the title of an HTML page."""

    _SKIPPED = frozenset({"script", "style", "noscript", "template", "svg", "head"})
    _BREAKS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
                         "section", "article", "header", "footer", "blockquote", "pre"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title_parts: list[str] = []
        self._skipping = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag in self._SKIPPED:
            self._skipping += 1
        elif tag in self._BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in self._SKIPPED:
            self._skipping = max(self._skipping - 1, 0)
        elif tag in self._BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title_parts.append(data)
        elif not self._skipping:
            self.parts.append(data)

    def result(self) -> tuple[str, str | None]:
        lines = (" ".join(line.split()) for line in "".join(self.parts).splitlines())
        text = "\n".join(line for line in lines if line)
        title = " ".join("".join(self.title_parts).split()) or None
        return text, title


def _readable(content: str, media_type: str) -> tuple[str, str | None]:
    if media_type not in ("text/html", "application/xhtml+xml"):
        return content, None
    extractor = _TextExtractor()
    extractor.feed(content)
    extractor.close()
    return extractor.result()


@tool(category="web", timeout_s=30, retries=2, concurrency=8)
async def fetch_url(
    url: Annotated[
        str, Field(min_length=1, max_length=2048, description="An http:// or https:// URL.")
    ],
    max_chars: Annotated[
        int, Field(ge=100, le=200_000, description="Longest content/text returned.")
    ] = 20_000,
) -> FetchedPage:
    """Fetch a web page or API response with GET and return its status, type and text.

    Follows up to 5 redirects. Returns content (the body as text) and text (readable text,
    HTML tags removed) cut to max_chars; bodies over 1 MB are cut. Internal and private
    addresses are refused. 4xx/5xx responses are returned with their status_code, except
    429/502/503/504, which fail as retryable.
    """
    allowed = getattr(settings, "DYNAMICFLOW_ALLOWED_PRIVATE_HOSTS", [])
    body = bytearray()
    truncated = False
    try:
        async with guarded_async_client(
            allowed=allowed, timeout=CONNECT_AND_READ_TIMEOUT_S,
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"},
        ) as client, client.stream("GET", url) as response:
            async for chunk in response.aiter_bytes():
                room = MAX_BODY_BYTES - len(body)
                if len(chunk) > room:
                    body += chunk[:room]
                    truncated = True
                    break
                body += chunk
    except URLNotAllowed as exc:
        raise ToolError(exc.message, code=exc.code, details={"url": url}) from None
    except HostNotFound as exc:
        raise RetryableToolError(exc.message, code=exc.code, details={"url": url}) from None
    except httpx.TooManyRedirects:
        raise ToolError(
            f"{url} redirected more than 5 times", code="too_many_redirects",
            details={"url": url},
        ) from None
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
        raise ToolError(f"{url!r} is not a fetchable URL: {exc}", code="invalid_input",
                        details=[{"field": "url", "message": str(exc)}]) from None
    except httpx.TimeoutException as exc:
        raise RetryableToolError(
            f"fetching {url} timed out ({type(exc).__name__})", code="timeout",
            details={"url": url},
        ) from None
    except httpx.TransportError as exc:
        raise RetryableToolError(
            f"fetching {url} failed: {exc or type(exc).__name__}", code="network_error",
            details={"url": url},
        ) from None

    if response.status_code in RETRYABLE_STATUSES:
        raise RetryableToolError(
            f"{url} answered {response.status_code}; try again later", code="http_unavailable",
            details={"url": url, "status_code": response.status_code},
        )
    content_type = response.headers.get("content-type", "")
    media_type = content_type.split(";", 1)[0].strip().lower()
    textual = media_type.startswith(_TEXTUAL) or media_type.endswith(("+json", "+xml"))
    content = ""
    if textual or not media_type:
        content = bytes(body).decode(response.charset_encoding or "utf-8", errors="replace")
    text, title = _readable(content, media_type)
    if len(content) > max_chars or len(text) > max_chars:
        truncated = True
    return FetchedPage(
        url=str(response.url),
        status_code=response.status_code,
        content_type=media_type,
        content=content[:max_chars],
        text=text[:max_chars],
        title=title,
        truncated=truncated,
    )
