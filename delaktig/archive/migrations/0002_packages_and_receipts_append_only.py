"""Archive packages and receipts are records: never changed or removed (R-ARC-1, R-ARC-4).

A package's bytes and checksum, once built, cannot be overwritten even by raw
SQL; a rebuilt package is a new row. Receipts and returns are kept as they were.

The triggers are *gated* (``core/triggers.py``, "the disposal gate"): a lawful
disposal of the person file (R-ARC-3) removes them with the rest of the file,
inside its own transaction; nothing else can. SQLite's gate reads the table
``disposal_gate``, hence the dependency on the disposal app.
"""

from django.db import migrations

from delaktig.core.triggers import make_append_only

forwards, backwards = make_append_only(
    "archive_archivepackage", "archive_archivereceipt", gated=True
)


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0001_deliveries_packages_receipts"),
        ("disposal", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
