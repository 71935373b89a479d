"""The Helm chart: lint, offline schema validation of every rendered object, and the
properties operators rely on (security context, probes, scaling, secrets, hooks)."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import kubernetes_validate
import pytest

from workers.topics import group_id

from .conftest import (
    ALL_FEATURES_VALUES,
    CHART_DIR,
    DASHBOARD_JSON,
    NAMESPACE,
    VALUE_SETS,
    WORKERS,
    Manifest,
    by_name,
    of_kind,
    pod_specs,
    render,
    run_helm,
    worker_name,
)

# kubernetes-validate ships the built-in API schemas of each Kubernetes release; 1.30 is
# the oldest release still commonly run that has every API this chart uses in GA.
K8S_VERSION = "1.30.0"

# Custom resources (KEDA, prometheus-operator) are not in kubernetes-validate's schemas;
# check_custom_resource() checks them by hand instead.
CUSTOM_KINDS = {
    ("keda.sh/v1alpha1", "ScaledObject"),
    ("keda.sh/v1alpha1", "TriggerAuthentication"),
    ("monitoring.coreos.com/v1", "ServiceMonitor"),
}
DNS1123 = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
GATEWAY_SECRET_ENV = {
    "LEADFLOW_GATEWAY_TOKENS",
    "LEADFLOW_MAILGUN_SIGNING_KEY",
    "LEADFLOW_SENDGRID_PUBLIC_KEY",
    "LEADFLOW_POSTMARK_WEBHOOK_USER",
    "LEADFLOW_POSTMARK_WEBHOOK_PASSWORD",
    "LEADFLOW_CALENDLY_SIGNING_KEY",
    "LEADFLOW_CALCOM_SECRET",
}
SECRET_ENV = {
    "LEADFLOW_DATABASE_URL",
    "LEADFLOW_KAFKA_SASL_USERNAME",
    "LEADFLOW_KAFKA_SASL_PASSWORD",
    *GATEWAY_SECRET_ENV,
}
GATEWAY = worker_name("gateway")


def containers(spec: Manifest) -> list[Manifest]:
    return [*spec.get("initContainers", []), *spec["containers"]]


def env_of(container: Manifest) -> dict[str, Manifest]:
    return {e["name"]: e for e in container.get("env", [])}


# ---------------------------------------------------------------- lint and validation


@pytest.mark.parametrize(
    "extra", [(), ("-f", str(ALL_FEATURES_VALUES))], ids=["default", "all-features"]
)
def test_helm_lint_strict(helm: str, extra: tuple[str, ...]) -> None:
    proc = run_helm(helm, "lint", "--strict", str(CHART_DIR), *extra)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def check_custom_resource(m: Manifest, rendered: list[Manifest]) -> None:
    kind, name, spec = m["kind"], m["metadata"]["name"], m["spec"]
    assert DNS1123.match(name), name
    assert len(name) <= 253, name
    if kind == "ScaledObject":
        target = spec["scaleTargetRef"]
        assert target["kind"] == "Deployment"
        assert target["name"] in by_name(rendered, "Deployment")
        assert 1 <= spec["minReplicaCount"] <= spec["maxReplicaCount"]
        assert isinstance(spec["pollingInterval"], int)
        assert isinstance(spec["cooldownPeriod"], int)
        assert spec["triggers"], name
        for trigger in spec["triggers"]:
            assert trigger["type"] == "kafka"
            # KEDA trigger metadata is map[string]string: every value must be a string.
            assert all(isinstance(v, str) for v in trigger["metadata"].values()), trigger
            for key in ("bootstrapServers", "consumerGroup", "topic", "lagThreshold"):
                assert trigger["metadata"][key], (name, key)
            assert int(trigger["metadata"]["lagThreshold"]) > 0
            if "authenticationRef" in trigger:
                auths = by_name(rendered, "TriggerAuthentication")
                assert trigger["authenticationRef"]["name"] in auths
    elif kind == "TriggerAuthentication":
        refs = spec["secretTargetRef"]
        assert refs
        for ref in refs:
            assert set(ref) == {"parameter", "name", "key"}, ref
            assert all(isinstance(v, str) and v for v in ref.values()), ref
        assert {r["parameter"] for r in refs} <= {"sasl", "username", "password", "tls", "ca"}
    elif kind == "ServiceMonitor":
        selector = spec["selector"]["matchLabels"]
        ports = {
            p["name"]
            for svc in of_kind(rendered, "Service")
            if selector.items() <= svc["metadata"]["labels"].items()
            for p in svc["spec"]["ports"]
        }
        assert spec["endpoints"]
        for endpoint in spec["endpoints"]:
            assert endpoint["port"] in ports, (endpoint, ports)
            assert endpoint["path"] == "/metrics"
    else:  # pragma: no cover - CUSTOM_KINDS and this function must agree
        pytest.fail(f"no hand check for custom kind {kind}")


def test_every_manifest_is_valid(manifests: list[Manifest]) -> None:
    assert manifests
    for m in manifests:
        if (m["apiVersion"], m["kind"]) in CUSTOM_KINDS:
            check_custom_resource(m, manifests)
            continue
        try:
            kubernetes_validate.validate(m, K8S_VERSION, strict=True)
        except kubernetes_validate.ValidationError as exc:  # pragma: no cover - failure path
            pytest.fail(f"{m['kind']}/{m['metadata']['name']}: {exc}")


def test_rendered_kinds(helm: str) -> None:
    def kinds(*args: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        for m in render(helm, *args):
            counts[m["kind"]] = counts.get(m["kind"], 0) + 1
        return counts

    # The four consumers, plus the gateway: its Deployment, HTTP and metrics Services, PDB, HPA.
    assert kinds() == {
        "Deployment": 5,
        "Service": 6,
        "PodDisruptionBudget": 5,
        "HorizontalPodAutoscaler": 1,
        "Job": 1,
        "ConfigMap": 1,
    }
    assert kinds("-f", str(ALL_FEATURES_VALUES)) == {
        "Deployment": 5,
        "Service": 6,
        "PodDisruptionBudget": 5,
        "HorizontalPodAutoscaler": 1,  # the gateway's: KEDA scales only the consumers
        "Ingress": 1,
        "Job": 1,
        "ConfigMap": 1,
        "ScaledObject": 4,
        "TriggerAuthentication": 1,
        "Secret": 1,  # SASL mode/TLS switch for KEDA, no credential in it
        "ServiceMonitor": 1,
    }
    only_sequencer = [f"--set=workers.{w}.enabled=false" for w in WORKERS if w != "sequencer"]
    only_sequencer.append("--set=gateway.enabled=false")
    assert set(by_name(render(helm, *only_sequencer), "Deployment")) == {worker_name("sequencer")}


def test_schema_rejects_typos_and_bad_values(helm: str) -> None:
    for bad in (
        "workers.replies.replicsCount=2",
        "kafka.securityProtocol=SASL",
        "kafka.sasl.mechanism=GSSAPI",
        "metrics.port=0",
        "logLevel=verbose",
        "unknownTopLevel=1",
        "gateway.port=0",
        "gateway.service.type=External",
    ):
        proc = run_helm(helm, "template", "x", str(CHART_DIR), "--set", bad)
        assert proc.returncode != 0, f"--set {bad} was accepted"
        assert "schema" in proc.stderr, proc.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["kafka.securityProtocol=SASL_SSL", "kafka.sasl.mechanism=PLAIN"],
            "give kafka.sasl.existingSecret",
        ),
        (["kafka.sasl.existingSecret=creds"], "kafka.sasl.mechanism is empty"),
        (
            ["kafka.sasl.mechanism=PLAIN", "kafka.sasl.existingSecret=creds"],
            "SASL_PLAINTEXT or SASL_SSL",
        ),
        (["database.url=postgresql://h/db", "database.existingSecret=db"], "not both"),
        (["workers.clicks.minReplicas=5", "workers.clicks.maxReplicas=2"], "minReplicas"),
        (
            ["gateway.autoscaling.minReplicas=5", "gateway.autoscaling.maxReplicas=2"],
            "gateway.autoscaling: minReplicas",
        ),
    ],
)
def test_contradictory_values_fail(helm: str, args: list[str], message: str) -> None:
    flags = [f"--set={a}" for a in args]
    proc = run_helm(helm, "template", "x", str(CHART_DIR), *flags)
    assert proc.returncode != 0
    assert message in proc.stderr, proc.stderr


# ---------------------------------------------------------------- pods


def test_pod_security_context(manifests: list[Manifest]) -> None:
    specs = pod_specs(manifests)
    assert specs
    for name, spec in specs:
        psc = spec["securityContext"]
        assert psc["runAsNonRoot"] is True, name
        assert psc["runAsUser"] == 10001, name
        assert psc["seccompProfile"]["type"] == "RuntimeDefault", name
        assert spec["automountServiceAccountToken"] is False, name
        volumes = {v["name"]: v for v in spec["volumes"]}
        for c in containers(spec):
            csc = c["securityContext"]
            where = f"{name}/{c['name']}"
            assert csc["runAsNonRoot"] is True, where
            assert csc["runAsUser"] == 10001, where
            assert csc["readOnlyRootFilesystem"] is True, where
            assert csc["allowPrivilegeEscalation"] is False, where
            assert csc.get("privileged", False) is False, where
            assert csc["capabilities"]["drop"] == ["ALL"], where
            assert "add" not in csc["capabilities"], where
            assert csc["seccompProfile"]["type"] == "RuntimeDefault", where
            tmp = [m for m in c["volumeMounts"] if m["mountPath"] == "/tmp"]
            assert len(tmp) == 1, where
            assert "emptyDir" in volumes[tmp[0]["name"]], where
            assert c["resources"]["requests"], where
            assert c["resources"]["limits"], where


def test_worker_deployments(manifests: list[Manifest]) -> None:
    deployments = by_name(manifests, "Deployment")
    assert set(deployments) == {worker_name(w) for w in WORKERS} | {GATEWAY}
    for worker in WORKERS:
        spec = deployments[worker_name(worker)]["spec"]["template"]["spec"]
        assert spec["terminationGracePeriodSeconds"] == 60
        (c,) = spec["containers"]
        assert c["args"] == ["run", worker]
        ports = {p["name"]: p["containerPort"] for p in c["ports"]}
        assert ports == {"metrics": 9108}
        assert env_of(c)["LEADFLOW_METRICS_PORT"]["value"] == "9108"
        for probe, path in (
            ("livenessProbe", "/healthz"),
            ("readinessProbe", "/readyz"),
            ("startupProbe", "/healthz"),
        ):
            assert c[probe]["httpGet"]["path"] == path, (worker, probe)
            assert c[probe]["httpGet"]["port"] in ("metrics", 9108), (worker, probe)
        env = env_of(c)
        assert env["LEADFLOW_KAFKA_BOOTSTRAP_SERVERS"]["value"]
        # Only the sequencer holds state in the database.
        has_db = "LEADFLOW_DATABASE_URL" in env
        assert has_db == (worker == "sequencer" and "LEADFLOW_DATABASE_URL" in _db_env(manifests))


def _db_env(manifests: list[Manifest]) -> dict[str, Manifest]:
    """Environment of the setup Job, which always gets the database URL when configured."""
    (job,) = of_kind(manifests, "Job")
    return env_of(job["spec"]["template"]["spec"]["containers"][0])


def test_setup_job_is_a_hook(manifests: list[Manifest]) -> None:
    (job,) = of_kind(manifests, "Job")
    annotations = job["metadata"]["annotations"]
    assert set(annotations["helm.sh/hook"].split(",")) == {"pre-install", "pre-upgrade"}
    policies = set(annotations["helm.sh/hook-delete-policy"].split(","))
    assert "before-hook-creation" in policies
    spec = job["spec"]["template"]["spec"]
    assert spec["restartPolicy"] == "Never"
    assert spec["containers"][0]["args"][0] == "setup"
    # A chart-created Secret the Job reads must exist before the Job: a hook of lower weight.
    for secret in of_kind(manifests, "Secret"):
        ann = secret["metadata"].get("annotations", {})
        if "helm.sh/hook" in ann:
            assert int(ann["helm.sh/hook-weight"]) < int(annotations["helm.sh/hook-weight"])


def test_all_features_setup_args(helm: str) -> None:
    (job,) = of_kind(render(helm, "-f", str(ALL_FEATURES_VALUES)), "Job")
    args = job["spec"]["template"]["spec"]["containers"][0]["args"]
    assert args == ["setup", "--partitions", "12", "--replication-factor", "3"]


# ---------------------------------------------------------------- secrets


def test_secrets_are_referenced_not_inlined(manifests: list[Manifest]) -> None:
    for name, spec in pod_specs(manifests):
        for c in containers(spec):
            for var, entry in env_of(c).items():
                if var in SECRET_ENV:
                    assert "value" not in entry, f"{name}: {var} is inlined"
                    assert entry["valueFrom"]["secretKeyRef"]["name"], (name, var)


def test_inline_credentials_go_to_a_secret_only(helm: str) -> None:
    rendered = render(helm, *VALUE_SETS["inline-credentials"])
    secrets = by_name(rendered, "Secret")
    chart_secret = secrets["lf-leadflow"]
    data = {k: base64.b64decode(v).decode() for k, v in chart_secret["data"].items()}
    assert data == {
        "database-url": "postgresql://leadflow:db-s3cret-value@pg:5432/leadflow",
        "kafka-sasl-username": "leadflow-user",
        "kafka-sasl-password": "kafka-s3cret-value",
    }
    for m in rendered:
        if m["kind"] == "Secret":
            continue
        text = json.dumps(m)
        assert "db-s3cret-value" not in text, m["metadata"]["name"]
        assert "kafka-s3cret-value" not in text, m["metadata"]["name"]
    sequencer = by_name(rendered, "Deployment")[worker_name("sequencer")]
    template = sequencer["spec"]["template"]
    assert "checksum/secret" in template["metadata"]["annotations"]
    env = env_of(template["spec"]["containers"][0])
    assert env["LEADFLOW_DATABASE_URL"]["valueFrom"]["secretKeyRef"] == {
        "name": "lf-leadflow",
        "key": "database-url",
    }
    assert env["LEADFLOW_KAFKA_SASL_PASSWORD"]["valueFrom"]["secretKeyRef"] == {
        "name": "lf-leadflow",
        "key": "kafka-sasl-password",
    }


def test_existing_secrets_are_used(helm: str) -> None:
    rendered = render(helm, "-f", str(ALL_FEATURES_VALUES))
    assert "lf-leadflow" not in by_name(rendered, "Secret")
    (job,) = of_kind(rendered, "Job")
    env = env_of(job["spec"]["template"]["spec"]["containers"][0])
    assert env["LEADFLOW_DATABASE_URL"]["valueFrom"]["secretKeyRef"] == {
        "name": "leadflow-database",
        "key": "url",
    }
    assert env["LEADFLOW_KAFKA_SASL_USERNAME"]["valueFrom"]["secretKeyRef"] == {
        "name": "leadflow-kafka-credentials",
        "key": "username",
    }
    assert env["LEADFLOW_KAFKA_SSL_CAFILE"]["value"] == "/etc/leadflow/kafka-ca/ca.crt"
    (auth,) = of_kind(rendered, "TriggerAuthentication")
    params = {r["parameter"]: (r["name"], r["key"]) for r in auth["spec"]["secretTargetRef"]}
    assert params["username"] == ("leadflow-kafka-credentials", "username")
    assert params["password"] == ("leadflow-kafka-credentials", "password")
    assert params["ca"] == ("leadflow-kafka-ca", "ca.crt")
    mode = by_name(rendered, "Secret")[params["sasl"][0]]
    assert mode["stringData"] == {"sasl": "scram_sha512", "tls": "enable"}


# ---------------------------------------------------------------- scaling


def _autoscalers(helm: str, keda: bool, hpa: bool) -> tuple[list[Manifest], list[Manifest]]:
    rendered = render(
        helm, f"--set=keda.enabled={str(keda).lower()}", f"--set=autoscaling.enabled={hpa}".lower()
    )
    hpas = of_kind(rendered, "HorizontalPodAutoscaler")
    consumers = [h for h in hpas if h["metadata"]["name"] != GATEWAY]
    return of_kind(rendered, "ScaledObject"), consumers


@pytest.mark.parametrize(
    ("keda", "hpa", "want_scaled", "want_hpa"),
    [
        (False, False, 0, 0),
        (False, True, 0, 4),
        (True, False, 4, 0),
        (True, True, 4, 0),
    ],
)
def test_keda_and_hpa_are_mutually_exclusive(
    helm: str, keda: bool, hpa: bool, want_scaled: int, want_hpa: int
) -> None:
    scaled, hpas = _autoscalers(helm, keda, hpa)
    assert (len(scaled), len(hpas)) == (want_scaled, want_hpa)
    rendered = render(
        helm, f"--set=keda.enabled={str(keda).lower()}", f"--set=autoscaling.enabled={hpa}".lower()
    )
    for d in of_kind(rendered, "Deployment"):
        if d["metadata"]["name"] == GATEWAY:
            continue  # its own HPA (gateway.autoscaling): see test_gateway_scales_on_cpu
        # Whoever autoscales owns the replica count; the Deployment must not fight it.
        assert ("replicas" in d["spec"]) == (not (keda or hpa)), d["metadata"]["name"]


def test_hpa_targets_cpu(helm: str) -> None:
    _, hpas = _autoscalers(helm, keda=False, hpa=True)
    for hpa in hpas:
        assert hpa["apiVersion"] == "autoscaling/v2"
        (metric,) = hpa["spec"]["metrics"]
        assert metric["resource"]["name"] == "cpu"
        assert metric["resource"]["target"]["type"] == "Utilization"


def test_keda_triggers_follow_consumer_groups(helm: str) -> None:
    rendered = render(helm, "-f", str(ALL_FEATURES_VALUES))
    scaled = by_name(rendered, "ScaledObject")
    topics = {
        "replies": "leadflow.events.replies",
        "clicks": "leadflow.events.clicks",
        "bookings": "leadflow.events.bookings",
        "sequencer": "leadflow.commands",
    }
    for worker, topic in topics.items():
        so = scaled[worker_name(worker)]
        assert so["spec"]["scaleTargetRef"]["name"] == worker_name(worker)
        (trigger,) = so["spec"]["triggers"]
        assert trigger["metadata"]["consumerGroup"] == f"leadflow-{worker}"
        assert trigger["metadata"]["topic"] == topic
        assert trigger["metadata"]["bootstrapServers"].startswith("kafka-0.kafka:9093")
        assert trigger["authenticationRef"]["name"] == "lf-leadflow-kafka"
    assert scaled[worker_name("clicks")]["spec"]["triggers"][0]["metadata"]["lagThreshold"] == (
        "5000"
    )


def test_keda_consumer_groups_follow_the_topic_prefix(helm: str) -> None:
    """Groups are derived from the prefix exactly as the workers derive theirs."""
    rendered = render(helm, "--set", "keda.enabled=true", "--set", "kafka.topicPrefix=acme_")
    scaled = by_name(rendered, "ScaledObject")
    groups = {
        worker: scaled[worker_name(worker)]["spec"]["triggers"][0]["metadata"]["consumerGroup"]
        for worker in ("replies", "clicks", "bookings", "sequencer")
    }
    assert {worker: group_id("acme_", worker) for worker in groups} == groups
    assert "acme-replies" == groups["replies"]


def test_pdb_per_worker(manifests: list[Manifest]) -> None:
    pdbs = by_name(manifests, "PodDisruptionBudget")
    deployments = by_name(manifests, "Deployment")
    assert set(pdbs) == set(deployments)
    for name, pdb in pdbs.items():
        selector = pdb["spec"]["selector"]["matchLabels"]
        assert selector == deployments[name]["spec"]["selector"]["matchLabels"]


# ---------------------------------------------------------------- metrics and dashboard


def test_metrics_services_match_pods(manifests: list[Manifest]) -> None:
    deployments = by_name(manifests, "Deployment")
    services = [s for s in of_kind(manifests, "Service") if s["metadata"]["name"] != GATEWAY]
    assert len(services) == len(deployments)
    for svc in services:
        selector = svc["spec"]["selector"]
        matched = [
            d
            for d in deployments.values()
            if selector.items() <= d["spec"]["template"]["metadata"]["labels"].items()
        ]
        assert len(matched) == 1, svc["metadata"]["name"]
        (port,) = svc["spec"]["ports"]
        assert (port["name"], port["port"], port["targetPort"]) == ("metrics", 9108, "metrics")


def test_service_monitor(helm: str) -> None:
    rendered = render(helm, "-f", str(ALL_FEATURES_VALUES))
    (sm,) = of_kind(rendered, "ServiceMonitor")
    assert sm["metadata"]["labels"]["release"] == "kube-prometheus-stack"
    assert sm["spec"]["namespaceSelector"] == {"matchNames": [NAMESPACE]}
    selected = [
        s
        for s in of_kind(rendered, "Service")
        if sm["spec"]["selector"]["matchLabels"].items() <= s["metadata"]["labels"].items()
    ]
    with_metrics = [s for s in selected if "metrics" in {p["name"] for p in s["spec"]["ports"]}]
    assert len(with_metrics) == len(WORKERS) + 1  # and the gateway


def test_dashboard_configmap_is_the_shared_json(manifests: list[Manifest]) -> None:
    (cm,) = of_kind(manifests, "ConfigMap")
    assert cm["metadata"]["labels"]["grafana_dashboard"] == "1"
    shipped: Any = json.loads(cm["data"]["leadflow.json"])
    assert shipped == json.loads(DASHBOARD_JSON.read_text())


# ---------------------------------------------------------------- gateway


def test_gateway_deployment(manifests: list[Manifest]) -> None:
    """The gateway serves HTTP on LEADFLOW_GATEWAY_PORT, probes on the metrics port."""
    spec = by_name(manifests, "Deployment")[GATEWAY]["spec"]["template"]["spec"]
    (c,) = spec["containers"]
    assert ["run", "gateway"] == c["args"]
    assert {"http": 8080, "metrics": 9108} == {p["name"]: p["containerPort"] for p in c["ports"]}
    env = env_of(c)
    assert "8080" == env["LEADFLOW_GATEWAY_PORT"]["value"]
    assert "LEADFLOW_DATABASE_URL" not in env
    assert "/readyz" == c["readinessProbe"]["httpGet"]["path"]


def test_gateway_secrets_come_from_the_existing_secret(helm: str) -> None:
    """Each provider secret is an optional key of gateway.existingSecret; none without it."""
    rendered = render(helm, "-f", str(ALL_FEATURES_VALUES))
    (c,) = by_name(rendered, "Deployment")[GATEWAY]["spec"]["template"]["spec"]["containers"]
    env = env_of(c)
    for var in GATEWAY_SECRET_ENV:
        ref = env[var]["valueFrom"]["secretKeyRef"]
        assert ("leadflow-gateway", True) == (ref["name"], ref["optional"]), var
    assert "calcom-secret" == env["LEADFLOW_CALCOM_SECRET"]["valueFrom"]["secretKeyRef"]["key"]
    (default_c,) = by_name(render(helm), "Deployment")[GATEWAY]["spec"]["template"]["spec"][
        "containers"
    ]
    assert not GATEWAY_SECRET_ENV & set(env_of(default_c))


def test_gateway_service_and_ingress(helm: str) -> None:
    """The HTTP Service targets the gateway's pods; the Ingress routes both prefixes to it."""
    rendered = render(helm, "-f", str(ALL_FEATURES_VALUES))
    svc = by_name(rendered, "Service")[GATEWAY]
    (port,) = svc["spec"]["ports"]
    assert ("http", 80, "http") == (port["name"], port["port"], port["targetPort"])
    pod_labels = by_name(rendered, "Deployment")[GATEWAY]["spec"]["template"]["metadata"]["labels"]
    assert svc["spec"]["selector"].items() <= pod_labels.items()
    (ingress,) = of_kind(rendered, "Ingress")
    (rule,) = ingress["spec"]["rules"]
    assert "hooks.example.com" == rule["host"]
    paths = {p["path"]: p["backend"]["service"] for p in rule["http"]["paths"]}
    assert {"/v1/webhooks/", "/v1/events/"} == set(paths)
    assert all(b == {"name": GATEWAY, "port": {"name": "http"}} for b in paths.values())
    assert not of_kind(render(helm), "Ingress")


def test_gateway_scales_on_cpu(helm: str) -> None:
    """The gateway's HPA owns its replica count; without it the Deployment sets replicas."""
    (hpa,) = of_kind(render(helm), "HorizontalPodAutoscaler")
    assert GATEWAY == hpa["spec"]["scaleTargetRef"]["name"]
    assert "cpu" == hpa["spec"]["metrics"][0]["resource"]["name"]
    assert "replicas" not in by_name(render(helm), "Deployment")[GATEWAY]["spec"]
    fixed = render(helm, "--set=gateway.autoscaling.enabled=false")
    assert 2 == by_name(fixed, "Deployment")[GATEWAY]["spec"]["replicas"]
    assert not of_kind(fixed, "HorizontalPodAutoscaler")
