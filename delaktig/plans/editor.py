"""The plan editor: a draft's form with a live completeness check (R-PLAN-1…15, R-LIFE-3).

Two views over the services in ``plans.services``:

* :func:`edit_draft` — the whole form. A plain POST saves the draft (works
  without JavaScript) and, with ``action=send``, sends it for signing.
* :func:`autosave` — htmx posts the form here while the user types; it saves
  with optimistic locking and answers with the check panel only.

Only the latest version of a plan is edited, only while it is a draft, and only
by those ``PlanAccess.may_write`` allows (everyone else gets 404, like for any
plan they may not open). Every GET of the editor is written to the access log
(R-LIFE-8); saves are written to the audit trail by the service.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import wraps
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from delaktig import rules
from delaktig.core.types import AuthenticatedHttpRequest
from delaktig.organisation.services import effective_profile

from .access import NOT_FOUND, PlanAccess, plan_for
from .content import to_plan_content
from .editor_form import ParsedPost, anchor_for, build_form, field_label, parse_post
from .models import Plan, PlanVersion, VersionState
from .services import StaleDraft, hsl_hits, plan_save_draft, plan_send_for_signing
from .templates_text import section_texts

NOT_DRAFT = "Planen är skickad för signering och kan inte ändras – skapa en ny version."
SAVED = "Utkastet är sparat."
SENT = "Planen är klar för signering."
NOT_SAVED = "Något behöver rättas – utkastet är inte sparat"
NOT_SAVED_SHORT = "Inte sparat – något behöver rättas"
NO_LOCK = "Sidan saknar uppgift om vilken version du ändrar. Ladda om sidan och försök igen."
# "more:<id>": save, then come back to the list with this id (a new blank row is added).
_MORE = re.compile(r"more:(?P<anchor>[a-z0-9_-]{1,80})")


# --------------------------------------------------------------------------- the check panel


@dataclass(frozen=True)
class PanelItem:
    message: str
    requirement: str
    source: str
    href: str


@dataclass(frozen=True)
class HslItem:
    term: str
    category: str
    label: str
    explanation: str
    href: str
    field: str = ""
    anchor: str = ""  # the input's id: the warning is also shown beside it

    @property
    def key(self) -> str:
        """The value of its confirmation checkbox: field and word, as the service keys them."""
        return f"{self.field}|{self.term.lower()}"


@dataclass
class CheckPanel:
    """What the side panel shows: missing items, advice and health-care warnings (R-PLAN-15)."""

    missing: list[PanelItem] = field(default_factory=list)
    advice: list[PanelItem] = field(default_factory=list)
    hsl: list[HslItem] = field(default_factory=list)
    unreadable: bool = False
    #: The HSL warnings by input id, to show beside each field (R-PLAN-11).
    inline: dict[str, list[HslItem]] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not self.missing and not self.unreadable


def _href(path: str, anchors: Mapping[str, str]) -> str:
    anchor = anchor_for(path, anchors)
    return f"#{anchor}" if anchor else ""


def check_panel(
    content: Mapping[str, Any], profile: rules.RoutineProfile, anchors: Mapping[str, str]
) -> CheckPanel:
    """The completeness check of ``content`` (R-PLAN-15) and its HSL warnings (R-PLAN-11)."""
    try:
        findings = rules.check_completeness(to_plan_content(dict(content)), profile)
    except (KeyError, TypeError, ValueError, AttributeError):
        return CheckPanel(unreadable=True)
    panel = CheckPanel()
    seen: set[tuple[str, str]] = set()
    for finding in findings:
        href = _href(finding.field, anchors)
        if finding.code == "hsl":
            label = field_label(finding.field, content)
            anchor = anchors.get(finding.field, "")
            for hit in finding.hits:
                if (finding.field, hit.term.lower()) not in seen:
                    seen.add((finding.field, hit.term.lower()))
                    hsl_item = HslItem(
                        hit.term, hit.category, label, hit.explanation, href, finding.field, anchor
                    )
                    panel.hsl.append(hsl_item)
                    if anchor:
                        panel.inline.setdefault(anchor, []).append(hsl_item)
            continue
        item = PanelItem(finding.message, finding.requirement, finding.source, href)
        (panel.missing if finding.mandatory else panel.advice).append(item)
    return panel


# --------------------------------------------------------------------------- loading


@dataclass
class _Draft:
    access: PlanAccess
    plan: Plan
    version: PlanVersion
    profile: rules.RoutineProfile
    today: date


def _load(request: AuthenticatedHttpRequest, plan_uuid: UUID) -> _Draft | HttpResponse:
    """The plan's latest version if it is a draft the user may write; else redirect or 404."""
    access = plan_for(request.user, plan_uuid)
    plan, version = access.plan, access.latest
    if version.state != VersionState.DRAFT:
        messages.info(request, NOT_DRAFT)
        url = reverse("plan_detail", kwargs={"plan_uuid": plan.uuid})
        htmx = bool(getattr(request, "htmx", False))  # django-htmx's middleware
        return HttpResponseClientRedirect(url) if htmx else redirect(url)
    if not access.may_write:
        raise Http404(NOT_FOUND)
    today = timezone.localdate()
    return _Draft(access, plan, version, effective_profile(plan.unit, today), today)


