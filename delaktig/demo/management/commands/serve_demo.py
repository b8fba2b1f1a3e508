"""`make run`'s server: runserver that prints the demo logins and the real address.

Django's banner (version, settings module, the development-server warning) and the
autoreloader's log line are left out: the demo's user needs the logins and where to
open the demo, and that is the last thing on the screen.  The address is the one the
server really bound, so `make run PORT=8080` prints port 8080.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.staticfiles.management.commands.runserver import (
    Command as RunserverCommand,
)
from django.core.management.base import CommandError

from delaktig.demo.banner import demo_address, demo_banner


class Command(RunserverCommand):
    help = "Startar demon (som runserver) och skriver ut inloggningarna och adressen."
    # Set by runserver's handle() (django-stubs does not declare them).
    addr: str
    _raw_ipv6: bool

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEV_MODE:
            raise CommandError("serve_demo är bara till för demoläget (DELAKTIG_DEMO=1).")
        # The checks still run, silently unless they find something.
        self.check(display_num_errors=False)
        options["skip_checks"] = True
        # Nobody edits code while trying the demo; the reloader only adds a log line.
        options["use_reloader"] = False
        super().handle(*args, **options)

    def on_bind(self, server_port: int) -> None:
        host = f"[{self.addr}]" if self._raw_ipv6 else self.addr
        self.stdout.write(demo_banner(demo_address(host, server_port)))
