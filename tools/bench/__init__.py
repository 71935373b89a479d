"""``python -m tools.bench``: the fleet's throughput, latency and timer accuracy.

Every figure is measured against the raw limit of the stack in the same run: a plain aiokafka
consume→produce passthrough of messages of the same size on the same broker.  See
``docs/benchmarks.md`` for the method and the latest figures, and ``runner.py`` for the plan.
"""
