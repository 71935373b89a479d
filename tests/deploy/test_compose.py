"""docker-compose.yml, the Prometheus/Grafana provisioning, the Dockerfile and the shared
dashboard, checked by parsing (no Docker engine here)."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from prometheus_client import CollectorRegistry

from workers.metrics import Metrics

from .conftest import DASHBOARD_JSON, REPO_ROOT, WORKERS

COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
DOCKERFILE = REPO_ROOT / "Dockerfile"
PROMETHEUS_CONFIG = REPO_ROOT / "deploy" / "prometheus" / "prometheus.yml"
GRAFANA_PROVISIONING = REPO_ROOT / "deploy" / "grafana" / "provisioning"
KAFKA_POM = REPO_ROOT / "tools" / "infra" / "kafka-pom.xml"
POM_NS = {"m": "http://maven.apache.org/POM/4.0.0"}

Service = dict[str, Any]


def kafka_version_from_pom() -> str:
    root = ET.parse(KAFKA_POM).getroot()
    node = root.find("m:properties/m:kafka.version", POM_NS)
    assert node is not None, "kafka.version property missing in tools/infra/kafka-pom.xml"
    assert node.text, "kafka.version property is empty in tools/infra/kafka-pom.xml"
    return node.text.strip()


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text())
    return data


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, Service]:
    result: dict[str, Service] = compose["services"]
    return result


def command_of(service: Service) -> list[str]:
    cmd = service.get("command", [])
    return shlex.split(cmd) if isinstance(cmd, str) else [str(c) for c in cmd]


def healthcheck_text(service: Service) -> str:
    test = service["healthcheck"]["test"]
    return test if isinstance(test, str) else " ".join(str(t) for t in test)


def volume_sources(service: Service) -> dict[str, str]:
    """Bind mounts of a service: container path -> host path, relative to the repository."""
    out = {}
    for vol in service.get("volumes", []):
        if isinstance(vol, str) and vol.startswith("./"):
            host, target, *_ = vol.split(":")
            out[target] = host
    return out


# ---------------------------------------------------------------- compose


def test_services_present(services: dict[str, Service]) -> None:
    expected = {"kafka", "postgres", "setup", "prometheus", "grafana", *WORKERS}
    assert expected <= set(services)


def test_infrastructure_images_are_pinned(services: dict[str, Service]) -> None:
    assert services["kafka"]["image"] == f"apache/kafka:{kafka_version_from_pom()}"
    assert services["postgres"]["image"] == "postgres:15"
    for name, svc in services.items():
        image = str(svc["image"])
        assert ":" in image.rsplit("/", 1)[-1], f"{name}: image {image} has no tag"
        assert not image.endswith(":latest"), f"{name}: image {image} is not pinned"


def test_kafka_is_single_node_kraft(services: dict[str, Service]) -> None:
    env = services["kafka"]["environment"]
    assert env["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"] == "1@kafka:9093"
    assert "PLAINTEXT://kafka:9092" in env["KAFKA_ADVERTISED_LISTENERS"]
    for key in ("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR"):
        assert int(env[key]) == 1


def test_health_checks(services: dict[str, Service]) -> None:
    assert "kafka-broker-api-versions" in healthcheck_text(services["kafka"])
    assert "pg_isready" in healthcheck_text(services["postgres"])
    for name in (*WORKERS, "prometheus", "grafana"):
        assert services[name]["healthcheck"]["test"], name
    for worker in WORKERS:
        text = healthcheck_text(services[worker])
        assert "/healthz" in text, worker
        assert "9108" in text, worker
        assert "curl" not in text, worker
    # The one-shot setup serves no metrics: the image's HEALTHCHECK is switched off for it.
    assert services["setup"]["healthcheck"] == {"disable": True}


def test_setup_runs_first(services: dict[str, Service]) -> None:
    setup = services["setup"]
    assert command_of(setup)[0] == "setup"
    assert setup["depends_on"] == {
        "kafka": {"condition": "service_healthy"},
        "postgres": {"condition": "service_healthy"},
    }
    assert setup["restart"] == "no"
    assert "LEADFLOW_DATABASE_URL" in setup["environment"]


def test_workers(services: dict[str, Service]) -> None:
    images = {services[name]["image"] for name in (*WORKERS, "setup")}
    assert len(images) == 1, f"setup and the workers must share one image: {images}"
    for worker in WORKERS:
        svc = services[worker]
        assert command_of(svc) == ["run", worker]
        assert svc["depends_on"] == {"setup": {"condition": "service_completed_successfully"}}
        assert svc["build"]["context"] == "."
        assert svc["user"] == "10001:10001"
        assert svc["read_only"] is True
        assert "/tmp" in svc["tmpfs"]
        assert svc["stop_grace_period"] == "60s"
        env = svc["environment"]
        assert env["LEADFLOW_KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
        assert str(env["LEADFLOW_METRICS_PORT"]) == "9108"
        # The sequencer's state; the ingest workers resolve tracking tokens from send_tokens.
        assert "LEADFLOW_DATABASE_URL" in env
        assert env["LEADFLOW_TRACKING_SECRET"]
        assert env["LEADFLOW_MESSAGE_ID_DOMAIN"]


def test_gateway(services: dict[str, Service]) -> None:
    """The gateway runs from the workers' image, publishes its port, takes its secrets."""
    gateway = services["gateway"]
    assert ["run", "gateway"] == command_of(gateway)
    assert services["replies"]["image"] == gateway["image"]
    assert {"setup": {"condition": "service_completed_successfully"}} == gateway["depends_on"]
    assert ["8080:8080"] == gateway["ports"]
    env = gateway["environment"]
    assert ("kafka:9092", "8080") == (
        env["LEADFLOW_KAFKA_BOOTSTRAP_SERVERS"],
        env["LEADFLOW_GATEWAY_PORT"],
    )
    for var in (
        "LEADFLOW_GATEWAY_TOKENS",
        "LEADFLOW_MAILGUN_SIGNING_KEY",
        "LEADFLOW_SENDGRID_PUBLIC_KEY",
        "LEADFLOW_POSTMARK_WEBHOOK_USER",
        "LEADFLOW_POSTMARK_WEBHOOK_PASSWORD",
        "LEADFLOW_CALENDLY_SIGNING_KEY",
        "LEADFLOW_CALCOM_SECRET",
    ):
        assert str(env[var]).startswith(f"${{{var}:-"), var  # from the host, never inlined
    assert "/healthz" in healthcheck_text(gateway)
    assert "LEADFLOW_DATABASE_URL" not in env


