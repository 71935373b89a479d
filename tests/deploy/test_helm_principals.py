"""One Kafka principal per worker: each Deployment (and the setup Job) reads its own SASL
credentials from its own Secret, falling back to the shared ``kafka.sasl`` Secret."""

from __future__ import annotations

import subprocess

from .conftest import CHART_DIR, NAMESPACE, RELEASE, WORKERS, Manifest, of_kind, render, run_helm

PER_WORKER = [
    "kafka.securityProtocol=SASL_SSL",
    "kafka.sasl.mechanism=SCRAM-SHA-512",
    *(f"workers.{w}.kafkaSasl.existingSecret=kafka-{w}" for w in WORKERS),
    "setup.kafkaSasl.existingSecret=kafka-setup",
    "gateway.kafkaSasl.existingSecret=kafka-gateway",
]


def _sets(values: list[str]) -> list[str]:
    return [arg for value in values for arg in ("--set", value)]


def _sasl_refs(manifest: Manifest) -> tuple[str, str, str]:
    """(secret name, username key, password key) of the manifest's first container."""
    container = manifest["spec"]["template"]["spec"]["containers"][0]
    env = {e["name"]: e for e in container["env"]}
    user = env["LEADFLOW_KAFKA_SASL_USERNAME"]["valueFrom"]["secretKeyRef"]
    password = env["LEADFLOW_KAFKA_SASL_PASSWORD"]["valueFrom"]["secretKeyRef"]
    assert user["name"] == password["name"]
    return user["name"], user["key"], password["key"]


class TestPerWorkerCredentials:
    """workers.<name>.kafkaSasl and setup.kafkaSasl."""

    def test_each_worker_reads_its_own_secret(self, helm: str) -> None:
        """Every Deployment's SASL variables come from kafka-<worker>, setup's from kafka-setup."""
        rendered = render(helm, *_sets(PER_WORKER))
        found = {
            m["metadata"]["name"].rsplit("-", 1)[-1]: _sasl_refs(m)
            for m in of_kind(rendered, "Deployment")
        }
        components = (*WORKERS, "gateway")
        assert {w: (f"kafka-{w}", "username", "password") for w in components} == found
        (job,) = of_kind(rendered, "Job")
        assert ("kafka-setup", "username", "password") == _sasl_refs(job)

    def test_no_shared_secret_is_needed_or_created(self, helm: str) -> None:
        """With a Secret per component the chart creates no credential Secret of its own."""
        rendered = render(helm, *_sets(PER_WORKER))
        created = [m for m in of_kind(rendered, "Secret") if "kafka-sasl-password" in m["data"]]
        assert [] == created

    def test_keys_can_be_renamed(self, helm: str) -> None:
        """usernameKey / passwordKey pick the Secret's keys."""
        values = [
            *PER_WORKER,
            "workers.clicks.kafkaSasl.usernameKey=user",
            "workers.clicks.kafkaSasl.passwordKey=pass",
        ]
        rendered = render(helm, *_sets(values))
        (clicks,) = [
            m for m in of_kind(rendered, "Deployment") if m["metadata"]["name"].endswith("-clicks")
        ]
        assert ("kafka-clicks", "user", "pass") == _sasl_refs(clicks)

    def test_others_fall_back_to_the_shared_secret(self, helm: str) -> None:
        """A worker without a Secret of its own uses kafka.sasl.existingSecret."""
        values = [
            "kafka.securityProtocol=SASL_SSL",
            "kafka.sasl.mechanism=SCRAM-SHA-512",
            "kafka.sasl.existingSecret=shared",
            "workers.sequencer.kafkaSasl.existingSecret=kafka-sequencer",
        ]
        rendered = render(helm, *_sets(values))
        names = {
            m["metadata"]["name"].rsplit("-", 1)[-1]: _sasl_refs(m)[0]
            for m in of_kind(rendered, "Deployment")
        }
        assert {
            "replies": "shared",
            "clicks": "shared",
            "bookings": "shared",
            "gateway": "shared",
            "sequencer": "kafka-sequencer",
        } == names

    def test_a_worker_without_any_credentials_fails(self, helm: str) -> None:
        """One worker with no Secret of its own and no shared credentials: the render fails."""
        values = [v for v in PER_WORKER if not v.startswith("workers.replies.")]
        done: subprocess.CompletedProcess[str] = run_helm(
            helm, "template", RELEASE, str(CHART_DIR), "--namespace", NAMESPACE, *_sets(values)
        )
        assert done.returncode != 0
        assert "workers.<name>.kafkaSasl.existingSecret" in done.stderr

    def test_lint_strict(self, helm: str) -> None:
        """helm lint --strict accepts the per-worker values."""
        done = run_helm(helm, "lint", "--strict", str(CHART_DIR), *_sets(PER_WORKER))
        assert 0 == done.returncode, done.stdout + done.stderr


class TestDatabaseCa:
    """database.tls.caSecret: the CA that verify-full checks the database against."""

    def test_the_ca_is_mounted_where_the_url_names_it(self, helm: str) -> None:
        """The sequencer and the setup Job mount it read-only at /etc/leadflow/db-ca."""
        rendered = render(helm, "--set", "database.tls.caSecret=pg-ca")
        pods = [
            m["spec"]["template"]["spec"]
            for m in [*of_kind(rendered, "Deployment"), *of_kind(rendered, "Job")]
        ]
        for spec in pods:
            volumes = {v["name"]: v for v in spec["volumes"]}
            assert {"secretName": "pg-ca", "items": [{"key": "ca.crt", "path": "ca.crt"}]} == (
                volumes["database-ca"]["secret"]
            )
            mounts = {m["name"]: m for m in spec["containers"][0]["volumeMounts"]}
            assert {
                "name": "database-ca",
                "mountPath": "/etc/leadflow/db-ca",
                "readOnly": True,
            } == (mounts["database-ca"])


class TestKedaWithPerWorkerCredentials:
    """KEDA's scaler is not a worker: it needs credentials of its own."""

    def test_without_shared_credentials_the_render_fails(self, helm: str) -> None:
        """Per-worker Secrets only, KEDA on: a clear failure instead of a dangling reference."""
        done = run_helm(
            helm, "template", RELEASE, str(CHART_DIR), "--namespace", NAMESPACE,
            *_sets([*PER_WORKER, "keda.enabled=true"]),
        )  # fmt: skip
        assert done.returncode != 0
        assert "KEDA's scaler needs credentials of its own" in done.stderr

    def test_a_shared_secret_serves_keda(self, helm: str) -> None:
        """kafka.sasl.existingSecret is KEDA's principal; the workers keep their own."""
        values = [*PER_WORKER, "keda.enabled=true", "kafka.sasl.existingSecret=keda-kafka"]
        rendered = render(helm, *_sets(values))
        (auth,) = of_kind(rendered, "TriggerAuthentication")
        refs = {r["parameter"]: r["name"] for r in auth["spec"]["secretTargetRef"]}
        assert "keda-kafka" == refs["username"]
        clicks = next(
            m for m in of_kind(rendered, "Deployment") if m["metadata"]["name"].endswith("-clicks")
        )
        assert "kafka-clicks" == _sasl_refs(clicks)[0]
