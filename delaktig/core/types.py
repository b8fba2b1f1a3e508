"""Shared types (after healthchecks' ``AuthenticatedHttpRequest``)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest


class AuthenticatedHttpRequest(HttpRequest):
    user: User


__all__ = ["AuthenticatedHttpRequest", "User"]
