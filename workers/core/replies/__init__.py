"""Reply understanding: a raw reply in, what it is (and when its writer is back) out.

``classify_message(raw_bytes) -> Classification`` is pure and deterministic: no clock (dates
are read relative to the message's own ``Date``), no network, no model download.
"""

from workers.core.replies.result import Classification

__all__ = ["Classification"]
