"""The development tree beside the fleet: run from a source checkout, never installed.

``tools.infra`` (local Kafka and PostgreSQL without Docker), ``tools.bench`` (the benchmark),
``tools.demo`` (the help article's walkthrough) and ``tools.schema_export`` (``schemas/json/``).
The wheel holds only ``workers`` and ``schemas``; ``make`` runs these from the repository root.
"""
