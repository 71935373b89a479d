"""Local infrastructure without Docker: a single-node Kafka (KRaft) and a PostgreSQL cluster.

Both run from this machine's own binaries (Kafka's jars resolved from Maven Central by
``tools/infra/kafka-pom.xml``, PostgreSQL from ``/usr/lib/postgresql/<v>/bin``) in folders under
``.cache/run/``, each on its own port, so tests and ``make up`` can share a machine.
"""
