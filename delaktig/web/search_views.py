"""Finding people and plans (issue 10): the search and the unit's person list.

The search is a POST (``hx-post`` with the CSRF token when JavaScript runs, a plain
form otherwise), so what was typed — often a personnummer — never reaches a URL,
a browser history or a server's request log (R-LIFE-8). ``sensitive_post_parameters``
keeps it out of error reports too. Each person shown is a read of their file and is
access-logged; a search's rows say it was a search and of what kind, never the text.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from delaktig.core.types import AuthenticatedHttpRequest
from delaktig.organisation.models import Unit
from delaktig.people.access import get_reader_unit
from delaktig.people.models import reader_unit_ids
from delaktig.records.models import AccessAction
from delaktig.records.services import access_log_cases

from .finder import SEARCH_LIMIT, UNIT_PAGE_SIZE, rows, search_cases, unit_cases, unit_contacts
from .search_forms import SearchForm, UnitPersonsFilter


def today() -> date:
    return timezone.localdate()


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))  # django-htmx's middleware


def _login_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """``login_required``; an htmx search whose session expired goes to the login page whole.

    Following the redirect would put the login page inside the results.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated and _is_htmx(request):
            return HttpResponseClientRedirect(redirect_to_login(request.path)["Location"])
        return login_required(view)(request, *args, **kwargs)

    return wrapper


@sensitive_post_parameters("q")
@_login_required
@require_http_methods(["GET", "POST"])
@sensitive_variables()
def search(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The search page (GET: the empty form) and its results (POST; htmx gets the fragment)."""
    day = today()
    form = SearchForm(request.POST if request.method == "POST" else None, today=day)
    result = None
    if request.method == "POST" and form.is_valid():
        result = search_cases(request.user, form.cleaned_data["q"], day)
        access_log_cases(
            user=request.user,
            reads=[(row.case, f"sokning:{result.kind.value}") for row in result.rows],
            action=AccessAction.VIEW_LIST,
        )
    context: dict[str, Any] = {
        "form": form,
        "result": result,
        "limit": SEARCH_LIMIT,
        "today": day,
        "searched": request.method == "POST",
    }
    if _is_htmx(request):
        return render(request, "web/_search_response.html", context)
    context["units"] = Unit.objects.filter(pk__in=reader_unit_ids(request.user.pk)).order_by("name")
    return render(request, "web/search.html", context)


@login_required
@require_http_methods(["GET"])
def unit_persons(request: AuthenticatedHttpRequest, unit_id: int) -> HttpResponse:
    """Every open case's person at a unit, for everyone who works there, most urgent first."""
    unit = get_reader_unit(request.user, unit_id)
    day = today()
    form = UnitPersonsFilter(request.GET or None, contacts=unit_contacts(unit.pk))
    filters: dict[str, object] = {}
    number = 1
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {
            "state": data["planstatus"],
            "contact_id": data["kontaktman"].pk if data["kontaktman"] else None,
            "type_id": data["insats"].pk if data["insats"] else None,
        }
        number = data["sida"] or 1
    paginator = Paginator(unit_cases(unit.pk, day, **filters), UNIT_PAGE_SIZE)  # type: ignore[arg-type]
    listed = paginator.get_page(number)
    persons = rows(list(listed.object_list), day)
    access_log_cases(
        user=request.user, reads=[row.case for row in persons], action=AccessAction.VIEW_LIST
    )
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "web/unit_persons.html",
        {
            "unit": unit,
            "form": form,
            "page": listed,
            "persons": persons,
            "filtered": any(filters.values()),
            "query": query.urlencode(),
            "today": day,
        },
    )
