"""A local Kafka broker as a managed service runs it: SASL_SSL (SCRAM-SHA-512) and ACLs.

Listeners, all TLS (``ssl.keystore.type=PEM`` from :func:`tools.infra.tls.make_pki`):

- ``SASL_SSL://127.0.0.1:<port>``: clients and the broker itself (inter-broker traffic, e.g. the
  transaction coordinator's markers), SCRAM-SHA-512; the users are written into the KRaft
  metadata when the storage is formatted (``kafka-storage format --add-scram``), so the broker
  can authenticate its own inter-broker connection from the first second;
- ``CONTROLLER://127.0.0.1:<port + 1>``: the KRaft controller, SASL_SSL with PLAIN (SCRAM
  credentials live in the metadata log the controller serves, so the controller listener
  cannot use them; PLAIN's user is in the JAAS line).

The authorizer is ``StandardAuthorizer``; ``admin`` (SCRAM) and ``controller`` (PLAIN) are its
super users, everybody else gets only the ACLs :meth:`SecureKafka.allow` creates (through the
admin API, as ``admin``).
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.protocol.admin import CreateAclsRequest

from tools.infra._proc import InfraError
from tools.infra.kafka import LocalKafka
from tools.infra.tls import Pki
from workers.acls import Grant, Operation, Pattern, Resource

ADMIN = "admin"
_CONTROLLER_USER = "controller"
_MECHANISM = "SCRAM-SHA-512"

# Kafka's wire codes (org.apache.kafka.common.resource / acl).
_RESOURCE_CODES = {Resource.TOPIC: 2, Resource.GROUP: 3, Resource.TRANSACTIONAL_ID: 5}
_PATTERN_CODES = {Pattern.LITERAL: 3, Pattern.PREFIXED: 4}
_OPERATION_CODES = {
    Operation.READ: 3,
    Operation.WRITE: 4,
    Operation.CREATE: 5,
    Operation.DESCRIBE: 8,
    Operation.DESCRIBE_CONFIGS: 10,
}
_ALLOW = 3


@dataclass(frozen=True, slots=True, kw_only=True)
class SecureKafka(LocalKafka):
    """One broker with SASL_SSL on ``port``, its controller on ``port + 1``.

    ``users`` maps SCRAM user names to passwords; ``admin`` is added (super user).
    """

    pki: Pki
    users: tuple[tuple[str, str], ...] = ()
    admin_password: str = "admin-secret"  # noqa: S105 (a test broker's credential)
    controller_password: str = "controller-secret"  # noqa: S105

    def client_options(self, user: str = ADMIN, password: str | None = None) -> dict[str, object]:
        """aiokafka keyword arguments that connect as ``user``."""
        return {
            "bootstrap_servers": self.bootstrap_servers,
            "security_protocol": "SASL_SSL",
            "ssl_context": ssl.create_default_context(cafile=str(self.pki.ca_file)),
            "sasl_mechanism": _MECHANISM,
            "sasl_plain_username": user,
            "sasl_plain_password": password if password is not None else self._password(user),
        }

    def _password(self, user: str) -> str:
        if user == ADMIN:
            return self.admin_password
        return dict(self.users)[user]

    async def allow(self, grants: Mapping[str, Iterable[Grant]], timeout_s: float = 60.0) -> int:
        """Create ALLOW ACLs: ``{user: grants}``; return how many were created."""
        admin = AIOKafkaAdminClient(**self.client_options(), request_timeout_ms=30000)
        created = 0
        try:
            await asyncio.wait_for(admin.start(), timeout_s)
            for user, user_grants in grants.items():
                for grant in user_grants:
                    await asyncio.wait_for(_create_acl(admin, f"User:{user}", grant), timeout_s)
                    created += 1
        finally:
            await admin.close()
        return created

    def _write_config(self) -> Path:
        props = LocalKafka._write_config(self)
        tls = self.home / "tls"
        tls.mkdir(exist_ok=True)
        keystore, truststore = tls / "keystore.pem", tls / "ca.pem"
        keystore.write_bytes(self.pki.keystore_file.read_bytes())
        keystore.chmod(0o600)
        truststore.write_bytes(self.pki.ca_file.read_bytes())
        kept = [
            line
            for line in props.read_text().splitlines()
            if not line.startswith(_REPLACED_KEYS) and line
        ]
        props.write_text("\n".join([*kept, *self._security_lines(keystore, truststore), ""]))
        return props

    def _security_lines(self, keystore: Path, truststore: Path) -> list[str]:
        cport = self.controller_port or self.port + 1
        scram = "org.apache.kafka.common.security.scram.ScramLoginModule required"
        plain = "org.apache.kafka.common.security.plain.PlainLoginModule required"
        ctl, ctl_pw = _CONTROLLER_USER, self.controller_password
        return [
            f"listeners=SASL_SSL://127.0.0.1:{self.port},CONTROLLER://127.0.0.1:{cport}",
            f"advertised.listeners=SASL_SSL://127.0.0.1:{self.port}",
            "listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:SASL_SSL",
            "inter.broker.listener.name=SASL_SSL",
            f"sasl.enabled.mechanisms={_MECHANISM}",
            f"sasl.mechanism.inter.broker.protocol={_MECHANISM}",
            f"listener.name.sasl_ssl.sasl.enabled.mechanisms={_MECHANISM}",
            f"listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config={scram}"
            f' username="{ADMIN}" password="{self.admin_password}";',
            "sasl.mechanism.controller.protocol=PLAIN",
            "listener.name.controller.sasl.enabled.mechanisms=PLAIN",
            f"listener.name.controller.plain.sasl.jaas.config={plain}"
            f' username="{ctl}" password="{ctl_pw}" user_{ctl}="{ctl_pw}";',
            "ssl.keystore.type=PEM",
            f"ssl.keystore.location={keystore}",
            "ssl.truststore.type=PEM",
            f"ssl.truststore.location={truststore}",
            "ssl.client.auth=none",
            "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
            f"super.users=User:{ADMIN};User:{_CONTROLLER_USER}",
            "allow.everyone.if.no.acl.found=false",
        ]

    def _format(self, libs: Path, props: Path) -> None:
        # LocalKafka formats with its own arguments; add the SCRAM users to the bootstrap
        # metadata (the "--add-scram" of kafka-storage).
        import subprocess  # noqa: PLC0415

        from tools.infra.kafka import _cluster_id  # noqa: PLC0415

        cmd = self._java(libs, "kafka.tools.StorageTool", "format")
        cmd += [f"--cluster-id={_cluster_id()}", f"--config={props}"]
        for user, password in ((ADMIN, self.admin_password), *self.users):
            cmd += ["--add-scram", f"{_MECHANISM}=[name={user},password={password}]"]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)  # noqa: S603
        if done.returncode != 0:
            raise InfraError(f"kafka storage format failed: {done.stdout}{done.stderr}")


_REPLACED_KEYS = (
    "listeners=",
    "advertised.listeners=",
    "listener.security.protocol.map=",
    "inter.broker.listener.name=",
)


async def _create_acl(admin: AIOKafkaAdminClient, principal: str, grant: Grant) -> None:
    request = CreateAclsRequest(
        resource_type=_RESOURCE_CODES[grant.resource],
        resource_name=grant.name,
        resource_pattern_type_filter=_PATTERN_CODES[grant.pattern],
        principal=principal,
        host="*",
        operation=_OPERATION_CODES[grant.operation],
        permission_type=_ALLOW,
    )
    response = await admin._send_request(request)
    for entry in response.creation_responses:
        if entry[0] != 0:
            raise InfraError(f"cannot create the ACL {grant} for {principal}: {entry}")
