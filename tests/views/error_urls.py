"""A URLconf for the error-page tests: the real one, plus views that fail on purpose."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path

from delaktig.urls import urlpatterns as real_urlpatterns


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a test-only failure")


urlpatterns = [
    path("test-forbidden/", forbidden),
    path("test-broken/", broken),
    *real_urlpatterns,
]
