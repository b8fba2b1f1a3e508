"""Staff pages: thin views over the access helpers, queries and services."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from delaktig import rules
from delaktig.archive.queries import outstanding_for_units
from delaktig.core.types import AuthenticatedHttpRequest
from delaktig.organisation.models import Membership, Role
from delaktig.organisation.services import ProfileResolver
from delaktig.oversight.models import Task
from delaktig.oversight.queries import my_cases, unit_overview, units_summary
from delaktig.people.access import (
    get_managed_case,
    get_managed_unit,
    get_visible_person,
    managed_units,
    record_person_read,
)
from delaktig.people.models import (
    Case,
    Decision,
    GrantedIntervention,
    InterventionType,
    current_contacts_prefetch,
    reader_unit_ids,
)
from delaktig.people.services import (
    InterventionInput,
    contact_person_assign,
    decision_register,
    person_create,
    relative_add,
)
from delaktig.plans.models import Plan
from delaktig.records.models import AccessAction
from delaktig.records.services import access_log_cases

from .forms import (
    ContactPersonForm,
    DecisionForm,
    InterventionFormSet,
    PersonForm,
    RelativeForm,
)


def today() -> date:
    return timezone.localdate()


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Each role starts where its work is."""
    if request.user.contact_assignments.current().exists():
        return redirect("my_persons")
    units = list(managed_units(request.user)[:2])
    if len(units) > 1:  # several units: the summary of them all first (issue 10)
        return redirect("units_summary")
    if units:
        return redirect("unit_overview", unit_id=units[0].pk)
    roles = set(Membership.objects.filter(user_id=request.user.pk).values_list("role", flat=True))
    if Role.SCHEDULER in roles:
        return redirect("scheduler_inbox")
    if Role.QUALITY_CONTROLLER in roles:
        return redirect("quality_report")
    if Role.ARCHIVIST in roles:
        return redirect("archive_list")
    if request.user.is_staff:  # an administrator without a role in the care work
        return redirect("admin:index")
    return redirect("my_persons")


