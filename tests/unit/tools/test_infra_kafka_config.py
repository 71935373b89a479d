"""The local broker's server.properties and JVM options (tools/infra/kafka.py)."""

from pathlib import Path

import pytest

from tools.infra import kafka


def _properties(props: Path) -> dict[str, str]:
    """The file's settings as Java reads them: the last value of a key wins."""
    pairs = (line.split("=", 1) for line in props.read_text().splitlines() if "=" in line)
    return dict(pairs)


@pytest.fixture
def broker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> kafka.LocalKafka:
    monkeypatch.setenv("LEADFLOW_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("LEADFLOW_INFRA_KAFKA_PROPERTIES", raising=False)
    monkeypatch.delenv("LEADFLOW_INFRA_KAFKA_JVM_OPTS", raising=False)
    broker = kafka.LocalKafka(port=44990)
    broker.home.mkdir(parents=True)
    return broker


class TestServerProperties:
    def test_durability_settings_of_the_single_broker_stay(self, broker: kafka.LocalKafka) -> None:
        """The transaction log keeps its min ISR of 1 and no flush setting is added."""
        props = _properties(broker._write_config())

        assert props["transaction.state.log.min.isr"] == "1"
        assert not [key for key in props if key.startswith("log.flush")]

    def test_extra_properties_from_the_environment_win(
        self, broker: kafka.LocalKafka, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """LEADFLOW_INFRA_KAFKA_PROPERTIES lines come last, so they override the defaults."""
        monkeypatch.setenv(
            "LEADFLOW_INFRA_KAFKA_PROPERTIES", "num.io.threads=8; log.cleaner.threads=2 ;"
        )

        props = _properties(broker._write_config())

        assert ("8", "2") == (props["num.io.threads"], props["log.cleaner.threads"])


class TestJvmOptions:
    def test_default_is_kafkas_own_g1_options(self, broker: kafka.LocalKafka) -> None:
        """Without an override the JVM gets G1 with a 20 ms pause target."""
        argv = broker._java(Path("/libs"), "kafka.Kafka")

        assert ["-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20"] == [
            opt for opt in argv if opt in ("-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20")
        ]

    def test_heap_is_committed_whole_from_the_start(self, broker: kafka.LocalKafka) -> None:
        """-Xms equals -Xmx, as in Kafka's own start script."""
        argv = broker._java(Path("/libs"), "kafka.Kafka")

        assert ["-Xmx768m", "-Xms768m"] == argv[1:3]

    def test_environment_replaces_the_performance_options(
        self, broker: kafka.LocalKafka, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """LEADFLOW_INFRA_KAFKA_JVM_OPTS takes the place of the G1 options, split on spaces."""
        monkeypatch.setenv("LEADFLOW_INFRA_KAFKA_JVM_OPTS", "-XX:+UseSerialGC  -Xss1m")

        argv = broker._java(Path("/libs"), "kafka.Kafka")

        assert "-XX:+UseG1GC" not in argv
        assert ["-XX:+UseSerialGC", "-Xss1m"] == argv[3:5]
