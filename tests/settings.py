"""Settings for the test suite (pytest's ``DJANGO_SETTINGS_MODULE``).

The production settings are read as they are, in their development mode, and only
what makes tests fast or quiet is changed here, so no test-only branch lives in
``delaktig/settings.py``.
"""

from __future__ import annotations

import os

# Before the import: lets the settings start without a production environment.
os.environ["DELAKTIG_TESTING"] = "1"

from delaktig.settings import *  # noqa: F403
from delaktig.settings import LOGGING

# Hashing a password on purpose costs ~0.3 s; tests log in thousands of times.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The browser tests' app server would print every request.
LOGGING["loggers"]["django.server"] = {"level": "WARNING"}
