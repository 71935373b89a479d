"""The one rule every worker applies to records of the campaigns topic."""

from __future__ import annotations

import pytest

from workers.core import CampaignDecision, HeldCampaign, accept_campaign_record

STORE, DELETE, STALE = CampaignDecision.STORE, CampaignDecision.DELETE, CampaignDecision.STALE


class TestAcceptCampaignRecord:
    """``accept_campaign_record(held, incoming_version)``, case by case."""

    @pytest.mark.parametrize(
        ("expected", "held", "incoming"),
        [
            (STORE, None, 1),
            (STORE, None, 0),
            (STORE, HeldCampaign(5), 6),
            (STALE, HeldCampaign(5), 5),
            (STALE, HeldCampaign(5), 4),
            (DELETE, HeldCampaign(5), None),
            (DELETE, None, None),
            (DELETE, HeldCampaign(5, deleted=True), None),
            (STORE, HeldCampaign(5, deleted=True), 2),
            (STORE, HeldCampaign(5, deleted=True), 5),
            (STORE, HeldCampaign(5, deleted=True), 9),
        ],
        ids=[
            "new campaign is stored",
            "new campaign at version 0 is stored",
            "newer version of a live campaign is stored",
            "equal version keeps the held settings",
            "older version keeps the held settings",
            "tombstone deletes a live campaign",
            "tombstone of an unknown campaign deletes",
            "tombstone of a deleted campaign deletes again",
            "re-creation with a lower version than the deleted one is stored",
            "re-creation with the deleted one's version is stored",
            "re-creation with a higher version is stored",
        ],
    )
    def test_decision(
        self, expected: CampaignDecision, held: HeldCampaign | None, incoming: int | None
    ) -> None:
        """A tombstone deletes; after a deletion any version starts anew; else only newer ones."""
        assert expected == accept_campaign_record(held, incoming)
