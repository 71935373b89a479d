"""Stamping sends with their tracking token and Message-ID, where they are written to the outbox.

The core's state machine stays token-agnostic: it builds each SendRequest without the two v2
fields, and ``Effects`` stamps it here before serializing it, keeping the ref for the
``send_tokens`` row written in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemas import SendRequest
from workers.core.tokens import Secrets, tracking
from workers.sequencer.encoding import send_request_json


@dataclass(frozen=True, slots=True)
class SendStamp:
    """The fleet's signing secrets and Message-ID domain."""

    secrets: Secrets
    domain: str

    def stamp(self, send: SendRequest) -> tuple[SendRequest, bytes]:
        """The send with ``tracking_token`` and ``message_id`` set, and its ref."""
        made = tracking(send.send_id, self.secrets, self.domain)
        stamped = send.model_copy(
            update={"tracking_token": made.token, "message_id": made.message_id}
        )
        return stamped, made.ref

    def stamp_json(self, send: SendRequest) -> tuple[bytes, bytes]:
        """The stamped send as its outbox value (the bytes of ``stamp``'s JSON), and its ref.

        Written from a template: no stamped copy of the model is made (``encoding.py``).
        """
        made = tracking(send.send_id, self.secrets, self.domain)
        return send_request_json(send, made.token, made.message_id), made.ref