@login_required
def my_persons(request: AuthenticatedHttpRequest) -> HttpResponse:
    tasks = list(
        Task.objects.filter(
            user_id=request.user.pk,
            done_at__isnull=True,
            case__closed_on__isnull=True,
            case__unit_id__in=reader_unit_ids(request.user.pk),
        ).select_related("case__person")
    )
    cases = my_cases(request.user, today())
    access_log_cases(
        user=request.user,
        reads=[*(row.case for row in cases), *(task.case for task in tasks)],
        action=AccessAction.VIEW_LIST,
    )
    return render(
        request,
        "web/my_persons.html",
        {"cases": cases, "tasks": tasks, "today": today()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_done(request: AuthenticatedHttpRequest, task_id: int) -> HttpResponse:
    if request.method == "GET":  # e.g. after logging in again from an expired session
        return redirect("my_persons")
    task = Task.objects.filter(pk=task_id, user_id=request.user.pk, done_at__isnull=True).first()
    if task is None:
        from django.http import Http404

        raise Http404
    task.done_at = timezone.now()
    task.save(update_fields=["done_at"])
    messages.success(request, "Uppgiften är markerad som klar.")
    return redirect("my_persons")


@login_required
def units_summary_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A unit manager's summary of all her units, worst first (issue 10). Counts only:
    no person is shown, so nothing is access-logged."""
    units = list(managed_units(request.user).order_by("name"))
    if not units:
        from django.http import Http404

        raise Http404("Du är inte enhetschef för någon enhet.")
    return render(request, "web/units_summary.html", {"rows": units_summary(units, today())})


@login_required
def unit_overview_view(request: AuthenticatedHttpRequest, unit_id: int) -> HttpResponse:
    unit = get_managed_unit(request.user, unit_id)
    raw = request.GET.get("kontaktman", "")
    contact_id = int(raw) if raw.isdigit() else None
    overview = unit_overview(unit, today(), contact_id=contact_id)
    access_log_cases(user=request.user, reads=overview.cases(), action=AccessAction.VIEW_LIST)
    return render(
        request,
        "web/unit_overview.html",
        {
            "unit": unit,
            "overview": overview,
            "archive_outstanding": outstanding_for_units([unit.pk]),
        },
    )


@login_required
def person_detail(request: AuthenticatedHttpRequest, person_uuid: UUID) -> HttpResponse:
    person = get_visible_person(request.user, person_uuid)
    cases = list(
        Case.objects.visible_to(request.user)
        .filter(person=person)
        .select_related("unit__administration__municipality")
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=Decision.objects.order_by("-decided_on").prefetch_related(
                    Prefetch(
                        "interventions",
                        queryset=GrantedIntervention.objects.select_related("type"),
                    )
                ),
            ),
            current_contacts_prefetch(),
            Prefetch("plans", queryset=Plan.objects.order_by("-created_at"), to_attr="plan_list"),
        )
    )
    record_person_read(request.user, person, cases[0] if len(cases) == 1 else None)
    resolver = ProfileResolver()
    day = today()
    for case in cases:
        profile = resolver.profile(case.unit, day)
        for decision in case.decisions.all():
            for item in decision.interventions.all():
                item.status = (  # type: ignore[attr-defined]
                    None
                    if item.plan_established_on
                    else rules.deadline_status(item.plan_deadline, day, profile).value
                )
    managed = set(managed_units(request.user).values_list("pk", flat=True))
    return render(
        request,
        "web/person_detail.html",
        {
            "person": person,
            "cases": cases,
            "managed_unit_ids": managed,
            "relatives": person.relatives.all(),
            "today": day,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_create_view(request: AuthenticatedHttpRequest, unit_id: int) -> HttpResponse:
    unit = get_managed_unit(request.user, unit_id)
    form = PersonForm(request.POST or None, initial={"opened_on": today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = person_create(
                unit=unit,
                personnummer=data["personnummer"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                phone=data["phone"],
                address=data["address"],
                protected_identity=data["protected_identity"],
                opened_on=data["opened_on"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            known = case.person
            if (known.first_name, known.last_name) != (
                data["first_name"].strip(),
                data["last_name"].strip(),
            ):
                messages.warning(
                    request,
                    f"Personnumret fanns redan i kommunen. Personen är registrerad som "
                    f"{known.name}; namnet du skrev har inte ändrat registret.",
                )
            messages.success(request, "Personen är registrerad. Utse en kontaktman.")
            return redirect("contact_person_assign", case_uuid=case.uuid)
    return render(request, "web/person_form.html", {"form": form, "unit": unit})


@login_required
@require_http_methods(["GET", "POST"])
def decision_create_view(request: AuthenticatedHttpRequest, case_uuid: UUID) -> HttpResponse:
    case = get_managed_case(request.user, case_uuid)
    person = case.person
    types = InterventionType.objects.order_by("name")
    form = DecisionForm(request.POST or None, prefix="beslut")
    formset = InterventionFormSet(
        request.POST or None, prefix="insats", form_kwargs={"types": types}
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        items = [
            InterventionInput(
                type=f.cleaned_data["type"],
                scope=f.cleaned_data["scope"],
                start_date=f.cleaned_data["start_date"],
                end_date=f.cleaned_data["end_date"],
            )
            for f in formset.forms
            if f.has_changed()
        ]
        try:
            decision_register(case=case, interventions=items, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Beslutet är registrerat. Planens sista datum är beräknat.")
            return redirect("person_detail", person_uuid=person.uuid)
    record_person_read(request.user, person, case)
    return render(
        request,
        "web/decision_form.html",
        {"form": form, "formset": formset, "person": person, "case": case},
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_person_assign_view(request: AuthenticatedHttpRequest, case_uuid: UUID) -> HttpResponse:
    case = get_managed_case(request.user, case_uuid)
    person = case.person
    form = ContactPersonForm(request.POST or None, unit=case.unit)
    if request.method == "POST" and form.is_valid():
        try:
            contact_person_assign(
                case=case,
                user=form.cleaned_data["user"],
                is_deputy=form.cleaned_data["is_deputy"],
                on=today(),
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Kontaktmannen är utsedd och har fått en uppgift.")
            return redirect("person_detail", person_uuid=person.uuid)
    record_person_read(request.user, person, case)
    return render(
        request, "web/contact_person_form.html", {"form": form, "person": person, "case": case}
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A Swedish page instead of Django's English CSRF failure page."""
    return render(request, "403_csrf.html", status=403)


@login_required
@require_http_methods(["GET", "POST"])
def relative_add_view(request: AuthenticatedHttpRequest, person_uuid: UUID) -> HttpResponse:
    """Staff who work with the person register a relative or legal representative."""
    person = get_visible_person(request.user, person_uuid)
    form = RelativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            relative_add(person=person, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Uppgiften är sparad.")
            return redirect("person_detail", person_uuid=person.uuid)
    record_person_read(request.user, person)
    return render(request, "web/relative_form.html", {"form": form, "person": person})
