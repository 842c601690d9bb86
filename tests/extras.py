"""Optional extras in tests: skipped on a machine without them, required under CI.

`pip install -e '.[test]' && python -m pytest` (the README's command) must pass on a fresh
machine, where matplotlib, PyTorch and a TeX engine are absent; CI (the environment variable CI
set, as `.ci/run` does) installs them, so there a missing extra is a failure, not a skip.
"""
from __future__ import annotations

import importlib
import os

import pytest


def require(module: str, extra: str):
    """The module, or a skip naming the extra that installs it (a failure when CI is set)."""
    try:
        return importlib.import_module(module)
    except ImportError:
        message = f"{module} is not installed (pip install -e '.[{extra}]')"
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {message}", pytrace=False)
        pytest.skip(message + "; set CI=1 to make this a failure", allow_module_level=True)
