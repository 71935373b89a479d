"""Loading the known scanner networks and user agents (I/O; the core takes the loaded table).

The package ships ``workers/core/data/scanners.toml``; ``LEADFLOW_SCANNER_NETWORKS_FILE`` names
an operator's file of the same shape whose entries are added to the shipped ones.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from workers.core.scanner import BadScannerData, KnownScanners, known_scanners

#: The shipped data file, inside the ``workers.core`` package.
SHIPPED = "data/scanners.toml"


def load_known_scanners(extra_file: str | None = None) -> KnownScanners:
    """The shipped table plus ``extra_file``'s entries; a bad file raises ValueError."""
    shipped = resources.files("workers.core").joinpath(SHIPPED).read_text(encoding="utf-8")
    documents = [tomllib.loads(shipped)]
    if extra_file:
        documents.append(_read(Path(extra_file)))
    try:
        return known_scanners(documents)
    except BadScannerData as error:
        raise ValueError(f"scanner data: {error}") from None


def _read(path: Path) -> dict[str, object]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ValueError(f"LEADFLOW_SCANNER_NETWORKS_FILE: cannot read {path}: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"LEADFLOW_SCANNER_NETWORKS_FILE: {path} is not TOML: {error}") from None
