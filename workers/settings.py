"""Typed settings from the contract's environment variables (``LEADFLOW_*``)."""

from __future__ import annotations

import ssl
from enum import StrEnum
from typing import Any

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class SecurityProtocol(StrEnum):
    """How clients talk to the brokers."""

    PLAINTEXT = "PLAINTEXT"  #: no TLS, no authentication (local and test brokers)
    SSL = "SSL"  #: TLS, optionally verified against ``ssl_cafile``
    SASL_PLAINTEXT = "SASL_PLAINTEXT"  #: SASL authentication without TLS
    SASL_SSL = "SASL_SSL"  #: SASL authentication over TLS (managed Kafka services)


class Settings(BaseSettings):
    """Everything a worker or the CLI reads from its environment."""

    model_config = SettingsConfigDict(env_prefix="LEADFLOW_", extra="ignore", frozen=True)

    #: Comma-separated ``host:port`` list of brokers.
    kafka_bootstrap_servers: str = "localhost:9092"
    #: Prefix of every topic name (``leadflow.`` gives ``leadflow.commands``).
    topic_prefix: str = "leadflow."
    #: The sequencer's PostgreSQL database.
    database_url: str = "postgresql://localhost:5432/leadflow"
    #: Port of ``/metrics``, ``/healthz`` and ``/readyz``.
    metrics_port: int = Field(default=9108, ge=0, le=65535)
    #: ``debug`` | ``info`` | ``warning`` | ``error``.
    log_level: str = "info"
    kafka_security_protocol: SecurityProtocol = SecurityProtocol.PLAINTEXT
    #: ``PLAIN`` | ``SCRAM-SHA-256`` | ``SCRAM-SHA-512`` when SASL is on.
    kafka_sasl_mechanism: str = "PLAIN"
    kafka_sasl_username: str | None = None
    kafka_sasl_password: SecretStr | None = None
    #: CA bundle that verifies the brokers' certificates (system CAs when unset).
    kafka_ssl_cafile: str | None = None
    #: A TOML file of scanner networks and user agents added to the shipped ones (the clicks
    #: worker; same shape as ``workers/core/data/scanners.toml``).
    scanner_networks_file: str | None = None
    #: The gateway's HTTP port (``leadflow run gateway``).
    gateway_port: int = Field(default=8080, ge=0, le=65535)
    #: Bearer tokens of ``/v1/events/*``, comma-separated; unset: those routes answer 404.
    gateway_tokens: SecretStr | None = None
    #: Mailgun's webhook signing key; unset: ``/v1/webhooks/mailgun`` answers 404.
    mailgun_signing_key: SecretStr | None = None
    #: SendGrid's verification key(s), base64 DER, comma-separated; unset: its route is 404.
    sendgrid_public_key: SecretStr | None = None
    #: Postmark's webhook basic-auth user and password; either unset: its route is 404.
    postmark_webhook_user: SecretStr | None = None
    postmark_webhook_password: SecretStr | None = None
    #: Calendly's webhook signing key; unset: ``/v1/webhooks/calendly`` answers 404.
    calendly_signing_key: SecretStr | None = None
    #: Cal.com's webhook secret; unset: ``/v1/webhooks/calcom`` answers 404.
    calcom_secret: SecretStr | None = None

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.lower()
        if level not in {"debug", "info", "warning", "error"}:
            raise ValueError("LEADFLOW_LOG_LEVEL must be debug, info, warning or error")
        return level

    @field_validator("kafka_sasl_mechanism")
    @classmethod
    def _known_mechanism(cls, value: str) -> str:
        if value not in {"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"}:
            raise ValueError("LEADFLOW_KAFKA_SASL_MECHANISM must be PLAIN or SCRAM-SHA-256/512")
        return value

    def kafka_client_options(self) -> dict[str, Any]:
        """Connection keyword arguments shared by every aiokafka client."""
        options: dict[str, Any] = {
            "bootstrap_servers": self.kafka_bootstrap_servers,
            "security_protocol": self.kafka_security_protocol.value,
        }
        if self.kafka_security_protocol in {SecurityProtocol.SSL, SecurityProtocol.SASL_SSL}:
            options["ssl_context"] = ssl.create_default_context(cafile=self.kafka_ssl_cafile)
        if self.kafka_security_protocol.value.startswith("SASL"):
            password = self.kafka_sasl_password
            options["sasl_mechanism"] = self.kafka_sasl_mechanism
            options["sasl_plain_username"] = self.kafka_sasl_username
            options["sasl_plain_password"] = password.get_secret_value() if password else None
        return options
