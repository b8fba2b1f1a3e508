"""Execute an approved disposal proposal — dry run unless ``--execute`` (R-ARC-3)."""

from __future__ import annotations

import time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count

from delaktig.core.types import User
from delaktig.disposal.contents import kind_labels, kinds
from delaktig.disposal.models import DisposalProposal, ItemOutcome, ProposalStatus
from delaktig.disposal.services import disposal_execute, disposal_plan


class Command(BaseCommand):
    help = (
        "Visar vad ett gallringsförslag skulle ta bort (standard), eller verkställer ett "
        "godkänt förslag med --execute, i en enda transaktion. Skriver bara ut antal."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--proposal", type=int, required=True, help="Förslagets id.")
        parser.add_argument(
            "--execute", action="store_true", help="Verkställ (annars bara en torrkörning)."
        )
        parser.add_argument(
            "--by",
            default=None,
            help="Användarnamn på den som verkställer (arkivarie eller systemadministratör); "
            "krävs med --execute.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        proposal = DisposalProposal.objects.filter(pk=options["proposal"]).first()
        if proposal is None:
            raise CommandError(f"Inget gallringsförslag med id {options['proposal']}.")
        if proposal.status == ProposalStatus.EXECUTED:
            self.stdout.write(f"Förslag {proposal.pk} är redan verkställt – inget att göra.")
            return
        if not options["execute"]:
            self._dry_run(proposal)
            return
        if proposal.status != ProposalStatus.APPROVED:
            raise CommandError(
                f"Förslag {proposal.pk} är {proposal.get_status_display().lower()}: "
                "bara ett godkänt förslag kan verkställas."
            )
        if not options["by"]:
            raise CommandError("Ange vem som verkställer med --by ANVÄNDARNAMN.")
        user = User.objects.filter(username=options["by"], is_active=True).first()
        if user is None:
            raise CommandError(f"Ingen aktiv användare {options['by']!r}.")
        started = time.perf_counter()
        try:
            record = disposal_execute(proposal=proposal, by=user)
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Förslag {proposal.pk} verkställt: {record.person_files} personakter gallrade, "
            f"{record.skipped_files} inte (ändrade sedan förslaget). "
            f"Gallringsprotokoll {record.pk}. ({elapsed:.2f} s)"
        )
        self._kept_by_law(proposal)
        labels = kind_labels()
        for key, value in record.counts.items():
            self.stdout.write(f"  {labels.get(key, key)}: {value['count']}")

    def _kept_by_law(self, proposal: DisposalProposal) -> None:
        outcomes = dict(
            proposal.items.filter(outcome__in=[ItemOutcome.NEVER_DISPOSED, ItemOutcome.HAND_OVER])
            .values_list("outcome")
            .annotate(n=Count("pk"))
        )
        if outcomes.get(ItemOutcome.NEVER_DISPOSED):
            self.stdout.write(
                f"  {outcomes[ItemOutcome.NEVER_DISPOSED]} bevaras: får aldrig gallras "
                "(12 kap. 2 § SoL)."
            )
        if outcomes.get(ItemOutcome.HAND_OVER):
            self.stdout.write(
                f"  {outcomes[ItemOutcome.HAND_OVER]} ska lämnas över till nämnden "
                "(23 d § LSS): registrera överlämnandet på gallringssidan."
            )

    def _dry_run(self, proposal: DisposalProposal) -> None:
        started = time.perf_counter()
        plan = disposal_plan(proposal)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"TORRKÖRNING – inget ändras. Förslag {proposal.pk} "
            f"({proposal.get_status_display().lower()}), kommun {proposal.municipality.code}:"
        )
        self.stdout.write(
            f"  {plan.disposed} personakter skulle gallras, "
            f"{plan.skipped} inte (ändrade sedan förslaget eller inte längre aktuella)."
        )
        for kind in kinds():
            total = plan.totals[kind.key]
            if total.count and kind.document:
                period = ""
                if total.first and total.last:
                    period = f" ({total.first:%Y-%m-%d} – {total.last:%Y-%m-%d})"
                self.stdout.write(f"  {kind.label}: {total.count}{period}")
        if plan.never_disposed:
            self.stdout.write(f"  {plan.never_disposed} får aldrig gallras (12 kap. 2 § SoL).")
        if plan.hand_over:
            self.stdout.write(f"  {plan.hand_over} ska lämnas över till nämnden (23 d § LSS).")
        self.stdout.write(f"  ({elapsed:.2f} s)")
        if proposal.status != ProposalStatus.APPROVED:
            self.stdout.write("Förslaget är inte godkänt och kan inte verkställas ännu.")
