"""A single-node Apache Kafka broker in KRaft mode, from the pinned jars.

``KAFKA_VERSION`` is pinned in ``kafka-pom.xml`` beside this file (the property
``kafka.version``); the jars are resolved once with Maven into ``.cache/kafka/<version>/libs``
and reused.  Every broker
gets its own folder ``.cache/run/kafka-<port>/`` (properties, KRaft storage, log, pid).
To try other broker settings: ``LEADFLOW_INFRA_KAFKA_PROPERTIES`` (``key=value;...``, after
the defaults) and ``LEADFLOW_INFRA_KAFKA_JVM_OPTS`` (in place of the G1 options).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from tools.infra._proc import InfraError, cache_dir, port_open, read_pid, terminate

_POM = Path(__file__).with_name("kafka-pom.xml")
_READY_LINE = "Kafka Server started"


def kafka_version() -> str:
    """The Kafka version pinned in the project's pom."""
    match = re.search(r"<kafka\.version>([^<]+)</kafka\.version>", _POM.read_text())
    if match is None:
        raise InfraError(f"no <kafka.version> in {_POM}")
    return match.group(1)


def ensure_jars() -> Path:
    """Resolve the broker's jars with Maven (once) and return the folder holding them."""
    libs = cache_dir() / "kafka" / kafka_version() / "libs"
    marker = libs / ".complete"
    if marker.exists():
        return libs
    mvn = shutil.which("mvn")
    if mvn is None:
        raise InfraError("Maven (mvn) is needed to fetch the Kafka jars; install it or use Docker")
    libs.mkdir(parents=True, exist_ok=True)
    cmd = [mvn, "-q", "-B", "-f", str(_POM), "dependency:copy-dependencies"]
    cmd.append(f"-DoutputDirectory={libs}")
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise InfraError(f"mvn could not resolve Kafka {kafka_version()}: {done.stdout[-2000:]}")
    marker.touch()
    return libs


