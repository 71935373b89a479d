"""``leadflow dev kafka|postgres start|stop|status|wipe``: the local infrastructure by hand."""

from __future__ import annotations

from workers.errors import CliError
from workers.infra._proc import InfraError
from workers.infra.kafka import LocalKafka
from workers.infra.postgres import LocalPostgres


def dev(service: str, action: str, port: int | None) -> int:
    """Run ``action`` on the local ``service``; exit code 0, or 1 for a stopped ``status``."""
    try:
        if service == "kafka":
            return _kafka(LocalKafka(port=port or 9092), action)
        return _postgres(LocalPostgres(port=port or 5432), action)
    except InfraError as exc:
        raise CliError(str(exc), exit_code=1) from None


def _kafka(broker: LocalKafka, action: str) -> int:
    if action == "start":
        broker.start()
        print(f"kafka running at {broker.bootstrap_servers} (logs: {broker.log_file})")
    elif action == "stop":
        broker.stop()
        print("kafka stopped")
    elif action == "wipe":
        broker.wipe()
        print("kafka stopped and its data deleted")
    else:
        running = broker.pid() is not None
        print(f"kafka {'running' if running else 'stopped'} at {broker.bootstrap_servers}")
        return 0 if running else 1
    return 0


def _postgres(cluster: LocalPostgres, action: str) -> int:
    if action == "start":
        cluster.start()
        print(f"postgres running: {cluster.url}")
    elif action == "stop":
        cluster.stop()
        print("postgres stopped")
    elif action == "wipe":
        cluster.wipe()
        print("postgres stopped and its data deleted")
    else:
        running = cluster.running()
        print(f"postgres {'running' if running else 'stopped'}: {cluster.url}")
        return 0 if running else 1
    return 0
