"""Write the JSON Schema of every contract message to ``schemas/json/``.

``python -m tools.schema_export`` rewrites the files; ``--check`` only reports
(exit 1) the ones that are out of date. A unit test runs the check.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from pydantic import BaseModel

import schemas
from schemas import (
    BookingEvent,
    CampaignSettings,
    ClickEvent,
    CommandResult,
    LeadCommand,
    LeadStatus,
    ReplyEvent,
    SendRequest,
    Suppression,
)

#: The message values of the contract's topics, in topic order.
MESSAGES: tuple[type[BaseModel], ...] = (
    CampaignSettings,
    ReplyEvent,
    ClickEvent,
    BookingEvent,
    LeadCommand,
    CommandResult,
    SendRequest,
    LeadStatus,
    Suppression,
)

SCHEMA_DIR = Path(schemas.__file__).parent / "json"


def snake_name(model: type[BaseModel]) -> str:
    """``CampaignSettings`` -> ``campaign_settings``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", model.__name__).lower()


def render(model: type[BaseModel]) -> str:
    """The JSON Schema text (validation side: what the fleet accepts) of one message."""
    document = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{snake_name(model)}.schema.json",
        **model.model_json_schema(mode="validation"),
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def expected_files(directory: Path = SCHEMA_DIR) -> dict[Path, str]:
    """Every schema file and the text it should hold."""
    return {directory / f"{snake_name(m)}.schema.json": render(m) for m in MESSAGES}


def stale_files(directory: Path = SCHEMA_DIR) -> list[Path]:
    """The schema files that are missing or differ from the models."""
    return [
        path
        for path, text in expected_files(directory).items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]


def write(directory: Path = SCHEMA_DIR) -> list[Path]:
    """Write every schema file; return the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    files = expected_files(directory)
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    return list(files)


def main(argv: list[str] | None = None) -> int:
    """Entry point: write the schemas, or with ``--check`` report stale ones."""
    parser = argparse.ArgumentParser(prog="python -m tools.schema_export")
    parser.add_argument("--check", action="store_true", help="exit 1 if a file is out of date")
    parser.add_argument("--dir", type=Path, default=SCHEMA_DIR, help="output directory")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_files(args.dir)
        for path in stale:
            print(f"out of date: {path} (run python -m tools.schema_export)", file=sys.stderr)
        return 1 if stale else 0
    for path in write(args.dir):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
