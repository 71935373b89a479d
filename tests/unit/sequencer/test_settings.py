"""The sequencer's tuning values: defaults as measured, wrong values refused at start-up."""

from __future__ import annotations

import pytest
from prometheus_client import CollectorRegistry
from pydantic import ValidationError

from workers.health import HealthBoard
from workers.metrics import Metrics
from workers.sequencer.settings import SequencerSettings
from workers.sequencer.worker import SequencerWorker
from workers.settings import Settings


class TestSequencerSettings:
    """``SequencerSettings`` validates every value."""

    def test_defaults_are_the_measured_ones(self) -> None:
        """Command batches of 10,000, two timer lanes of 2,000, a 10 s lease renewed every third."""
        tuning = SequencerSettings()

        assert (10_000, 2, 2000, 10.0) == (
            tuning.command_batch,
            tuning.timer_lanes,
            tuning.timer_batch,
            tuning.lease_s,
        )
        assert pytest.approx(10.0 / 3) == tuning.renew_every_s

    @pytest.mark.parametrize(
        "wrong",
        [
            {"command_batch": 0},
            {"timer_lanes": 0},
            {"poll_s": 0},
            {"lease_s": -1},
            {"max_record_bytes": 100},
            {"no_such_setting": 1},
        ],
        ids=["zero batch", "no lane", "zero poll", "negative lease", "tiny record", "unknown"],
    )
    def test_wrong_values_are_refused(self, wrong: dict[str, float]) -> None:
        """A zero, negative, too small or unknown value is a validation error."""
        with pytest.raises(ValidationError):
            SequencerSettings.model_validate(wrong)

    def test_worker_overrides_are_validated(self) -> None:
        """A single override given to the worker goes through the same validation."""
        with pytest.raises(ValidationError):
            SequencerWorker(
                settings=Settings(),
                metrics=Metrics(CollectorRegistry()),
                health=HealthBoard().register("sequencer"),
                poll_s=0,
            )
