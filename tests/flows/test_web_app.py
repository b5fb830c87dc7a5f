"""The page that hosts the web app: sign-in first, then one template for every app path."""

from __future__ import annotations

import json
import re

import pytest
from django.conf import settings


def test_app_paths_need_sign_in(client):
    for path in ("/", "/flows", "/flows/3/v/2", "/runs/abc", "/inbox", "/tools"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/login/?next=")


@pytest.mark.django_db
def test_every_app_path_serves_the_app_with_the_session(client, django_user_model):
    if not settings.DJANGO_VITE["default"]["manifest_path"].exists():
        pytest.fail("the web app is not built: run `make frontend`")
    user = django_user_model.objects.create_user("ada", password="pw-ada-123456")
    client.force_login(user)

    for path in ("/", "/flows", "/flows/new", "/flows/3/v/2", "/runs/abc", "/tools"):
        response = client.get(path)
        assert response.status_code == 200, path
        page = response.content.decode()
        assert '<div id="root"></div>' in page
        assert re.search(r'<script type="module" [^>]*src="/static/assets/main-[\w-]+\.js"', page)
        session = json.loads(
            re.search(r'<script id="dynamicflow-session" type="application/json">(.*?)</script>',
                      page, re.S).group(1)
        )
        assert session["username"] == "ada"
        assert session["isStaff"] is False
        assert "offline" in session["planners"]
        assert "csrftoken" in response.cookies


def test_unknown_paths_are_404_with_the_apps_not_found_page(admin_client, client):
    response = admin_client.get("/nope/deeper")
    assert response.status_code == 404
    assert b'<div id="root"></div>' in response.content
    # signed out, it asks for sign-in first; API and static misses stay plain 404s
    assert client.get("/nope").status_code == 302
    assert admin_client.get("/api/nope").status_code == 404
    assert admin_client.get("/static/nope.js").status_code == 404


def test_djangos_default_sign_in_address_leads_to_the_sign_in_page(client, admin_client):
    # /accounts/login/ (Django's LOGIN_URL default, and what people type) is the sign-in
    # page, its ?next= kept; it used to be the app's "Page not found" once signed in.
    response = client.get("/accounts/login/")
    assert (response.status_code, response["Location"]) == (302, "/login/")
    response = client.get("/accounts/login/?next=/runs")
    assert response["Location"] == "/login/?next=/runs"
    # signed in already, the sign-in page sends on to the app, as /login/ does
    assert admin_client.get("/accounts/login/", follow=True).redirect_chain[-1][0] == "/flows"


def test_static_files_are_served_without_collectstatic(client):
    response = client.get("/static/admin/css/base.css")
    assert response.status_code == 200
    assert b"body" in b"".join(response.streaming_content)
