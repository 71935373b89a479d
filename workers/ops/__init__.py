"""The operator's side of the CLI: campaign put, lead actions, lead show, leads list.

``commands.dispatch_ops`` routes the parsed arguments; ``kafka_ops`` and ``db`` do the I/O;
``inputs``, ``explain`` and ``render`` are pure (validated inputs in, text out).
"""
