"""A local PostgreSQL that accepts only TLS connections with a password (``scram-sha-256``).

``pg_hba.conf`` holds two lines: the cluster's own OS user over the Unix socket (``trust``, for
the runner's administration), and ``hostssl all all 127.0.0.1/32 scram-sha-256``. There is no
``host`` line, so a connection without TLS is refused, and no ``::1`` line (the server listens on
127.0.0.1 only). The server certificate comes from :func:`tools.infra.tls.make_pki`.
"""

from __future__ import annotations

import os
import pwd
import shutil
from dataclasses import dataclass
from urllib.parse import quote

from tools.infra.postgres import _OS_USER, LocalPostgres
from tools.infra.tls import Pki

_HBA = """\
# TYPE   DATABASE  USER  ADDRESS        METHOD
local    all       postgres             trust
hostssl  all       all   127.0.0.1/32   scram-sha-256
"""


@dataclass(frozen=True, slots=True, kw_only=True)
class SecurePostgres(LocalPostgres):
    """A cluster on ``port`` with ``ssl=on``; ``user``/``password`` owns ``database``."""

    pki: Pki
    user: str = "leadflow"
    password: str = "leadflow-secret"  # noqa: S105 (a test cluster's credential)

    def tls_url(
        self, *, host: str = "localhost", sslmode: str = "verify-full", ca: str = ""
    ) -> str:
        """The application's URL: password, ``sslmode`` and ``sslrootcert`` (the test CA)."""
        root = ca or str(self.pki.ca_file)
        return (
            f"postgresql://{self.user}:{quote(self.password, safe='')}@{host}:{self.port}"
            f"/{self.database}?sslmode={sslmode}&sslrootcert={quote(root)}"
        )

    def _options(self) -> str:
        tls = self.home / "tls"
        return (
            f"{LocalPostgres._options(self)} -c ssl=on"
            f" -c ssl_cert_file={tls / 'server.pem'} -c ssl_key_file={tls / 'server.key'}"
            f" -c hba_file={self.home / 'pg_hba.conf'} -c password_encryption=scram-sha-256"
        )

    def _init(self) -> None:
        LocalPostgres._init(self)
        tls = self.home / "tls"
        tls.mkdir(exist_ok=True)
        shutil.copyfile(self.pki.cert_file, tls / "server.pem")
        shutil.copyfile(self.pki.key_file, tls / "server.key")
        (tls / "server.key").chmod(0o600)
        (self.home / "pg_hba.conf").write_text(_HBA)
        if os.geteuid() == 0:  # the server runs as its own user and must own its key
            owner = pwd.getpwnam(_OS_USER)
            for path in (tls, tls / "server.pem", tls / "server.key", self.home / "pg_hba.conf"):
                os.chown(path, owner.pw_uid, owner.pw_gid)

    def _create_database(self) -> None:
        psql = ["psql", "-h", str(self.home / "sock"), "-p", str(self.port), "-U", "postgres"]
        psql += ["-d", "postgres", "-v", "ON_ERROR_STOP=1"]
        role = self.user.replace('"', '""')
        password = self.password.replace("'", "''")
        exists = self._pg([*psql, "-tAc", f"SELECT 1 FROM pg_roles WHERE rolname = '{role}'"])
        verb = "ALTER" if exists.stdout.strip() == "1" else "CREATE"
        self._pg([*psql, "-c", f"{verb} ROLE \"{role}\" LOGIN PASSWORD '{password}'"])
        db = self.database.replace('"', '""')
        found = self._pg([*psql, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{db}'"])
        if found.stdout.strip() != "1":
            self._pg([*psql, "-c", f'CREATE DATABASE "{db}" OWNER "{role}"'])
