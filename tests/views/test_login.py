"""The login page: Swedish, accessible, and a plain Swedish error (R-LIFE-8: sign-in)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.views.helpers import assert_page_structure, page, text
from tests.world import PASSWORD, World

LOGIN = "/accounts/login/"
ERROR = "Användarnamnet eller lösenordet stämmer inte. Försök igen."


def test_it_has_swedish_labels_for_its_fields(db: None) -> None:
    html = page(Client().get(LOGIN))

    assert "<h1>Logga in</h1>" in html
    assert '<label for="id_username">Användarnamn</label>' in html
    assert '<label for="id_password">Lösenord</label>' in html
    assert '<button type="submit" class="button">Logga in</button>' in html
    assert ERROR not in html
    assert_page_structure(html)


def test_a_wrong_password_shows_the_swedish_error_and_signs_no_one_in(world: World) -> None:
    client = Client()
    response = client.post(LOGIN, {"username": "alice", "password": "fel-lösenord"})
    html = page(response)

    assert response.status_code == 200
    assert f'<div class="error-summary" role="alert"><p>{ERROR}</p></div>' in html
    assert 'value="alice"' in html  # the username is kept
    assert "_auth_user_id" not in client.session
    assert_page_structure(html)


def test_an_unknown_user_gets_the_same_error(world: World) -> None:
    html = page(Client().post(LOGIN, {"username": "okand", "password": PASSWORD}))
    assert ERROR in html


def test_the_right_password_signs_in_and_goes_home(world: World) -> None:
    client = Client()
    response = client.post(LOGIN, {"username": "alice", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(world.alice.pk)


def test_it_returns_to_the_page_asked_for(world: World) -> None:
    client = Client()
    path = reverse("my_persons")
    login_page = page(client.get(LOGIN, {"next": path}))
    assert f'<input type="hidden" name="next" value="{path}">' in login_page

    response = client.post(LOGIN, {"username": "bob", "password": PASSWORD, "next": path})

    assert response["Location"] == path


def test_it_does_not_return_to_another_site(world: World) -> None:
    response = Client().post(
        LOGIN, {"username": "bob", "password": PASSWORD, "next": "https://example.com/"}
    )
    assert response["Location"] == reverse("home")


def test_signing_out_returns_to_the_login_page(world: World) -> None:
    client = Client()
    client.post(LOGIN, {"username": "bob", "password": PASSWORD})

    response = client.post(reverse("logout"), follow=True)

    assert "_auth_user_id" not in client.session
    assert "<h1>Logga in</h1>" in page(response)
    assert "Logga ut" not in text(page(response))
