"""Constants shared by the demo data and the tests that drive it (no Django imports)."""

from __future__ import annotations

# The demo is for trying the system on one's own machine (DELAKTIG_DEMO=1).
DEMO_PASSWORD = "delaktig-demo"  # noqa: S105 — printed by `make run`, demo only