def test_prometheus_scrapes_every_worker(services: dict[str, Service]) -> None:
    mounts = volume_sources(services["prometheus"])
    assert mounts["/etc/prometheus/prometheus.yml"] == "./deploy/prometheus/prometheus.yml"
    config = yaml.safe_load(PROMETHEUS_CONFIG.read_text())
    targets = {
        target
        for job in config["scrape_configs"]
        if job.get("metrics_path", "/metrics") == "/metrics"
        for static in job.get("static_configs", [])
        for target in static["targets"]
    }
    for worker in (*WORKERS, "gateway"):
        assert f"{worker}:9108" in targets, worker


def test_grafana_provisioning_uses_the_chart_dashboard(services: dict[str, Service]) -> None:
    mounts = volume_sources(services["grafana"])
    assert mounts["/etc/grafana/provisioning"] == "./deploy/grafana/provisioning"
    dashboards_mount = next(t for t, h in mounts.items() if h == "./helm/leadflow/dashboards")
    provider_file = GRAFANA_PROVISIONING / "dashboards" / "leadflow.yml"
    (provider,) = yaml.safe_load(provider_file.read_text())["providers"]
    assert provider["options"]["path"] == dashboards_mount
    assert (REPO_ROOT / "helm/leadflow/dashboards" / DASHBOARD_JSON.name).is_file()
    datasources = yaml.safe_load(
        (GRAFANA_PROVISIONING / "datasources" / "prometheus.yml").read_text()
    )["datasources"]
    assert [(d["type"], d["url"]) for d in datasources] == [
        ("prometheus", "http://prometheus:9090")
    ]


# ---------------------------------------------------------------- Dockerfile


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    out = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            word, _, rest = stripped.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def test_dockerfile() -> None:
    instructions = dockerfile_instructions()
    args = dict(rest.split("=", 1) for word, rest in instructions if word == "ARG" and "=" in rest)
    froms = [rest for word, rest in instructions if word == "FROM"]
    assert len(froms) >= 2, "multi-stage build expected"
    for stage in froms:
        image = stage.split()[0]
        image = re.sub(r"\$\{(\w+)\}", lambda m: args[m.group(1)], image)
        assert re.fullmatch(r"python:3\.11\.\d+-slim-bookworm", image), image
    assert re.search(r"--from=builder\s+/opt/leadflow\s+/opt/leadflow", DOCKERFILE.read_text())
    users = [rest for word, rest in instructions if word == "USER"]
    assert users, "no USER: the image would run as root"
    user = re.sub(r"\$\{(\w+)\}", lambda m: args[m.group(1)], users[-1]).split(":")[0]
    assert user == "10001"
    assert ("ENTRYPOINT", '["leadflow"]') in instructions
    assert ("CMD", '["run", "all"]') in instructions
    assert ("EXPOSE", "9108") in instructions
    env = " ".join(rest for word, rest in instructions if word == "ENV")
    assert "PYTHONDONTWRITEBYTECODE=1" in env
    (health,) = [rest for word, rest in instructions if word == "HEALTHCHECK"]
    assert "/healthz" in health
    assert "python" in health
    assert "curl" not in health


