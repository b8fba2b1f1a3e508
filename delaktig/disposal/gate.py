"""The disposal gate: lets the gated append-only triggers through, in one transaction only.

See ``delaktig/core/triggers.py`` for the trigger side. Use only from the
disposal service::

    with transaction.atomic(), disposal_gate(proposal_id=...):
        ...  # DELETE the person file's rows

The gate is opened inside an ``atomic`` block of its own: if anything inside
raises, the block (transaction or savepoint) rolls back and takes the opened
gate with it — the ``SET LOCAL`` on PostgreSQL, the gate row on SQLite. On
success it is closed explicitly before the block ends, so the rest of the
caller's transaction is guarded again.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

from delaktig.core.triggers import DISPOSAL_GATE_TABLE, DISPOSAL_SETTING


class GateError(Exception):
    """The gate is in a state it should never be in (open outside a disposal)."""


def gate_is_open() -> bool:
    """True if the gated triggers would let changes through on this connection now."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT current_setting(%s, true)", [DISPOSAL_SETTING])
            row = cursor.fetchone()
            return row is not None and row[0] == "on"
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {DISPOSAL_GATE_TABLE})")  # noqa: S608
        row = cursor.fetchone()
        return bool(row and row[0])


@contextmanager
def disposal_gate(*, proposal_id: int) -> Iterator[None]:
    """Open the gate for the body of the ``with`` block, in the current transaction."""
    if gate_is_open():
        raise GateError(
            "Gallringsspärren är redan öppen – en annan gallring pågår eller "
            "någon har ändrat databasen. Undersök innan du fortsätter."
        )
    with transaction.atomic():
        _set(open_=True, proposal_id=proposal_id)
        yield
        # Reached only on success; on an exception the atomic block rolls the gate back.
        _set(open_=False, proposal_id=proposal_id)


def _set(*, open_: bool, proposal_id: int) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SET LOCAL {DISPOSAL_SETTING} = '{'on' if open_ else 'off'}'")
        elif open_:
            cursor.execute(
                f"INSERT INTO {DISPOSAL_GATE_TABLE} (proposal_id, opened_at) "  # noqa: S608
                "VALUES (%s, CURRENT_TIMESTAMP)",
                [proposal_id],
            )
        else:
            cursor.execute(f"DELETE FROM {DISPOSAL_GATE_TABLE}")  # noqa: S608
