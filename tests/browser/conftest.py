"""Browser tests: Debian's Chromium driven by Playwright against a real Daphne and a real
Celery worker on the test database (tests/servers.py). Playwright never downloads a browser
here: `make test` installs Chromium with apt when it is missing.

Each test gets a fresh browser context signed in as a staff user (`page`), and
`screenshot(page, name)` saves a PNG under var/test-artifacts/ for people to look at.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.servers import ROOT, Daphne, Worker

pytestmark = pytest.mark.browser



#: Times a test's flush is tried when it deadlocks with the servers (see below).
FLUSH_TRIES = 3


@pytest.fixture(scope="session", autouse=True)
def _flush_tried_again_after_a_deadlock() -> Iterator[None]:
    """After each test its database is flushed (TRUNCATE) while the servers may still be
    answering the page (a count, a websocket's query): Postgres may then end the flush to
    break a deadlock with them, and the test errors at teardown. The servers' side was
    ended too, so the flush is tried again, on a fresh transaction."""
    from django.core.management.base import CommandError
    from django.core.management.commands import flush
    from django.db import OperationalError

    original = flush.Command.handle

    def handle(self: Any, *args: Any, **options: Any) -> Any:
        for attempt in range(1, FLUSH_TRIES + 1):
            try:
                return original(self, *args, **options)
            except CommandError as exc:
                cause = exc.__cause__
                if not (isinstance(cause, OperationalError) and "deadlock" in str(cause)):
                    raise
                if attempt == FLUSH_TRIES:
                    raise
        return None

    flush.Command.handle = handle  # type: ignore[method-assign]
    yield
    flush.Command.handle = original  # type: ignore[method-assign]


@pytest.fixture(scope="session", autouse=True)
def _sync_orm_beside_playwright() -> Iterator[None]:
    """Playwright's sync API keeps an event loop running in the test's thread, which
    Django's async guard mistakes for async code; the ORM calls here are plain sync ones."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "1"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous

CHROMIUM = os.environ.get("DYNAMICFLOW_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "var" / "test-artifacts"
MANIFEST = ROOT / "frontend" / "dist" / ".vite" / "manifest.json"
PASSWORD = "pw-browser-123456"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class LiveServer:
    """The site as a browser sees it: Daphne (HTTP, static files, websockets) + a worker."""

    def __init__(self, daphne: Daphne, worker: Worker) -> None:
        self.daphne = daphne
        self.worker = worker
        self.url = daphne.origin
        # pytest-django treats any fixture named `live_server` as its own and enables and
        # disables these settings around each test; this server needs no overrides.
        from django.test import override_settings

        self._live_server_modified_settings = override_settings()

    def __call__(self, path: str) -> str:
        return self.url + path


@pytest.fixture(scope="session")
def _browser_servers(
    django_db_setup: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    if not MANIFEST.exists():
        pytest.fail("The web app is not built: run `make frontend` (make test builds it).")
    logs = tmp_path_factory.mktemp("browser-servers")
    daphne = Daphne(logs / "daphne.log")
    worker = Worker("browser", logs)
    worker.start()
    try:
        worker.wait_ready()
        yield LiveServer(daphne, worker)
    finally:
        worker.stop()
        daphne.stop()


@pytest.fixture
def live_server(_browser_servers: LiveServer, transactional_db: None) -> LiveServer:
    """A running site whose database is this test's (committed, so the servers see it)."""
    if not _browser_servers.worker.alive():
        _browser_servers.worker.start()
        _browser_servers.worker.wait_ready()
    return _browser_servers


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.fail(f"Chromium not found at {CHROMIUM}: `apt-get install chromium`.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def staff_user(django_user_model: Any, transactional_db: None) -> Any:
    return django_user_model.objects.create_user(
        "cyd", password=PASSWORD, is_staff=True, is_superuser=True
    )


@pytest.fixture
def user(django_user_model: Any, transactional_db: None) -> Any:
    return django_user_model.objects.create_user("ada", password=PASSWORD)


def sign_in(page: Any, server: LiveServer, username: str, password: str = PASSWORD) -> None:
    page.goto(server("/login/"))
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(password)
    page.get_by_test_id("login-submit").click()
    page.wait_for_url(lambda url: "/login/" not in url, timeout=15_000)


@pytest.fixture
def new_page(browser: Any, live_server: LiveServer) -> Iterator[Callable[..., Any]]:
    """Opens a page in a fresh context, signed in as `user` when given."""
    contexts: list[Any] = []

    def open_page(user: Any = None) -> Any:
        # Less motion, as a person may ask their system for: the graph's view moves in one
        # step, so a click never lands on a card as it eases away to a new fit.
        context = browser.new_context(viewport={"width": 1400, "height": 900},
                                      accept_downloads=True, reduced_motion="reduce")
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.errors = []  # uncaught exceptions, checked by tests that care
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        if user is not None:
            sign_in(page, live_server, user.get_username())
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """A failed browser test leaves a screenshot of each of its pages beside the others."""
    report = yield
    if report.when == "call" and report.failed and "new_page" in getattr(item, "fixturenames", ()):
        opened = item.funcargs.get("new_page")
        contexts = getattr(opened, "__closure__", None) or ()
        for cell in contexts:
            if isinstance(cell.cell_contents, list):
                for i, context in enumerate(cell.cell_contents):
                    for j, open_page in enumerate(context.pages):
                        ARTIFACTS.mkdir(parents=True, exist_ok=True)
                        name = f"{item.name}-FAILED-{i}-{j}.png"
                        open_page.screenshot(path=str(ARTIFACTS / name))
    return report


@pytest.fixture
def page(new_page: Callable[..., Any], staff_user: Any) -> Any:
    """A 1400x900 page signed in as a staff user."""
    return new_page(staff_user)


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Callable[[Any, str], Path]:
    def take(page: Any, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{request.node.name}-{name}.png".replace("/", "_")
        page.screenshot(path=str(path))
        return path

    return take
