"""``Message.trusted`` builds exactly the instance ``model_construct`` builds."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import Field

from schemas import CommandResult, LeadStatus, SendRequest, Suppression
from schemas._base import Message

#: The output messages the core and the sequencer build without validation.
BUILT = [LeadStatus, SendRequest, CommandResult, Suppression]
ANY_VALUE = st.one_of(
    st.none(),
    st.integers(),
    st.text(max_size=5),
    st.just(datetime(2026, 6, 1, tzinfo=UTC)),
)


def _same(a: Message, b: Message) -> tuple[bool, ...]:
    return (
        type(a) is type(b),
        list(a.__dict__.items()) == list(b.__dict__.items()),
        a.model_fields_set == b.model_fields_set,
        a.__pydantic_extra__ == b.__pydantic_extra__,
        a.__pydantic_private__ == b.__pydantic_private__,
    )


@st.composite
def _values(draw: st.DrawFn, model: type[Message]) -> dict[str, Any]:
    """Some of the model's fields (every required one, by default), and maybe unknown names."""
    fields = model.model_fields
    required = [n for n, f in fields.items() if f.is_required()]
    optional = [n for n, f in fields.items() if not f.is_required()]
    names = (
        [*required, *draw(st.lists(st.sampled_from(optional), unique=True))]
        if optional
        else required
    )
    if draw(st.booleans()):
        names = draw(st.lists(st.sampled_from(list(fields)), unique=True))  # maybe one missing
    values = {name: draw(ANY_VALUE) for name in names}
    if draw(st.booleans()):
        values["not_a_field"] = draw(ANY_VALUE)
    return values


class TestTrusted:
    """The same fields in the same order, the same fields set, nothing extra or private."""

    @pytest.mark.parametrize("model", BUILT, ids=lambda m: m.__name__)
    @given(data=st.data())
    def test_equal_to_model_construct(self, model: type[Message], data: st.DataObject) -> None:
        """Any values, given or not, known or not: the same instance as model_construct's."""
        values = data.draw(_values(model))

        built = model.trusted(**values)

        assert (True,) * 5 == _same(model.model_construct(**values), built)

    def test_same_json(self) -> None:
        """A LeadStatus built either way serializes to the same bytes."""
        values = {
            "campaign_id": "c-1",
            "lead_id": "l-1",
            "status": "paused",
            "next_step": 2,
            "remaining_seconds": 3600.0,
            "reason": "paused by reply",
            "updated_at": datetime(2026, 6, 1, tzinfo=UTC),
            "version": 3,
        }
        expected = LeadStatus.model_validate(values).model_dump_json()

        assert (
            expected
            == LeadStatus.trusted(**LeadStatus.model_validate(values).__dict__).model_dump_json()
        )

    def test_a_model_with_a_default_factory(self) -> None:
        """A class trusted cannot copy (a default factory) is built by model_construct itself."""

        class WithFactory(Message):
            tags: list[str] = Field(default_factory=list)

        built = WithFactory.trusted()

        assert ([], set()) == (built.tags, built.model_fields_set)