@dataclass(frozen=True, slots=True, kw_only=True)
class LocalKafka:
    """One local broker: ``port`` for clients, ``controller_port`` for its KRaft controller."""

    port: int = 9092
    controller_port: int | None = None
    heap_mb: int = 768

    @property
    def home(self) -> Path:
        return cache_dir() / "run" / f"kafka-{self.port}"

    @property
    def bootstrap_servers(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def _pid_file(self) -> Path:
        return self.home / "kafka.pid"

    @property
    def log_file(self) -> Path:
        return self.home / "server.log"

    @property
    def gc_log(self) -> Path:
        """The broker's GC log: one line per collection, pauses with their duration.

        Each line starts with the wall clock in ms (``[1764765600123ms]``), so the benchmark
        can sum the pauses inside a measurement's window (``tools/bench/observe.py``).
        """
        return self.home / "gc.log"

    def pid(self) -> int | None:
        """The broker's pid when it runs."""
        return read_pid(self._pid_file)

    def start(self, *, timeout_s: float = 90.0) -> None:
        """Start the broker (formatting its storage the first time) and wait until it serves."""
        if self.pid() is not None:
            self._wait_ready(timeout_s, ready_line=False)
            return
        if port_open(self.port):
            raise InfraError(f"port {self.port} is taken by another process")
        libs = ensure_jars()
        self.home.mkdir(parents=True, exist_ok=True)
        props = self._write_config()
        if not (self.home / "data" / "meta.properties").exists():
            self._format(libs, props)
        self._launch(libs, props)
        self._wait_ready(timeout_s, ready_line=True)

    def stop(self, *, timeout_s: float = 30.0) -> None:
        """Stop the broker cleanly (SIGTERM, SIGKILL after ``timeout_s``)."""
        pid = self.pid()
        if pid is not None:
            terminate(pid, timeout_s)
        self._pid_file.unlink(missing_ok=True)

    def kill(self) -> None:
        """Kill the broker at once (fault injection)."""
        pid = self.pid()
        if pid is not None:
            terminate(pid, 0.0)
        self._pid_file.unlink(missing_ok=True)

    def wipe(self) -> None:
        """Stop the broker and delete its data."""
        self.stop()
        shutil.rmtree(self.home, ignore_errors=True)

    def _java(self, libs: Path, main: str, *args: str, gc_log: bool = False) -> list[str]:
        java = shutil.which("java")
        if java is None:
            raise InfraError("Java 17+ is needed to run Kafka locally; install it or use Docker")
        log4j = self.home / "log4j2.xml"
        return [
            java,
            f"-Xmx{self.heap_mb}m",
            # The whole heap from the start, as Kafka's own start script has it
            # (``KAFKA_HEAP_OPTS="-Xmx1G -Xms1G"``). With half of it G1 started concurrent
            # marking cycles (InitiatingHeapOccupancyPercent=35 of the smaller heap) and sized
            # a smaller young generation: in latency runs 3.0-3.7 pauses per 10 s, a Remark
            # often among the longest, against 1.0-2.1 and no Remark; the broker's CPU stayed
            # the same (docs/architecture.md, "What an event costs in CPU").
            f"-Xms{self.heap_mb}m",
            *_jvm_performance_opts(),
            *([f"-Xlog:gc:file={self.gc_log}:timemillis:filecount=2,filesize=20m"] * gc_log),
            f"-Dlog4j2.configurationFile={log4j}",
            "-cp",
            f"{libs}/*",
            main,
            *args,
        ]

    def _write_config(self) -> Path:
        cport = self.controller_port or self.port + 1
        props = self.home / "server.properties"
        props.write_text(
            "\n".join(
                [
                    "process.roles=broker,controller",
                    "node.id=1",
                    f"controller.quorum.voters=1@127.0.0.1:{cport}",
                    f"listeners=PLAINTEXT://127.0.0.1:{self.port},CONTROLLER://127.0.0.1:{cport}",
                    f"advertised.listeners=PLAINTEXT://127.0.0.1:{self.port}",
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    f"log.dirs={self.home / 'data'}",
                    "num.partitions=1",
                    "auto.create.topics.enable=false",
                    "offsets.topic.replication.factor=1",
                    "offsets.topic.num.partitions=10",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "transaction.state.log.num.partitions=10",
                    "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    "log.cleaner.backoff.ms=1000",
                    *_extra_properties(),
                    "",
                ]
            )
        )
        (self.home / "log4j2.xml").write_text(_LOG4J2.format(log=self.log_file))
        return props

    def _format(self, libs: Path, props: Path) -> None:
        cmd = self._java(libs, "kafka.tools.StorageTool", "format")
        # ``--opt=value``: a cluster id may begin with "-", which a separate argument would
        # turn into an unknown option.
        cmd += [f"--cluster-id={_cluster_id()}", f"--config={props}"]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)  # noqa: S603
        if done.returncode != 0:
            raise InfraError(f"kafka storage format failed: {done.stdout}{done.stderr}")

    def _launch(self, libs: Path, props: Path) -> None:
        self.log_file.write_text("")
        argv = self._java(libs, "kafka.Kafka", str(props), gc_log=True)
        # A daemon tracked by its pid file, not a Popen object: a Popen collected while the
        # broker runs would warn (ResourceWarning), and the broker is meant to outlive it.
        with (
            (self.home / "stdout.log").open("ab") as out,
            Path(os.devnull).open("rb") as devnull,
        ):
            pid = os.posix_spawn(
                argv[0],
                argv,
                os.environ,
                file_actions=[
                    (os.POSIX_SPAWN_DUP2, devnull.fileno(), 0),
                    (os.POSIX_SPAWN_DUP2, out.fileno(), 1),
                    (os.POSIX_SPAWN_DUP2, out.fileno(), 2),
                ],
                setsid=True,
            )
        self._pid_file.write_text(str(pid))

    def _wait_ready(self, timeout_s: float, *, ready_line: bool) -> None:
        """Wait for the port (and, after a launch, for the broker's "started" log line)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.pid() is None:
                raise InfraError(f"Kafka exited during start; see {self.home / 'stdout.log'}")
            started = not ready_line or _READY_LINE in _tail(self.log_file)
            if started and port_open(self.port):
                return
            time.sleep(0.2)
        raise InfraError(f"Kafka not ready after {timeout_s:.0f}s; see {self.log_file}")


#: The JVM options of Kafka's own start script (``kafka-run-class.sh``,
#: ``KAFKA_JVM_PERFORMANCE_OPTS``): G1 aiming at 20 ms pauses instead of the JVM's 200 ms
#: default. Without them, young-collection pauses of 60-100 ms fell inside latency runs on a
#: busy machine (``gc.log``), stopping every produce, fetch and commit meanwhile.
_JVM_PERFORMANCE_OPTS = (
    "-XX:+UseG1GC",
    "-XX:MaxGCPauseMillis=20",
    "-XX:InitiatingHeapOccupancyPercent=35",
    "-XX:+ExplicitGCInvokesConcurrent",
    "-XX:MaxInlineLevel=15",
    "-Djava.awt.headless=true",
)


def _jvm_performance_opts() -> tuple[str, ...]:
    """``_JVM_PERFORMANCE_OPTS``, or ``LEADFLOW_INFRA_KAFKA_JVM_OPTS`` (split on spaces) in
    their place: to try other GC or JIT options without editing this file."""
    override = os.environ.get("LEADFLOW_INFRA_KAFKA_JVM_OPTS")
    return tuple(override.split()) if override is not None else _JVM_PERFORMANCE_OPTS


def _extra_properties() -> list[str]:
    """``LEADFLOW_INFRA_KAFKA_PROPERTIES``: ``key=value`` lines separated by ``;``, written
    after the defaults (the last value of a key wins)."""
    extra = os.environ.get("LEADFLOW_INFRA_KAFKA_PROPERTIES", "")
    return [line.strip() for line in extra.split(";") if line.strip()]


def _cluster_id() -> str:
    """A KRaft cluster id: 16 random bytes, base64url without padding.

    Like Kafka's own ``Uuid.randomUuid()``, it never begins with "-": command-line parsers
    (kafka-storage's among them) read such a value as an option.
    """
    import base64  # noqa: PLC0415

    while True:
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not cluster_id.startswith("-"):
            return cluster_id


def _tail(path: Path) -> str:
    try:
        return path.read_text(errors="replace")
    except FileNotFoundError:
        return ""


_LOG4J2 = """<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="WARN">
  <Appenders>
    <File name="file" fileName="{log}" append="true">
      <PatternLayout pattern="[%d] %p %m (%c)%n"/>
    </File>
  </Appenders>
  <Loggers>
    <Root level="INFO"><AppenderRef ref="file"/></Root>
    <Logger name="kafka.log" level="WARN"/>
    <Logger name="org.apache.kafka.storage" level="WARN"/>
    <Logger name="kafka.server.KafkaConfig" level="WARN"/>
  </Loggers>
</Configuration>
"""
