"""Start-up checks: credentials and certificates that can never work stop a process at once.

aiokafka turns a refused password or an untrusted broker certificate into a generic
"Unable to bootstrap" error (the cause only goes to its own log), and a worker would crash with a
traceback; asyncpg's errors are clear but the sequencer retries every connection error forever.
Before ``leadflow run``, ``leadflow setup`` and the Kafka verbs of the CLI, one connection is
opened to Kafka (and to the database where it is used) within a deadline, and a *permanent*
failure raises :class:`~workers.errors.ConfigurationError` with one line saying what to fix:

- Kafka: SASL authentication refused, a mechanism the broker does not offer, a certificate the
  CA file does not trust, a TLS handshake that fails, a CA file that does not exist;
- PostgreSQL: a certificate ``sslrootcert`` does not trust, a refused password or ``pg_hba``
  entry, an ``sslrootcert`` that does not exist, a URL asyncpg cannot read.

A *transient* failure (nothing listens yet, a timeout) returns a sentence for a warning: the
workers keep their usual behaviour (they retry, or crash and get restarted). No message ever
contains a password: the database URL is never quoted, only what the server or TLS said.
"""

from __future__ import annotations

import asyncio
import ssl
from typing import Any

import asyncpg
from aiokafka.conn import create_conn
from aiokafka.errors import (
    AuthenticationFailedError,
    KafkaError,
    SaslAuthenticationFailed,
    UnsupportedSaslMechanismError,
)

from workers.errors import ConfigurationError
from workers.settings import Settings

#: How long one check waits for a broker or the database to answer.
CHECK_TIMEOUT_S = 15.0

_AUTH_ERRORS = (SaslAuthenticationFailed, AuthenticationFailedError)


async def check_kafka(settings: Settings, *, timeout_s: float = CHECK_TIMEOUT_S) -> str | None:
    """Authenticate once to a bootstrap server: None when one accepted us.

    Raises ConfigurationError on a permanent failure; returns a sentence when no broker
    answered (a transient failure the caller may log and ride out).
    """
    options = _client_options(settings)
    transient: list[str] = []
    for host, port in _hosts(settings.kafka_bootstrap_servers):
        try:
            conn = await asyncio.wait_for(
                create_conn(host, port, request_timeout_ms=int(timeout_s * 1000), **options),
                timeout_s,
            )
        except (*_AUTH_ERRORS, UnsupportedSaslMechanismError, ssl.SSLError) as exc:
            raise ConfigurationError(_kafka_reason(settings, f"{host}:{port}", exc)) from None
        except (OSError, TimeoutError, KafkaError) as exc:
            transient.append(f"{host}:{port}: {_brief(exc)}")
            continue
        conn.close()
        return None
    return "no Kafka broker answered (" + "; ".join(transient) + ")"


async def check_database(url: str, *, timeout_s: float = CHECK_TIMEOUT_S) -> str | None:
    """Connect once to the database of ``url``: None when it accepted us.

    Raises ConfigurationError on a permanent failure; returns a sentence on a transient one.
    """
    try:
        conn = await asyncpg.connect(url, timeout=timeout_s)
    except ssl.SSLCertVerificationError as exc:
        raise ConfigurationError(
            "the database's TLS certificate is not trusted by the sslrootcert of"
            f" LEADFLOW_DATABASE_URL: {exc.verify_message}"
        ) from None
    except ssl.SSLError as exc:
        raise ConfigurationError(f"TLS with the database failed: {exc.reason}") from None
    except asyncpg.InvalidAuthorizationSpecificationError as exc:
        raise ConfigurationError(
            f"the database refused the connection (LEADFLOW_DATABASE_URL): {_brief(exc)}"
        ) from None
    except (FileNotFoundError, ValueError, asyncpg.ClientConfigurationError) as exc:
        raise ConfigurationError(f"LEADFLOW_DATABASE_URL cannot be used: {_brief(exc)}") from None
    except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        return f"the database did not answer: {_brief(exc)}"
    await conn.close()
    return None


def _client_options(settings: Settings) -> dict[str, Any]:
    try:
        options = settings.kafka_client_options()
    except (FileNotFoundError, ssl.SSLError) as exc:
        raise ConfigurationError(
            f"LEADFLOW_KAFKA_SSL_CAFILE {settings.kafka_ssl_cafile!r} cannot be read: {_brief(exc)}"
        ) from None
    options.pop("bootstrap_servers")
    return options


def _hosts(servers: str) -> list[tuple[str, int]]:
    hosts = []
    for item in servers.split(","):
        host, _, port = item.strip().rpartition(":")
        hosts.append((host.strip("[]") or item.strip(), int(port) if port.isdigit() else 9092))
    return hosts


def _kafka_reason(settings: Settings, where: str, exc: BaseException) -> str:
    if isinstance(exc, _AUTH_ERRORS):
        return (
            f"Kafka at {where} refused the credentials of {settings.kafka_sasl_username!r}"
            f" ({settings.kafka_sasl_mechanism}; LEADFLOW_KAFKA_SASL_USERNAME/_PASSWORD):"
            f" {_brief(exc)}"
        )
    if isinstance(exc, UnsupportedSaslMechanismError):
        return f"Kafka at {where}: {_brief(exc)} (LEADFLOW_KAFKA_SASL_MECHANISM)"
    if isinstance(exc, ssl.SSLCertVerificationError):
        trusted = settings.kafka_ssl_cafile or "the system CAs"
        return (
            f"the TLS certificate of Kafka at {where} is not trusted by {trusted}"
            f" (LEADFLOW_KAFKA_SSL_CAFILE): {exc.verify_message}"
        )
    reason = getattr(exc, "reason", None) or _brief(exc)
    return (
        f"TLS handshake with Kafka at {where} failed ({reason}): does the listener speak"
        f" {settings.kafka_security_protocol} (LEADFLOW_KAFKA_SECURITY_PROTOCOL)?"
    )


def _brief(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
