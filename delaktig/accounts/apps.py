from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "delaktig.accounts"
    label = "accounts"
    verbose_name = "Användarkonton"
    # The table is Django's former auth_user, whose id is a 32-bit AutoField; every
    # foreign key to it in every app was made with that type. Keep it.
    default_auto_field = "django.db.models.AutoField"
