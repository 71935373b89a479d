"""The package layout's rules: no import cycles, wiring only in the CLI, the fleet apart from tools.

Imports are read from the source (every ``import``, deferred ones inside functions too; those
under ``if TYPE_CHECKING:`` do not count), so the rules hold without importing anything.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from schemas.enums import Action, LeadStatusValue
from workers import cli

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("workers", "schemas", "tools")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    """Every module of the three packages, by dotted name."""
    return {
        module_name(path): path for package in PACKAGES for path in (ROOT / package).rglob("*.py")
    }


def _type_checking_nodes(tree: ast.Module) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(n) for branch in node.body for n in ast.walk(branch))
    return skipped


def _targets(node: ast.AST, package: str) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
    elif isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            parts = package.split(".")[: len(package.split(".")) - node.level + 1]
            base = ".".join([*parts, base] if base else parts)
        yield base
        yield from (f"{base}.{alias.name}" for alias in node.names)


@cache
def imports_of(name: str) -> frozenset[str]:
    """The project modules ``name`` imports."""
    path = modules()[name]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_nodes(tree)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        for imported in _targets(node, package):
            target = imported
            while target and target not in modules():
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return frozenset(found)


def reachable(start: str) -> set[str]:
    """Every module ``start`` imports, directly or not."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        for target in imports_of(todo.pop()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


class TestImports:
    def test_no_cycles(self) -> None:
        """No module imports, directly or not, a module that imports it back."""
        assert [] == sorted(name for name in modules() if name in reachable(name))

    @pytest.mark.parametrize("name", ["workers.protocol", "workers.ports", "workers.runtime"])
    def test_interfaces_import_no_worker(self, name: str) -> None:
        """The worker protocol, the loop ports and the runtime never import a worker."""
        workers = {"workers.ingest.worker", "workers.sequencer.worker"}
        assert set() == workers & reachable(name)

    def test_ports_import_no_aiokafka(self) -> None:
        """The loops' narrow interfaces are free of aiokafka (the adapters hold it)."""
        tree = ast.parse((ROOT / "workers" / "ports.py").read_text())
        imported = {t for node in ast.walk(tree) for t in _targets(node, "workers")}
        assert [] == sorted(t for t in imported if t.startswith("aiokafka"))

    def test_fleet_imports_no_tools(self) -> None:
        """Nothing in the installed packages imports the development tree."""
        fleet = [name for name in modules() if not name.startswith("tools")]
        assert [] == [
            name for name in fleet if any(t.startswith("tools") for t in imports_of(name))
        ]


class TestRegistry:
    def test_every_worker_name_has_a_factory(self) -> None:
        """``leadflow run`` knows a factory for each worker name, and no other."""
        assert list(cli.WORKER_NAMES) == list(cli.worker_registry())

    def test_all_expands_to_every_worker(self) -> None:
        """``all`` adds every worker not named yet, once each."""
        expected = ["sequencer", "replies", "clicks", "bookings", "gateway"]
        assert expected == cli.expand(["sequencer", "all"])

    def test_unknown_worker_refused(self) -> None:
        """An unknown name is refused with the choices."""
        with pytest.raises(
            ValueError, match="choose from replies, clicks, bookings, sequencer, gateway"
        ):
            cli.expand(["mailer"])


class TestVocabularies:
    def test_status_choices_are_the_enum(self) -> None:
        """``leads list --status`` offers exactly the contract's lead statuses."""
        listing = cli.build_parser().parse_args(["leads", "list", "--status", "paused"])
        assert LeadStatusValue.PAUSED == listing.status

    def test_lead_actions_are_the_enum_without_continue(self) -> None:
        """``lead ACTION`` offers every command action but ``continue``."""
        expected = [a.value for a in Action if a is not Action.CONTINUE]
        assert expected == list(cli.LEAD_ACTIONS)
