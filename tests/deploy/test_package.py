"""The wheel is the product: it ships the fleet (``workers``, ``schemas``) and nothing else.

The wheel is built with ``pip wheel --no-deps`` from a copy of the source tree that includes the
development tree (``tools/``), so the test proves the packaging excludes it, not that it was
absent. The image is built from the same wheel (see the Dockerfile), so what holds for the wheel
holds for the image.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile

import pytest

from .conftest import REPO_ROOT

#: What the wheel carries besides Python modules.
DATA_FILES = (
    "workers/py.typed",
    "schemas/py.typed",
    "workers/sequencer/migrations/0001_initial.sql",
    "workers/sequencer/migrations/0002_send_tokens.sql",
    "workers/sequencer/migrations/0003_suppressions.sql",
    "workers/sequencer/migrations/0004_auto_paused.sql",
    "workers/sequencer/migrations/0005_relay_shards.sql",
    "workers/sequencer/migrations/0006_send_tokens_requested_at.sql",
    "workers/sequencer/migrations/0007_drop_leads_status.sql",
    "workers/core/data/scanners.toml",
    *(
        f"workers/core/replies/lang/{code}.toml"
        for code in ("en", "de", "fr", "es", "it", "nl", "pt")
    ),
)
#: Development code by its path: none of it belongs in the wheel.
DEVELOPMENT_CODE = re.compile(r"(^|/)(tools|bench|infra)(/|$)|demo|schema_export|pom\.xml")


@pytest.fixture(scope="module")
def wheel_files(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The file names inside a wheel freshly built from a copy of the source tree."""
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO_ROOT / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("workers", "schemas", "tools"):
        shutil.copytree(REPO_ROOT / folder, source / folder, ignore=ignore)
    out = tmp_path_factory.mktemp("wheel")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), "."]
    subprocess.run(command, cwd=source, check=True, capture_output=True, timeout=300)
    (wheel,) = out.glob("leadflow-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


def top_level(name: str) -> str:
    return name.split("/", 1)[0]


class TestWheel:
    def test_holds_only_the_two_packages(self, wheel_files: list[str]) -> None:
        """The wheel's top-level entries are ``workers``, ``schemas`` and the metadata."""
        assert {"workers", "schemas", "leadflow-0.1.0.dist-info"} == {
            top_level(name) for name in wheel_files
        }

    def test_holds_no_development_code(self, wheel_files: list[str]) -> None:
        """No benchmark, demo, local-infrastructure or schema-export file is in the wheel."""
        assert [] == [name for name in wheel_files if DEVELOPMENT_CODE.search(name)]

    def test_holds_the_runtime_data(self, wheel_files: list[str]) -> None:
        """Migrations, the classifier's language tables and typing markers travel with the code."""
        assert [] == [name for name in DATA_FILES if name not in wheel_files]

    def test_holds_every_runtime_module(self, wheel_files: list[str]) -> None:
        """Every module under ``workers/`` and ``schemas/`` in the checkout is in the wheel."""
        modules = sorted(
            path.relative_to(REPO_ROOT).as_posix()
            for folder in ("workers", "schemas")
            for path in (REPO_ROOT / folder).rglob("*.py")
        )
        assert [] == [name for name in modules if name not in wheel_files]


class TestImage:
    def test_copies_only_the_wheel_inputs(self) -> None:
        """The Dockerfile's build stage copies the project files and the two packages only."""
        text = (REPO_ROOT / "Dockerfile").read_text()
        copied = re.findall(r"^COPY\s+(?!--from)(.+)\s+\S+$", text, re.M)
        sources = sorted(src for line in copied for src in line.split())
        assert ["README.md", "pyproject.toml", "schemas", "workers"] == sources

    def test_installs_no_maven_or_postgres_server(self) -> None:
        """The image installs no Maven, no PostgreSQL server and no Java runtime."""
        lines = (REPO_ROOT / "Dockerfile").read_text().lower().splitlines()
        text = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
        assert [] == [
            tool for tool in ("maven", "mvn", "pg_ctl", "postgresql", "jre") if tool in text
        ]
