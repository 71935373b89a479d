"""The configuration every message model shares."""

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict


class Message(BaseModel):
    """A frozen contract message: unknown fields ignored, decoded with ``model_validate_json``.

    Encode with ``model_dump_json()`` (timestamps RFC 3339 ``Z``, durations ISO 8601).
    """

    model_config = ConfigDict(frozen=True, extra="ignore")


class LeadScoped(Message):
    """A message about one lead of one campaign, keyed by ``"{campaign_id}:{lead_id}"``."""

    if TYPE_CHECKING:  # declared (with the id type) by each subclass, in the contract's order
        campaign_id: str
        lead_id: str

    @property
    def lead_key(self) -> str:
        """The Kafka key of every lead-scoped topic: ``"{campaign_id}:{lead_id}"``."""
        return f"{self.campaign_id}:{self.lead_id}"
