"""Marks every test by its folder, so no test file has to mark itself.

``tests/integration/`` -> ``integration`` (real Kafka and PostgreSQL), ``tests/deploy/`` ->
``deploy``; ``tests/unit/`` tests get a per-test timeout of ``UNIT_TIMEOUT_S`` (no I/O, so a
unit test that takes longer is stuck), the others the suite's ``timeout`` from pyproject.toml.
"""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
#: A unit test that runs longer than this is stuck, not slow.
UNIT_TIMEOUT_S = 30
_FOLDER_MARKS = {
    TESTS / "integration": pytest.mark.integration,
    TESTS / "deploy": pytest.mark.deploy,
    TESTS / "unit": pytest.mark.timeout(UNIT_TIMEOUT_S),
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        for folder, mark in _FOLDER_MARKS.items():
            if folder in item.path.parents:
                item.add_marker(mark)
