"""What `make run` prints once the demo is serving: the logins and the address to open."""

from __future__ import annotations

from delaktig.demo.constants import DEMO_PASSWORD

# Addresses that mean "every interface": a browser on this machine opens 127.0.0.1.
_ANY_IPV4 = {"0", "0.0.0.0"}  # noqa: S104 — only compared with, never bound
_ANY_IPV6 = {"::", "[::]"}


def demo_address(host: str, port: int | str) -> str:
    """The address to open in a browser for a server bound to ``host:port``."""
    host = host.strip()
    if host in _ANY_IPV4 or not host:
        host = "127.0.0.1"
    elif host in _ANY_IPV6:
        host = "[::1]"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}/"


def login_lines() -> list[str]:
    from delaktig.demo.seed import DEMO_USERS  # the models: only once Django is set up

    lines = [f"Demoinloggningar (lösenord för alla: {DEMO_PASSWORD}):"]
    for spec in DEMO_USERS:
        name = f"{spec.first_name} {spec.last_name}"
        lines.append(f"  {spec.username:<12} {name:<16} {spec.sees}")
    return lines


def demo_banner(address: str) -> str:
    """The logins, then the address, last, where the eye ends up."""
    return "\n".join(
        [
            "",
            *login_lines(),
            "",
            f"Öppna {address} i webbläsaren. Avsluta med Ctrl+C.",
            "",
        ]
    )
