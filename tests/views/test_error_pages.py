"""With DEBUG off (the demo and production) errors get Swedish pages (issue 10).

Not Django's technical pages: no list of URL patterns, no traceback, no settings;
plain words and a way back to the start page, in the site's look.
"""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from tests.fixtures import client_for
from tests.views.helpers import page
from tests.world import World

pytestmark = pytest.mark.django_db

ERROR_URLS = "tests.views.error_urls"
# What Django's technical 404/500 pages say, which a user must never see.
TECHNICAL = ("URLconf", "Using the URLconf", "Traceback", "urlpatterns", "Page not found")


def assert_not_technical(html: str) -> None:
    for text in TECHNICAL:
        assert text not in html, text


@override_settings(DEBUG=False)
def test_an_unknown_address_gets_the_swedish_404_page_without_the_url_list() -> None:
    response = Client().get("/finns-inte/alls/")

    assert response.status_code == 404
    html = page(response)
    assert "<h1>Sidan finns inte</h1>" in html
    assert '<a href="/">Till startsidan</a>' in html
    assert "/static/delaktig/app.css" in html  # the site's look
    assert "mina-personer" not in html  # no URL patterns listed
    assert_not_technical(html)


@override_settings(DEBUG=False)
def test_the_404_page_keeps_the_menu_for_a_logged_in_user(world: World) -> None:
    html = page(client_for("alice").get("/finns-inte/"))

    assert "<h1>Sidan finns inte</h1>" in html
    assert 'aria-label="Huvudmeny"' in html
    assert "Logga ut" in html


@override_settings(DEBUG=False, ROOT_URLCONF=ERROR_URLS)
def test_a_refusal_gets_the_swedish_403_page(world: World) -> None:
    response = client_for("bob").get("/test-forbidden/")

    assert response.status_code == 403
    html = page(response)
    assert "<h1>Ingen behörighet</h1>" in html
    assert '<a href="/">Till startsidan</a>' in html
    assert_not_technical(html)


@override_settings(DEBUG=False, ROOT_URLCONF=ERROR_URLS)
def test_a_failure_gets_the_swedish_500_page_without_a_traceback(world: World) -> None:
    client = client_for("bob")
    client.raise_request_exception = False

    response = client.get("/test-broken/")

    assert response.status_code == 500
    html = page(response)
    assert "<h1>Något gick fel</h1>" in html
    assert "har inte sparats" in html
    assert '<a href="/">Till startsidan</a>' in html
    assert '<link rel="stylesheet" href="/static/delaktig/app.css">' in html
    assert "a test-only failure" not in html
    assert "RuntimeError" not in html
    assert_not_technical(html)
