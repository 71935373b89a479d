"""Start-up checks (workers/preflight.py) where no broker or database is needed."""

from __future__ import annotations

import pytest

from workers.errors import CliError, ConfigurationError
from workers.preflight import _hosts, check_database, check_kafka
from workers.settings import SecurityProtocol, Settings


class TestHosts:
    """Bootstrap servers as (host, port) pairs."""

    def test_a_list(self) -> None:
        """Comma-separated, spaces allowed, IPv6 brackets dropped."""
        expected = [("kafka-0", 9093), ("10.0.0.1", 9092), ("::1", 19092)]
        assert expected == _hosts("kafka-0:9093, 10.0.0.1:9092,[::1]:19092")

    def test_default_port(self) -> None:
        """A host without a port gets Kafka's 9092."""
        assert [("kafka", 9092)] == _hosts("kafka")


class TestCheckKafka:
    """What stops a process and what only warns."""

    async def test_nothing_listening_is_transient(self) -> None:
        """A refused connection is a sentence for a warning, not an error."""
        settings = Settings(kafka_bootstrap_servers="127.0.0.1:1")
        found = await check_kafka(settings, timeout_s=5)
        assert found is not None
        assert found.startswith("no Kafka broker answered (127.0.0.1:1: ")

    async def test_a_missing_ca_file_is_permanent(self) -> None:
        """LEADFLOW_KAFKA_SSL_CAFILE that does not exist: ConfigurationError, exit 2."""
        settings = Settings(
            kafka_bootstrap_servers="127.0.0.1:1",
            kafka_security_protocol=SecurityProtocol.SSL,
            kafka_ssl_cafile="/nonexistent/ca.pem",
        )
        with pytest.raises(
            ConfigurationError, match=r"'/nonexistent/ca\.pem' cannot be read"
        ) as err:
            await check_kafka(settings)
        assert isinstance(err.value, CliError)
        assert 2 == err.value.exit_code


class TestCheckDatabase:
    """The database check never quotes the URL (it holds the password)."""

    async def test_nothing_listening_is_transient(self) -> None:
        """A refused connection is a sentence without the password."""
        found = await check_database("postgresql://u:s3cret-pw@127.0.0.1:1/db", timeout_s=5)
        assert found is not None
        assert found.startswith("the database did not answer")
        assert "s3cret-pw" not in found

    async def test_an_unreadable_url_is_permanent(self) -> None:
        """A URL asyncpg cannot use stops the process."""
        with pytest.raises(ConfigurationError, match="LEADFLOW_DATABASE_URL cannot be used"):
            await check_database("postgresql://u@127.0.0.1:1/db?sslmode=sometimes")
