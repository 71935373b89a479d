"""Shared fixtures of the deployment tests: repository paths, the helm binary, rendering."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
CHART_DIR = REPO_ROOT / "helm" / "leadflow"
ALL_FEATURES_VALUES = CHART_DIR / "ci" / "all-features-values.yaml"
DASHBOARD_JSON = CHART_DIR / "dashboards" / "leadflow.json"
WORKERS = ("replies", "clicks", "bookings", "sequencer")
RELEASE = "lf"
NAMESPACE = "leadflow"

Manifest = dict[str, Any]


def find_helm() -> str | None:
    """`.tools/bin/helm` under the repository root (scripts/install-helm.sh), else PATH."""
    local = REPO_ROOT / ".tools" / "bin" / "helm"
    if local.is_file() and os.access(local, os.X_OK):
        return str(local)
    return shutil.which("helm")


@pytest.fixture(scope="session")
def helm() -> str:
    found = find_helm()
    if found is None:
        pytest.fail(
            "helm not found at .tools/bin/helm nor on PATH: run scripts/install-helm.sh",
            pytrace=False,
        )
    return found


def run_helm(helm: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [helm, *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, check=False
    )


@functools.cache
def _render_cached(helm: str, args: tuple[str, ...]) -> tuple[Manifest, ...]:
    proc = run_helm(helm, "template", RELEASE, str(CHART_DIR), "--namespace", NAMESPACE, *args)
    if proc.returncode != 0:
        raise AssertionError(f"helm template {' '.join(args)} failed:\n{proc.stderr}")
    return tuple(doc for doc in yaml.safe_load_all(proc.stdout) if doc)


def render(helm: str, *args: str) -> list[Manifest]:
    """`helm template` with extra arguments (-f/--set), parsed; cached per argument list."""
    return list(_render_cached(helm, tuple(args)))


def of_kind(manifests: list[Manifest], kind: str) -> list[Manifest]:
    return [m for m in manifests if m.get("kind") == kind]


def by_name(manifests: list[Manifest], kind: str) -> dict[str, Manifest]:
    return {m["metadata"]["name"]: m for m in of_kind(manifests, kind)}


def worker_name(worker: str) -> str:
    return f"{RELEASE}-leadflow-{worker}"


def pod_specs(manifests: list[Manifest]) -> list[tuple[str, Manifest]]:
    """(object name, pod spec) of every workload that runs pods."""
    out = []
    for m in manifests:
        if m.get("kind") in {"Deployment", "Job", "StatefulSet", "DaemonSet"}:
            out.append((f"{m['kind']}/{m['metadata']['name']}", m["spec"]["template"]["spec"]))
        elif m.get("kind") == "CronJob":
            spec = m["spec"]["jobTemplate"]["spec"]["template"]["spec"]
            out.append((f"CronJob/{m['metadata']['name']}", spec))
    return out


VALUE_SETS: dict[str, tuple[str, ...]] = {
    "default": (),
    "all-features": ("-f", str(ALL_FEATURES_VALUES)),
    # credentials given as values: the chart creates the Secret itself
    "inline-credentials": (
        "--set",
        "database.url=postgresql://leadflow:db-s3cret-value@pg:5432/leadflow",
        "--set",
        "tracking.secret=tracking-s3cret-new\\,tracking-s3cret-old",
        "--set",
        "kafka.securityProtocol=SASL_SSL",
        "--set",
        "kafka.sasl.mechanism=PLAIN",
        "--set",
        "kafka.sasl.username=leadflow-user",
        "--set",
        "kafka.sasl.password=kafka-s3cret-value",
        "--set",
        "keda.enabled=true",
    ),
    "hpa": ("--set", "autoscaling.enabled=true"),
}


@pytest.fixture(params=sorted(VALUE_SETS), scope="session")
def value_set(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture(scope="session")
def manifests(helm: str, value_set: str) -> list[Manifest]:
    return render(helm, *VALUE_SETS[value_set])