def _lock_version(request: AuthenticatedHttpRequest) -> int | None:
    try:
        return int(request.POST.get("lock_version", ""))
    except ValueError:
        return None


def _parse(request: AuthenticatedHttpRequest, draft: _Draft) -> ParsedPost:
    return parse_post(
        request.POST, draft.version.content, master_data_check=draft.profile.master_data_check
    )


def _save(draft: _Draft, content: dict[str, Any], lock: int, by: Any) -> PlanVersion:
    """Save with optimistic locking; a "conflict" with identical content is no conflict.

    The same person's autosave and "Spara utkast" can cross in flight with the
    same ``lock_version``; if the stored content already is what this request
    would save, nothing is lost and the save counts as done.
    """
    try:
        return plan_save_draft(version=draft.version, content=content, lock_version=lock, by=by)
    except StaleDraft:
        current = PlanVersion.objects.get(pk=draft.version.pk)
        if current.state == VersionState.DRAFT and current.content == content:
            return current
        raise


# --------------------------------------------------------------------------- the editor page


@dataclass(frozen=True)
class Alert:
    """An error box (role="alert"): at the top of the form, or in the panel after autosave."""

    title: str
    text: str = ""
    items: Sequence[tuple[str, str]] = ()  # (message, href or "")
    conflict: bool = False
    list_missing: bool = False  # list the check panel's missing items (they have links)


def _alert(
    title: str, *, errors: Sequence[tuple[str, str]] = (), plain: Sequence[str] = ()
) -> Alert:
    """An alert listing form errors, (input id, message), and plain messages."""
    items = [(message, f"#{anchor}" if anchor else "") for anchor, message in errors]
    return Alert(title=title, items=items + [(message, "") for message in plain])


