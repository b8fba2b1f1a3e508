"""The one convention for refusing an action, in every app.

A service that is asked to do something its actor may not do raises
:class:`Refused` with a Swedish reason. It is a ``PermissionDenied``, so a caller
that only maps access (the API: 403/404; :func:`denied_is_not_found` in views)
needs nothing more, and a ``ValidationError``, so a form that already shows a
service's errors shows the reason to a user who may see the object but not do
this with it. Whether a user may see an object at all is decided before the
service is called, by the app's access object (``plans.access.PlanAccess``…),
and answered with 404: whether a person or a plan exists is itself confidential.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse

NOT_FOUND = "Sidan finns inte eller så saknar du behörighet."


class Refused(PermissionDenied, ValidationError):
    """The actor may not do this (``PermissionDenied``); ``messages`` says why in Swedish."""

    def __init__(self, message: str) -> None:
        ValidationError.__init__(self, message)


def require(allowed: bool, message: str) -> None:
    """Raise :class:`Refused` with ``message`` unless ``allowed``."""
    if not allowed:
        raise Refused(message)


def denied_is_not_found(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A ``PermissionDenied`` that reaches the view's caller becomes a 404 (R-LIFE-8)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            raise Http404(NOT_FOUND) from exc

    return wrapper
