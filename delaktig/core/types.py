"""Shared types (after healthchecks' ``AuthenticatedHttpRequest``)."""

from __future__ import annotations

from django.http import HttpRequest

from delaktig.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User


__all__ = ["AuthenticatedHttpRequest", "User"]