def _render_editor(
    request: AuthenticatedHttpRequest,
    draft: _Draft,
    *,
    content: Mapping[str, Any],
    lock_version: int | None,
    errors: Sequence[tuple[str, str]] = (),
    alert: Alert | None = None,
    status: int = 200,
) -> HttpResponse:
    plan, version, profile = draft.plan, draft.version, draft.profile
    texts = section_texts(plan.municipality_id, profile.template_code)
    form = build_form(
        content, texts=texts, errors=errors, master_data_check=profile.master_data_check
    )
    panel = check_panel(content, profile, form.anchors)
    return render(
        request,
        "plans/editor.html",
        {
            "plan": plan,
            "version": version,
            "person": plan.case.person,
            "form": form,
            "texts": texts,
            "panel": panel,
            "alert": alert,
            "lock_version": lock_version,
            "saved_at": version.updated_at,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_draft(request: AuthenticatedHttpRequest, plan_uuid: UUID) -> HttpResponse:
    loaded = _load(request, plan_uuid)
    if isinstance(loaded, HttpResponse):
        return loaded
    draft = loaded
    version = draft.version
    if request.method == "GET":
        draft.access.record_read(version)
        return _render_editor(
            request, draft, content=version.content, lock_version=version.lock_version
        )

    parsed = _parse(request, draft)
    lock = _lock_version(request)
    if parsed.errors or lock is None:
        errors = parsed.errors or [("", NO_LOCK)]
        return _render_editor(
            request,
            draft,
            content=parsed.content,
            lock_version=lock,
            errors=errors,
            alert=_alert(NOT_SAVED, errors=errors),
            status=400,
        )
    try:
        version = _save(draft, parsed.content, lock, request.user)
    except StaleDraft as exc:
        alert = Alert(title="Utkastet är inte sparat", text=str(exc), conflict=True)
        return _render_editor(
            request, draft, content=parsed.content, lock_version=lock, alert=alert, status=409
        )
    except ValidationError as exc:
        return _render_editor(
            request,
            draft,
            content=parsed.content,
            lock_version=lock,
            alert=_alert(NOT_SAVED, plain=exc.messages),
            status=400,
        )

    action = request.POST.get("action", "save")
    url = reverse("plan_edit", kwargs={"plan_uuid": draft.plan.uuid})
    if action == "send":
        panel = check_panel(version.content, draft.profile, {})
        if panel.complete and panel.hsl:
            # Health-care words: the author confirms each one first (R-PLAN-11).
            return redirect("plan_send_confirm", plan_uuid=draft.plan.uuid)
        try:
            plan_send_for_signing(version=version, by=request.user, on=draft.today)
        except ValidationError as exc:
            draft.version = version
            alert = Alert(
                title="Planen kan inte skickas för signering än",
                text="Utkastet är sparat. Det här saknas innan planen kan skickas:",
                items=[(message, "") for message in exc.messages],
                list_missing=True,
            )
            return _render_editor(
                request,
                draft,
                content=version.content,
                lock_version=version.lock_version,
                alert=alert,
                status=400,
            )
        messages.success(request, SENT)
        return redirect("plan_signing", plan_uuid=draft.plan.uuid)
    messages.success(request, SAVED)
    more = _MORE.fullmatch(action)
    return redirect(f"{url}#{more['anchor']}" if more else url)


# --------------------------------------------------------------------------- autosave


def _render_panel(
    request: AuthenticatedHttpRequest,
    draft: _Draft,
    *,
    content: Mapping[str, Any],
    anchors: Mapping[str, str],
    saved: PlanVersion | None = None,
    alert: Alert | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "plans/_check_panel.html",
        {
            "plan": draft.plan,
            "panel": check_panel(content, draft.profile, anchors),
            # Every input's warning beside it is redrawn (cleared where the words are gone).
            "inline_anchors": sorted(set(anchors.values())),
            "oob": True,
            "saved": saved,
            "alert": alert,
        },
        status=status,
    )


def _htmx_login_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Like login_required, but an htmx request whose session expired gets a 401 panel.

    Following the login redirect would put the login page into the check panel;
    instead the user is told plainly that nothing was saved.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated and getattr(request, "htmx", False):
            return HttpResponse(
                '<aside id="check-panel" class="ed-panel" role="alert">'
                "<p><strong>Du är utloggad.</strong> Det senaste du skrev är inte sparat. "
                "Logga in igen i en ny flik, och spara sedan utkastet här.</p></aside>",
                status=401,
            )
        return login_required(view)(request, *args, **kwargs)

    return wrapper


@_htmx_login_required
@require_POST
def autosave(request: AuthenticatedHttpRequest, plan_uuid: UUID) -> HttpResponse:
    """Save the draft while the user types and answer with the check panel (htmx).

    The answer is the ``_check_panel.html`` partial: the panel itself (the htmx
    target), plus out-of-band swaps of the hidden ``lock_version`` and of the
    status line ("Sparat kl. 10:42", polite) and the alert box (assertive).
    Errors keep their real status — 409 for a conflict, 400 for invalid input —
    and nothing is saved then. htmx 2 does not swap 4xx answers by default, so
    the editor's ``<aside>`` sets ``shouldSwap`` for 400 and 409 in an
    ``hx-on::before-swap`` handler (see ``plans/editor.html``): the conflict
    message reaches the user, and the status code stays truthful.
    """
    loaded = _load(request, plan_uuid)
    if isinstance(loaded, HttpResponse):
        return loaded
    draft = loaded
    parsed = _parse(request, draft)
    lock = _lock_version(request)
    if parsed.errors or lock is None:
        alert = _alert(NOT_SAVED_SHORT, errors=parsed.errors or [("", NO_LOCK)])
        return _render_panel(
            request,
            draft,
            content=parsed.content,
            anchors=parsed.anchors,
            alert=alert,
            status=400,
        )
    try:
        version = _save(draft, parsed.content, lock, request.user)
    except StaleDraft as exc:
        alert = Alert(title="Inte sparat", text=str(exc), conflict=True)
        return _render_panel(
            request,
            draft,
            content=parsed.content,
            anchors=parsed.anchors,
            alert=alert,
            status=409,
        )
    except ValidationError as exc:
        alert = _alert(NOT_SAVED_SHORT, plain=exc.messages)
        return _render_panel(
            request,
            draft,
            content=parsed.content,
            anchors=parsed.anchors,
            alert=alert,
            status=400,
        )
    return _render_panel(
        request, draft, content=version.content, anchors=parsed.anchors, saved=version
    )


# --------------------------------------------------------------------------- HSL confirmation


@dataclass(frozen=True)
class ConfirmItem:
    """One flagged word on the confirmation page, with the text around it."""

    key: str
    term: str
    category: str
    explanation: str
    label: str
    excerpt: str
    href: str


def _excerpt(text: str, term: str, width: int = 70) -> str:
    at = text.lower().find(term.lower())
    if at < 0:
        return text[: 2 * width]
    start, end = max(0, at - width), min(len(text), at + len(term) + width)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def _confirm_items(draft: _Draft) -> list[ConfirmItem]:
    content = draft.version.content
    texts = dict(to_plan_content(content).texts())
    edit = reverse("plan_edit", kwargs={"plan_uuid": draft.plan.uuid})
    form = build_form(
        content, texts=section_texts(draft.plan.municipality_id, draft.profile.template_code)
    )
    return [
        ConfirmItem(
            key=f"{hit.field}|{hit.term.lower()}",
            term=hit.term,
            category=hit.category,
            explanation=hit.explanation,
            label=field_label(hit.field, content),
            excerpt=_excerpt(texts.get(hit.field, ""), hit.term),
            href=edit + _href(hit.field, form.anchors),
        )
        for hit in hsl_hits(content, draft.profile)
    ]


@login_required
@require_http_methods(["GET", "POST"])
def send_confirm(request: AuthenticatedHttpRequest, plan_uuid: UUID) -> HttpResponse:
    """Send a draft with health-care words: the author confirms each hit first (R-PLAN-11).

    S0/S3: health-care measures "får inte dokumenteras och blandas in i
    genomförandeplanen". Every word the check flags is listed with its text; the
    draft is sent only when each is confirmed as not health-care documentation
    (or the text is changed in the editor). The confirmations are recorded.
    """
    loaded = _load(request, plan_uuid)
    if isinstance(loaded, HttpResponse):
        return loaded
    draft = loaded
    version = draft.version
    items = _confirm_items(draft)
    errors: list[str] = []
    checked: set[str] = set()
    if request.method == "POST" and _lock_version(request) is None:
        errors = [NO_LOCK]  # which content was confirmed must be known (review of issue 9)
    elif request.method == "POST":
        checked = set(request.POST.getlist("hsl_confirm"))
        confirmed = {(f, t) for f, _, t in (key.partition("|") for key in checked) if t}
        try:
            plan_send_for_signing(
                version=version,
                by=request.user,
                on=draft.today,
                hsl_confirmed=confirmed,
                lock_version=_lock_version(request),
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, SENT)
            return redirect("plan_signing", plan_uuid=draft.plan.uuid)
    draft.access.record_read(version)
    return render(
        request,
        "plans/send_confirm.html",
        {
            "plan": draft.plan,
            "version": version,
            "person": draft.plan.case.person,
            "items": items,
            "checked": checked,
            "errors": errors,
        },
        status=400 if errors else 200,
    )
