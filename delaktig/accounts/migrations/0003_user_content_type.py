"""Give auth.User's content type to accounts.User, so nothing that points at it is lost.

On a database made while auth.User was the user model, the admin's change history
(LogEntry) and the four user permissions (add/change/delete/view_user, perhaps
given to groups) point at the content type ``auth | user``. Relabelling that row
keeps its id, so the history and the group links stay, and ``post_migrate`` finds
the permissions in place instead of making a second set. On a fresh database
there is no such row yet and this does nothing.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    rows = content_type.objects.using(db)
    if rows.filter(app_label="accounts", model="user").exists():
        return
    rows.filter(app_label="auth", model="user").update(app_label="accounts")


def backwards(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    rows = content_type.objects.using(db)
    if rows.filter(app_label="auth", model="user").exists():
        return
    rows.filter(app_label="accounts", model="user").update(app_label="auth")


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_single_sign_on_ids"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
