"""The local broker's KRaft cluster id must be something kafka-storage accepts."""

import base64
import uuid

import pytest

from tools.infra import kafka


def _uuid_with_first_byte(first: int) -> uuid.UUID:
    return uuid.UUID(bytes=bytes([first]) + bytes(15))


def test_cluster_id_is_sixteen_bytes_base64url_without_padding() -> None:
    cluster_id = kafka._cluster_id()

    assert len(cluster_id) == 22
    assert len(base64.urlsafe_b64decode(cluster_id + "==")) == 16


def test_cluster_id_never_begins_with_a_dash(monkeypatch: pytest.MonkeyPatch) -> None:
    # 0xF8 encodes to a leading "-" in base64url; the generator must draw again.
    draws = iter([_uuid_with_first_byte(0xF8), _uuid_with_first_byte(0x00)])
    monkeypatch.setattr(uuid, "uuid4", lambda: next(draws))

    cluster_id = kafka._cluster_id()

    assert cluster_id.startswith("A")
    assert next(draws, None) is None