def test_dockerignore_keeps_the_build_inputs() -> None:
    lines = [
        line.strip()
        for line in (REPO_ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines[0] == "*", "allow-list expected"
    for needed in ("pyproject.toml", "README.md", "workers/", "schemas/"):
        assert f"!{needed}" in lines, needed
    copied = re.findall(r"^COPY\s+(?!--from)(.+)\s+\S+$", DOCKERFILE.read_text(), re.M)
    for sources in copied:
        for src in sources.split():
            assert f"!{src}" in lines or f"!{src}/" in lines, f"COPY {src} is ignored"


# ---------------------------------------------------------------- dashboard


REQUIRED_METRICS = (
    "leadflow_events_consumed_total",
    "leadflow_events_invalid_total",
    "leadflow_decisions_total",
    "leadflow_commands_published_total",
    "leadflow_batch_seconds_bucket",
    "leadflow_consumer_lag",
    "leadflow_rebalances_total",
    "leadflow_dlq_total",
    "leadflow_sequencer_commands_applied_total",
    "leadflow_sends_total",
    "leadflow_timer_lateness_seconds_bucket",
    "leadflow_outbox_backlog",
    "leadflow_gateway_requests_total",
    "leadflow_gateway_request_seconds_bucket",
    "leadflow_gateway_events_published_total",
    "leadflow_gateway_signature_failures_total",
    "leadflow_event_loop_lag_seconds_bucket",
)
DEPLOYMENT_DOC = REPO_ROOT / "docs" / "deployment.md"
_METRIC_NAME = re.compile(r"\bleadflow_[a-z_]+")


def exported_metric_names() -> set[str]:
    """Every family and sample name the fleet's ``Metrics`` can export (labelled or not)."""
    suffixes = {"counter": ("_total",), "histogram": ("_bucket", "_count", "_sum"), "gauge": ("",)}
    names: set[str] = set()
    for family in Metrics(CollectorRegistry()).registry.collect():
        names.add(family.name)
        names.update(family.name + suffix for suffix in suffixes.get(family.type, ("",)))
    return names


def test_dashboard() -> None:
    dashboard = json.loads(DASHBOARD_JSON.read_text())
    assert dashboard["uid"] == "leadflow-overview"
    panels = [p for p in dashboard["panels"] if p["type"] != "row"]
    exprs = " ".join(t["expr"] for p in panels for t in p["targets"])
    for metric in REQUIRED_METRICS:
        assert metric in exprs, metric
    titles = " ".join(p["title"].lower() for p in panels)
    for topic in (
        "throughput",
        "lag",
        "decisions",
        "dlq",
        "sends",
        "timer lateness",
        "rebalances",
        "event loop lag",
    ):
        assert topic in titles, topic
    ids = [p["id"] for p in dashboard["panels"]]
    assert len(ids) == len(set(ids))
    # Every query goes through the datasource variable, so the same JSON works in the
    # compose Grafana and behind the Kubernetes Grafana sidecar.
    for p in panels:
        assert p["datasource"]["uid"] == "${datasource}", p["title"]
    variables = {v["name"] for v in dashboard["templating"]["list"]}
    assert {"datasource", "worker"} <= variables


def test_dashboard_names_only_exported_metrics() -> None:
    """Every leadflow_* name a panel queries is a metric the workers export."""
    dashboard = json.loads(DASHBOARD_JSON.read_text())
    exprs = " ".join(t["expr"] for p in dashboard["panels"] for t in p.get("targets", []))
    assert set() == set(_METRIC_NAME.findall(exprs)) - exported_metric_names()


def test_deployment_doc_names_only_exported_metrics() -> None:
    """Every leadflow_* name in docs/deployment.md (metrics list, alert example) is exported."""
    named = set(_METRIC_NAME.findall(DEPLOYMENT_DOC.read_text()))
    assert "leadflow_event_loop_lag_seconds" in named
    assert set() == named - exported_metric_names()


def test_dashboard_panels_have_numeric_positions() -> None:
    """Each panel's gridPos is four integers (Grafana drops a panel whose width is not)."""
    dashboard = json.loads(DASHBOARD_JSON.read_text())
    for panel in dashboard["panels"]:
        position = panel["gridPos"]
        assert {"h", "w", "x", "y"} == set(position), panel["title"]
        assert all(type(v) is int for v in position.values()), panel["title"]


def test_one_copy_of_the_dashboard() -> None:
    skip_dirs = {".git", ".venv", ".cache", ".tools", "node_modules", "__pycache__"}
    copies = []
    for dirpath, dirnames, filenames in os.walk(REPO_ROOT):
        dirnames[:] = [d for d in dirnames if d not in skip_dirs and not d.startswith(".")]
        for filename in filenames:
            path = Path(dirpath) / filename
            if filename.endswith(".json") and '"leadflow-overview"' in path.read_text(
                errors="ignore"
            ):
                copies.append(path)
    assert copies == [DASHBOARD_JSON]


# ---------------------------------------------------------------- install script


def test_install_helm_script() -> None:
    script = REPO_ROOT / "scripts" / "install-helm.sh"
    text = script.read_text()
    assert "helm.sh/helm/v3/cmd/helm@" in text
    assert 'HELM_VERSION="${HELM_VERSION:-v3.22.0}"' in text
    assert ".tools/bin" in text
    proc = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr


def test_paths_exist() -> None:
    for path in (COMPOSE_FILE, DOCKERFILE, PROMETHEUS_CONFIG, KAFKA_POM):
        assert Path(path).is_file(), path
